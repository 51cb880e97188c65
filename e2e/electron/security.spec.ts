/**
 * The window's security, read from the running app (electron/main/window.ts sets it):
 * the live webPreferences, the exact `window.wirebench` surface of the preload, and
 * navigation and `window.open` refused with the page left on the app.
 */
import { expect, test } from '@playwright/test';
import { useLaunchedApp, type WirebenchLike } from './launch';

/** `webContents.getLastWebPreferences()`: the preferences the page really got (not in Electron's typings). */
interface WithLastPrefs {
  getLastWebPreferences(): Record<string, unknown> | null;
}

test.describe('desktop app: window security', () => {
  const launched = useLaunchedApp();

  test('the live window is context-isolated and sandboxed, without Node', async () => {
    const { app, page } = launched;
    const live = await app.evaluate(({ app: electronApp, BrowserWindow }) => {
      const wins = BrowserWindow.getAllWindows();
      const contents = wins[0]?.webContents;
      const prefs = contents ? (contents as unknown as WithLastPrefs).getLastWebPreferences() : null;
      const pid = contents?.getOSProcessId();
      // where the OS reports it (Windows, macOS): the renderer process really is sandboxed
      const metric = electronApp.getAppMetrics().find((m) => m.pid === pid);
      return {
        windows: wins.length,
        prefs: prefs && {
          contextIsolation: prefs['contextIsolation'],
          sandbox: prefs['sandbox'],
          nodeIntegration: prefs['nodeIntegration'],
          nodeIntegrationInSubFrames: prefs['nodeIntegrationInSubFrames'],
          webviewTag: prefs['webviewTag'],
          webSecurity: prefs['webSecurity'],
        },
        osSandboxed: metric?.sandboxed,
      };
    });
    expect(live.windows).toBe(1);
    expect(live.prefs).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
    });
    if (live.osSandboxed !== undefined) expect(live.osSandboxed).toBe(true);

    // what the page's own scripts see: no Node
    const globals = await page.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown>;
      return { require: typeof g['require'], process: typeof g['process'], module: typeof g['module'], Buffer: typeof g['Buffer'] };
    });
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', Buffer: 'undefined' });
  });

  test('window.wirebench is exactly request, onEvents and platform, frozen', async () => {
    const { page } = launched;
    const api = await page.evaluate(() => {
      const w = (globalThis as unknown as { wirebench?: Record<string, unknown> }).wirebench;
      if (!w) return null;
      return {
        keys: Reflect.ownKeys(w).map(String).sort(),
        types: Object.fromEntries(Object.entries(w).map(([k, v]) => [k, typeof v])),
        frozen: Object.isFrozen(w),
      };
    });
    expect(api).toEqual({
      keys: ['onEvents', 'platform', 'request'],
      types: { onEvents: 'function', platform: 'string', request: 'function' },
      frozen: true,
    });

    // the page can neither replace the API nor add to it
    const after = await page.evaluate(() => {
      const g = globalThis as unknown as { wirebench: Record<string, unknown> };
      const original = g.wirebench;
      try {
        g.wirebench = { request: () => 'forged' };
      } catch {
        /* read-only in strict code */
      }
      try {
        original['invoke'] = () => 'forged';
      } catch {
        /* frozen */
      }
      return { same: g.wirebench === original, keys: Object.keys(g.wirebench).sort() };
    });
    expect(after).toEqual({ same: true, keys: ['onEvents', 'platform', 'request'] });

    // and the API works: the command channel answers our page
    const listed = await page.evaluate(() => (globalThis as unknown as { wirebench: WirebenchLike }).wirebench.request('session.list', {}));
    expect(listed.ok).toBe(true);
  });

  test('navigating away is refused and the page stays the app', async () => {
    const { app, page } = launched;
    const ours = page.url();
    expect(ours).toMatch(/^file:.*\/index\.html/);
    // listen after the app's own will-navigate handler, so each entry says whether it refused
    await app.evaluate(({ BrowserWindow }) => {
      const seen: { url: string; prevented: boolean }[] = [];
      (globalThis as unknown as { wbNavigations: typeof seen }).wbNavigations = seen;
      BrowserWindow.getAllWindows()[0]?.webContents.on('will-navigate', (event, url) => {
        seen.push({ url, prevented: event.defaultPrevented });
      });
    });

    await page.evaluate(() => {
      location.href = 'https://example.invalid/';
    });
    await expect
      .poll(() => app.evaluate(() => (globalThis as unknown as { wbNavigations: unknown[] }).wbNavigations))
      .toEqual([{ url: 'https://example.invalid/', prevented: true }]);

    // still our page, still working
    const listed = await page.evaluate(() => (globalThis as unknown as { wirebench: WirebenchLike }).wirebench.request('session.list', {}));
    expect(listed.ok).toBe(true);
    expect(page.url()).toBe(ours);
    await expect(page.getByRole('button', { name: 'New session' }).first()).toBeVisible();
  });

  test('window.open opens nothing', async () => {
    const { app, page } = launched;
    await app.evaluate(({ app: electronApp, BrowserWindow }) => {
      const created: string[] = [];
      (globalThis as unknown as { wbCreated: string[] }).wbCreated = created;
      electronApp.on('browser-window-created', (_e, win) => created.push(win.webContents.getURL()));
      BrowserWindow.getAllWindows()[0]?.webContents.on('did-create-window', (_win, details) => created.push(details.url));
    });

    const results = await page.evaluate(() => [
      window.open('https://example.invalid/') === null,
      window.open('about:blank', '_blank') === null,
      window.open(location.href, 'second') === null,
    ]);
    expect(results).toEqual([true, true, true]);

    // a round trip through the main process, then nothing was created
    const state = await app.evaluate(({ BrowserWindow }) => ({
      windows: BrowserWindow.getAllWindows().length,
      created: (globalThis as unknown as { wbCreated: string[] }).wbCreated,
    }));
    expect(state).toEqual({ windows: 1, created: [] });
    expect(page.url()).toMatch(/^file:.*\/index\.html/);
  });
});
