/**
 * The one application window and its security settings: context isolation,
 * sandbox, no Node integration, strict CSP, navigation / window.open /
 * permissions denied, DevTools only where app-mode.ts allows them, and links
 * out of the app only to the allow-list of external-links.ts.
 *
 * Three comments below carry `eng-disable` for electronegativity (.ci/run scans
 * the built out/). Each says why the finding does not apply; `@preserve` keeps
 * it in the bundle, on the line the scanner reports.
 */
import { join } from 'node:path';
import { BrowserWindow, session, shell } from 'electron';
import { CSP_HEADER } from '../../shared/protocol/serve';
import { externalLink, forLog } from './external-links';
import { isEntryUrl, type RendererEntry } from './renderer-entry';
import { DEFAULT_WINDOW, MIN_SIZE, type WindowState } from './window-state';

/** Session-wide guards, installed once before any window exists. */
export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      /* eng-disable CSP_GLOBAL_CHECK: the value is CSP_HEADER from shared/protocol/serve.ts, which electron/web/csp.test.ts proves is the meta-tag policy of renderer/index.html plus frame-ancestors (@preserve) */ responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CSP_HEADER],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
}

/** Opens `url` in the system browser if it is on the allow-list; refuses and logs anything else. */
export function openOutside(url: string): void {
  const link = externalLink(url);
  if (!link.ok) {
    console.warn(`[wirebench] refused to open ${forLog(url)}: ${link.reason}`);
    return;
  }
  /* eng-disable OPEN_EXTERNAL_JS_CHECK: only an https URL to an allow-listed host gets here, checked just above (@preserve) */ shell.openExternal(link.url).catch((e: unknown) => {
    console.warn(`[wirebench] could not open ${forLog(link.url)}: ${e instanceof Error ? e.message : String(e)}`);
  });
}

export interface MainWindowOptions {
  entry: RendererEntry;
  /** Whether DevTools may open (app-mode.ts): false in a packaged build unless debugging. */
  devTools: boolean;
  /** where and how large it opens (window-state.ts, clamped to a display); default 1280×820, placed by the system */
  state?: WindowState;
  /** the window's icon (app-icon.ts); absent: the platform's own */
  icon?: string;
}

export function createMainWindow({ entry, devTools, state = DEFAULT_WINDOW, icon }: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    ...(icon ? { icon } : {}),
    show: false,
    title: 'Wirebench',
    autoHideMenuBar: true,
    // written out here, not spread from a constant, so a reader (and a scanner) sees them at the call
    webPreferences: {
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
      // a middle click on a link raises no auxclick and opens nothing
      disableBlinkFeatures: 'Auxclick',
      devTools,
      /* eng-disable PRELOAD_JS_CHECK: reviewed; the sandboxed preload exposes request(cmd, args), onEvents and platform, nothing raw; main validates every command (electron/preload/index.ts) (@preserve) */ preload: join(__dirname, '../preload/index.cjs'),
    },
  });
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });

  const contents = win.webContents;
  contents.on('will-navigate', (event, url) => {
    if (isEntryUrl(entry, url)) return;
    // the page never navigates away; an allowed link opens in the system browser instead
    event.preventDefault();
    openOutside(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isEntryUrl(entry, url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // nothing opens inside the app; an allowed link opens in the system browser
    openOutside(url);
    return { action: 'deny' };
  });
  if (!devTools) {
    // webPreferences.devTools already forbids them; should they open anyway, close them
    contents.on('devtools-opened', () => contents.closeDevTools());
  }

  void win.loadURL(entry.url);
  return win;
}
