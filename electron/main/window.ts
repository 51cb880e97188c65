/**
 * The one application window and its security settings: context isolation,
 * sandbox, no Node integration, strict CSP, navigation / window.open /
 * permissions denied.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session, shell } from 'electron';
import { CSP } from './csp';

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
} as const;

/** The URL the renderer is loaded from: the dev server in `npm run dev`, else the built file. */
export function rendererUrl(): string {
  const dev = process.env['ELECTRON_RENDERER_URL'];
  if (dev) return dev;
  return pathToFileURL(join(__dirname, '../renderer/index.html')).toString();
}

export function isAppUrl(url: string): boolean {
  const base = rendererUrl();
  try {
    const u = new URL(url);
    const b = new URL(base);
    if (b.protocol === 'file:') return u.protocol === 'file:' && u.pathname === b.pathname;
    return u.origin === b.origin;
  } catch {
    return false;
  }
}

/** Session-wide guards, installed once before any window exists. */
export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CSP],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
}

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Wirebench',
    autoHideMenuBar: true,
    webPreferences: {
      ...SECURE_WEB_PREFERENCES,
      preload: join(__dirname, '../preload/index.cjs'),
    },
  });
  win.once('ready-to-show', () => win.show());

  const contents = win.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // links to documentation open in the system browser; nothing opens inside the app
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  void win.loadURL(rendererUrl());
  return win;
}
