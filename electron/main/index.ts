/**
 * Electron main process: app lifecycle, the window, and the IPC adapter onto
 * the hub. All socket work lives in electron/net behind the hub.
 */
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu } from 'electron';
import { Backend } from '../backend';
import { appMode } from './app-mode';
import { attachWindowEvents, createSenderCheck, registerAckHandler, registerIpcHandlers, type WindowEvents } from './ipc';
import { menuTemplate } from './menu';
import { menuLang } from './menu-labels';
import { isEntryUrl, rendererEntry } from './renderer-entry';
import { createMainWindow, hardenSession } from './window';

app.enableSandbox();

// Decided once: a packaged app always shows (and trusts) its bundled page, whatever the environment says.
const entry = rendererEntry({
  isPackaged: app.isPackaged,
  env: process.env,
  builtFile: join(__dirname, '../renderer/index.html'),
});
if (entry.kind === 'file' && entry.ignored) console.warn(`[wirebench] ${entry.ignored}`);
const mode = appMode({ isPackaged: app.isPackaged, argv: process.argv, env: process.env });

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // profiles, the workspace, captures, exports and spill logs live in the app's user-data folder
  const hub = new Backend({ dataDir: app.getPath('userData') });
  const windows = new Map<number, WindowEvents>();

  const openWindow = (): void => {
    const win = createMainWindow({ entry, devTools: mode.devTools });
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
    const lang = menuLang(app.getLocale());
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ isPackaged: mode.isPackaged, debug: mode.debug, lang, platform: process.platform })));
    const check = createSenderCheck(
      (id) => windows.has(id),
      (url) => isEntryUrl(entry, url),
    );
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
