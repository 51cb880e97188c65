/**
 * Electron main process: app lifecycle, the window, and the IPC adapter onto
 * the hub. All socket work lives in electron/net behind the hub.
 */
import { app, BrowserWindow, ipcMain } from 'electron';
import { Hub } from '../hub';
import { attachWindowEvents, createSenderCheck, registerIpcHandlers } from './ipc';
import { createMainWindow, hardenSession, isAppUrl } from './window';

app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // profiles, the workspace, captures, exports and spill logs live in the app's user-data folder
  const hub = new Hub({ dataDir: app.getPath('userData') });
  const windows = new Set<number>();

  const openWindow = (): void => {
    const win = createMainWindow();
    const id = win.webContents.id;
    windows.add(id);
    attachWindowEvents(hub, win.webContents);
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
    registerIpcHandlers(ipcMain, hub, createSenderCheck((id) => windows.has(id), isAppUrl));
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
}
