/**
 * Electron main process: app lifecycle, the window, the menu and native
 * dialogs, and the IPC adapter onto the hub. All socket work lives in
 * electron/net behind the hub. The pieces are in their own modules, tested
 * with Electron faked: single-instance.ts, window-state.ts, menu.ts,
 * about.ts, quit-guard.ts, desktop-dialogs.ts, desktop-commands.ts, ipc.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, screen, shell, type MessageBoxOptions } from 'electron';
import type { DesktopAction, DesktopPrefs } from '../../shared/protocol/desktop';
import { Backend } from '../backend';
import { showAbout } from './about';
import { windowIconPath } from './app-icon';
import { appMode } from './app-mode';
import { createDesktopDispatcher } from './desktop-commands';
import { desktopDialogs } from './desktop-dialogs';
import { DIALOG_LABELS } from './dialog-labels';
import { userGuideUrl, type PackageFacts } from './external-links';
import { attachWindowEvents, createSenderCheck, registerAckHandler, registerIpcHandlers, type WindowEvents } from './ipc';
import { menuTemplate } from './menu';
import { menuLang } from './menu-labels';
import { askToQuit, liveSessionCount, QuitGuard } from './quit-guard';
import { isEntryUrl, rendererEntry } from './renderer-entry';
import { claimSingleInstance } from './single-instance';
import { createMainWindow, hardenSession, openOutside } from './window';
import { clampToDisplays, trackWindow, WINDOW_STATE_FILE, WindowStateFile } from './window-state';

app.enableSandbox();

// Decided once: a packaged app always shows (and trusts) its bundled page, whatever the environment says.
const entry = rendererEntry({
  isPackaged: app.isPackaged,
  env: process.env,
  builtFile: join(__dirname, '../renderer/index.html'),
});
if (entry.kind === 'file' && entry.ignored) console.warn(`[wirebench] ${entry.ignored}`);
const mode = appMode({ isPackaged: app.isPackaged, argv: process.argv, env: process.env });

let main: { win: BrowserWindow; events: WindowEvents } | undefined;
/** a second launch found no window (macOS): open one */
let reopen = (): void => undefined;

if (claimSingleInstance(app, () => main?.win, () => reopen())) {
  // profiles, the workspace, captures, exports, spill logs and the window's position live in the app's user-data folder
  const dataDir = app.getPath('userData');
  const hub = new Backend({ dataDir });
  const windows = new Map<number, WindowEvents>();
  const windowState = new WindowStateFile(join(dataDir, WINDOW_STATE_FILE));
  // what the page has told us (desktop.prefs); until then the system's language
  let prefs: DesktopPrefs = { locale: 'en', language: 'auto', theme: 'system', confirmQuit: true };
  const lang = () => prefs.locale;

  const messageBox = <R>(o: MessageBoxOptions): Promise<R> =>
    (main && !main.win.isDestroyed() ? dialog.showMessageBox(main.win, o) : dialog.showMessageBox(o)) as Promise<R>;

  /** Tell the page (a menu click, a choice in a native dialog); true once it handled it. */
  const tellPage = (action: DesktopAction): Promise<boolean> =>
    main ? main.events.push([{ type: 'desktop.action', ts: Date.now(), action }]) : Promise.resolve(false);

  const quitGuard = new QuitGuard({
    liveSessions: () => liveSessionCount(hub.manager.list()),
    ask: (n) => askToQuit((o) => messageBox(o), lang(), n),
    dontAskAgain: async () => {
      prefs = { ...prefs, confirmQuit: false };
      await tellPage({ kind: 'confirmQuit', value: false });
    },
  });

  const about = (): void => {
    const noticesPath = join(__dirname, '../third-party-notices.txt');
    const versions = { electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '', node: process.versions.node };
    void showAbout(
      { showMessageBox: (o) => messageBox(o), openPath: (p) => shell.openPath(p), tempDir: app.getPath('temp') },
      { version: app.getVersion(), versions, dataDir, noticesPath, noticesFound: existsSync(noticesPath) },
      lang(),
    );
  };

  const userGuide = (): void => {
    let pkg: PackageFacts = {};
    try {
      pkg = JSON.parse(readFileSync(join(app.getAppPath(), 'package.json'), 'utf8')) as PackageFacts;
    } catch {
      // no package.json to read: the guide's address is unknown
    }
    const url = userGuideUrl(pkg);
    if (url) openOutside(url);
    else void messageBox({ type: 'info', title: 'Wirebench', message: DIALOG_LABELS[lang()].guide.missing, buttons: [DIALOG_LABELS[lang()].ok] });
  };

  const setMenu = (): void => {
    const template = menuTemplate({
      isPackaged: mode.isPackaged,
      debug: mode.debug,
      lang: lang(),
      platform: process.platform,
      theme: prefs.theme,
      actions: { send: (a) => void tellPage(a), about, userGuide },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };

  const dialogs = desktopDialogs({
    dialog: {
      showSaveDialog: (o) => (main ? dialog.showSaveDialog(main.win, o) : dialog.showSaveDialog(o)),
      showOpenDialog: (o) => (main ? dialog.showOpenDialog(main.win, o) : dialog.showOpenDialog(o)),
    },
    backend: hub,
    lang,
    defaultDir: () => app.getPath('documents'),
  });
  const desktop = createDesktopDispatcher({
    'desktop.prefs': (next) => {
      const menuChanged = next.locale !== prefs.locale || next.theme !== prefs.theme;
      prefs = next;
      quitGuard.enabled = next.confirmQuit;
      if (menuChanged) setMenu();
      return { ok: true, data: null };
    },
    'desktop.exportTo': (args) => dialogs.exportTo(args),
    'desktop.captureTo': (args) => dialogs.captureTo(args),
    'desktop.importProfile': () => dialogs.importProfile(),
  });

  function openWindow(): void {
    const primary = screen.getPrimaryDisplay();
    const displays = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)];
    const icon = windowIconPath({ platform: process.platform, isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, mainDir: __dirname });
    const win = createMainWindow({ entry, devTools: mode.devTools, state: clampToDisplays(windowState.read(), displays), ...(icon ? { icon } : {}) });
    trackWindow(win, windowState);
    const id = win.webContents.id;
    const events = attachWindowEvents(hub, win.webContents);
    windows.set(id, events);
    main = { win, events };
    // a reload never acknowledges what the old page had not: forget it
    win.webContents.on('did-start-loading', () => events.reset());
    // on Windows and Linux closing the last window quits: ask first (macOS keeps running without one)
    win.on('close', (event) => {
      if (process.platform !== 'darwin' && !quitGuard.intercept(() => app.quit())) event.preventDefault();
    });
    win.on('closed', () => {
      windows.delete(id);
      if (main?.win === win) main = undefined;
    });
  }

  void app.whenReady().then(() => {
    reopen = openWindow;
    hardenSession();
    prefs = { ...prefs, locale: menuLang(app.getLocale()) };
    setMenu();
    const check = createSenderCheck(
      (id) => windows.has(id),
      (url) => isEntryUrl(entry, url),
    );
    registerIpcHandlers(ipcMain, hub, check, desktop);
    registerAckHandler(ipcMain, (id) => windows.get(id), check);
    openWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Quitting asks first while sessions are live (quit-guard.ts), then closes every socket before the process goes.
  let disposed = false;
  app.on('before-quit', (event) => {
    if (disposed) return;
    if (!quitGuard.intercept(() => app.quit())) {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    disposed = true;
    windowState.flush();
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
