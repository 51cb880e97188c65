/**
 * The window's guards, with a fake 'electron' module (the binary cannot run
 * in CI): the web preferences it is built with, and what its navigation,
 * window.open and DevTools handlers do.
 */
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

const fake = vi.hoisted(() => {
  class FakeContents {
    listeners = new Map<string, Listener[]>();
    openHandler: ((d: { url: string }) => { action: string }) | undefined;
    closeDevTools = vi.fn();
    on(event: string, cb: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), cb]);
      return this;
    }
    emit(event: string, ...args: unknown[]) {
      for (const cb of this.listeners.get(event) ?? []) cb(...args);
    }
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      this.openHandler = h;
    }
  }
  class FakeWindow {
    static last: FakeWindow | undefined;
    webContents = new FakeContents();
    loaded: string | undefined;
    constructor(public options: { webPreferences: Record<string, unknown> } & Record<string, unknown>) {
      FakeWindow.last = this;
    }
    readyToShow: (() => void) | undefined;
    calls: string[] = [];
    once(event: string, cb: () => void) {
      if (event === 'ready-to-show') this.readyToShow = cb;
      return this;
    }
    show() {
      this.calls.push('show');
    }
    maximize() {
      this.calls.push('maximize');
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
  }
  const openExternal = vi.fn((_url: string) => Promise.resolve());
  const ses = {
    permissionRequest: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
    permissionCheck: undefined as undefined | (() => boolean),
    headers: undefined as undefined | ((d: unknown, cb: (r: unknown) => void) => void),
  };
  return { FakeWindow, openExternal, ses };
});

vi.mock('electron', () => ({
  BrowserWindow: fake.FakeWindow,
  shell: { openExternal: fake.openExternal },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (h: typeof fake.ses.permissionRequest) => (fake.ses.permissionRequest = h),
      setPermissionCheckHandler: (h: typeof fake.ses.permissionCheck) => (fake.ses.permissionCheck = h),
      webRequest: { onHeadersReceived: (h: typeof fake.ses.headers) => (fake.ses.headers = h) },
    },
  },
}));

const { createMainWindow, hardenSession } = await import('./window');
const { rendererEntry } = await import('./renderer-entry');

const builtFile = '/opt/Wirebench/out/renderer/index.html';
const page = pathToFileURL(builtFile).toString();
const packaged = rendererEntry({ isPackaged: true, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173/' }, builtFile });

function open(devTools: boolean) {
  createMainWindow({ entry: packaged, devTools });
  const win = fake.FakeWindow.last!;
  return { win, contents: win.webContents };
}

function navigate(contents: InstanceType<typeof fake.FakeWindow>['webContents'], event: string, url: string): boolean {
  let prevented = false;
  contents.emit(event, { preventDefault: () => (prevented = true) }, url);
  return prevented;
}

beforeEach(() => {
  fake.openExternal.mockClear();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('createMainWindow', () => {
  it('keeps the secure web preferences, written out at the BrowserWindow call', () => {
    const { win } = open(false);
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
    expect(win.options.webPreferences['preload']).toMatch(/preload[/\\]index\.cjs$/);
  });

  it('opens where the saved state says, maximized after it is ready, with the icon it is given', () => {
    createMainWindow({ entry: packaged, devTools: false, state: { x: -1500, y: 40, width: 1100, height: 700, maximized: true }, icon: '/opt/Wirebench/resources/icon.png' });
    const win = fake.FakeWindow.last!;
    expect(win.options).toMatchObject({ x: -1500, y: 40, width: 1100, height: 700, minWidth: 900, minHeight: 600, icon: '/opt/Wirebench/resources/icon.png', show: false });
    expect(win.calls).toEqual([]);
    win.readyToShow?.();
    expect(win.calls).toEqual(['maximize', 'show']);
    // no state: the default size, placed by the system, not maximized, no icon of its own
    const { win: plain } = open(false);
    expect(plain.options).toMatchObject({ width: 1280, height: 820 });
    expect(plain.options).not.toHaveProperty('x');
    expect(plain.options).not.toHaveProperty('icon');
    plain.readyToShow?.();
    expect(plain.calls).toEqual(['show']);
  });

  it('loads the bundled page in a packaged app even with ELECTRON_RENDERER_URL set', () => {
    expect(open(false).win.loaded).toBe(page);
  });

  it('lets DevTools be when allowed, and closes them when not', () => {
    const allowed = open(true);
    expect(allowed.win.options.webPreferences['devTools']).toBe(true);
    allowed.contents.emit('devtools-opened');
    expect(allowed.contents.closeDevTools).not.toHaveBeenCalled();

    const denied = open(false);
    denied.contents.emit('devtools-opened');
    expect(denied.contents.closeDevTools).toHaveBeenCalledOnce();
  });

  it('never navigates away from our page; an allow-listed link opens in the browser instead', () => {
    const { contents } = open(false);
    expect(navigate(contents, 'will-navigate', `${page}#/x`)).toBe(false);
    expect(navigate(contents, 'will-navigate', 'http://localhost:5173/')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(fake.openExternal).not.toHaveBeenCalled();
    expect(navigate(contents, 'will-navigate', 'https://github.com/x')).toBe(true);
    expect(fake.openExternal).toHaveBeenCalledExactlyOnceWith('https://github.com/x');
    expect(navigate(contents, 'will-redirect', 'https://github.com/x')).toBe(true);
    expect(fake.openExternal).toHaveBeenCalledOnce();
    let webview = false;
    contents.emit('will-attach-webview', { preventDefault: () => (webview = true) });
    expect(webview).toBe(true);
  });

  it('denies every window.open, opening only allow-listed https links outside, and logs refusals', () => {
    const { contents } = open(false);
    for (const url of ['https://github.com/', 'http://github.com/', 'file:///etc/passwd', 'https://evil.example/', 'javascript:1']) {
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(fake.openExternal).toHaveBeenCalledExactlyOnceWith('https://github.com/');
    expect(console.warn).toHaveBeenCalledTimes(4);
    expect(console.warn).toHaveBeenCalledWith(expect.stringMatching(/refused to open file:\/\/\/etc\/passwd: scheme file: is not https:/));
  });
});

describe('hardenSession', () => {
  it('denies every permission and sends the CSP header', () => {
    hardenSession();
    const granted: boolean[] = [];
    fake.ses.permissionRequest!({}, 'media', (ok) => granted.push(ok));
    expect(granted).toEqual([false]);
    expect(fake.ses.permissionCheck!()).toBe(false);
    let response: { responseHeaders: Record<string, string[]> } | undefined;
    fake.ses.headers!({ responseHeaders: { A: ['b'] } }, (r) => (response = r as typeof response));
    expect(response!.responseHeaders['Content-Security-Policy']![0]).toMatch(/script-src 'self'/);
    expect(response!.responseHeaders['X-Content-Type-Options']).toEqual(['nosniff']);
    expect(response!.responseHeaders['A']).toEqual(['b']);
  });
});
