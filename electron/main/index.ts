/**
 * Electron main process: app lifecycle, the window, and the IPC adapter onto
 * the hub. All socket work lives in electron/net behind the hub.
 */
import { app, BrowserWindow, ipcMain } from 'electron';
import { Backend } from '../backend';
import { attachWindowEvents, createSenderCheck, registerAckHandler, registerIpcHandlers, type WindowEvents } from './ipc';
import { createMainWindow, hardenSession, isAppUrl } from './window';

app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // profiles, the workspace, captures, exports and spill logs live in the app's user-data folder
  const hub = new Backend({ dataDir: app.getPath('userData') });
  const windows = new Map<number, WindowEvents>();

  const openWindow = (): void => {
    const win = createMainWindow();
    const id = win.webContents.id;
    const events = attachWindowEvents(hub, win.webContents);
    windows.set(id, events);
    // a reload never acknowledges what the old page had not: forget it
    win.webContents.on('did-start-loading', () => events.reset());
    win.on('closed', () => windows.delete(id));
  };

  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  void app.whenReady().then(() => {
    hardenSession();
    const check = createSenderCheck((id) => windows.has(id), isAppUrl);
    registerIpcHandlers(ipcMain, hub, check);
    registerAckHandler(ipcMain, (id) => windows.get(id), check);
    openWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Quitting closes every socket before the process goes.
  let disposed = false;
  app.on('before-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    void hub.dispose().finally(() => app.quit());
  });

  process.on('uncaughtException', (e) => {
    // The engine guards its sockets; this is the last line so the app never dies on one bad event.
    console.error('[wirebench] uncaught exception', e);
  });
  process.on('unhandledRejection', (reason) => {
    console.error('[wirebench] unhandled rejection', reason);
  });
}
