/**
 * No IPC channel answers a frame that isn't ours (electron/main/ipc.ts createSenderCheck:
 * only our window's top frame showing our page). Each refusal is paired with the same
 * request from our own page being answered, so a refusal cannot come from a broken request.
 *  - another window, with the same preload, on a foreign page: its request is FORBIDDEN;
 *  - another window, with the same preload, on our very page: FORBIDDEN too (not our window);
 *  - a sub-frame of our window: the sandboxed preload does not run there (no window.wirebench),
 *    and an invoke arriving from it, given to every registered invoke handler with that real
 *    frame as the sender, is FORBIDDEN on every channel.
 */
import { expect, test } from '@playwright/test';
import { PRELOAD, useLaunchedApp, type LaunchedApp, type WirebenchLike } from './launch';

interface ResultLike {
  ok: boolean;
  code?: string;
}

/** Runs `window.wirebench.request('session.list', {})` in a new hidden window with our preload, showing `url`. */
async function requestFromOtherWindow(launched: LaunchedApp, url: string): Promise<unknown> {
  return launched.app.evaluate(
    async ({ BrowserWindow }, { preload, url: pageUrl }) => {
      const win = new BrowserWindow({
        show: false,
        webPreferences: { preload, sandbox: true, contextIsolation: true, nodeIntegration: false },
      });
      try {
        await win.loadURL(pageUrl);
        return await win.webContents.executeJavaScript(
          `(async () => {
            const api = window.wirebench;
            if (!api) return { noApi: true };
            return await api.request('session.list', {});
          })()`,
        );
      } finally {
        win.destroy();
      }
    },
    { preload: PRELOAD, url },
  );
}

test.describe('desktop app: IPC answers only our frame', () => {
  const launched = useLaunchedApp();

  async function ourRequest(): Promise<ResultLike> {
    return launched.page.evaluate(() => (globalThis as unknown as { wirebench: WirebenchLike }).wirebench.request('session.list', {}));
  }

  test('another window on a foreign page is refused', async () => {
    expect(await ourRequest()).toMatchObject({ ok: true });
    const foreign = await requestFromOtherWindow(launched, 'data:text/html,<title>foreign</title><p>foreign page</p>');
    expect(foreign).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  test('another window on our own page is refused: it is not our window', async () => {
    expect(await ourRequest()).toMatchObject({ ok: true });
    const copy = await requestFromOtherWindow(launched, launched.page.url());
    expect(copy).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    // the app's own window is untouched
    expect(await launched.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    expect(await ourRequest()).toMatchObject({ ok: true });
  });

  test('a sub-frame of our window gets no API, and its invoke is refused', async () => {
    const { app, page } = launched;
    const hasApi = await page.evaluate(() => {
      const frame = document.createElement('iframe');
      frame.title = 'foreign frame';
      frame.hidden = true;
      document.body.appendChild(frame);
      const inner = frame.contentWindow as unknown as { wirebench?: unknown } | null;
      return inner !== null && inner.wirebench !== undefined;
    });
    expect(hasApi).toBe(false);
    await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.webContents.mainFrame.frames.length)).toBe(1);

    // every handler ipcMain.handle registered, called as Electron calls it for an invoke from
    // each frame (ipcMain keeps them in `_invokeHandlers`). The sub-frame goes to every channel;
    // our top frame only to the command channel (shared/protocol/ipc.ts: `…:command`), as control.
    const answers = await app.evaluate(async ({ BrowserWindow, ipcMain }) => {
      type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
      const handlers = (ipcMain as unknown as { _invokeHandlers?: Map<string, Handler> })._invokeHandlers;
      const contents = BrowserWindow.getAllWindows()[0]?.webContents;
      const top = contents?.mainFrame;
      const sub = top?.frames[0];
      if (!handlers || !contents || !top || !sub) {
        return { missing: { handlers: !handlers, contents: !contents, top: !top, sub: !sub } };
      }
      const invoke = (handler: Handler, frame: typeof top) =>
        handler({ sender: contents, senderFrame: frame, frameId: frame.routingId, processId: frame.processId }, 'session.list', {});
      const fromSub: Record<string, unknown> = {};
      const fromTop: Record<string, unknown> = {};
      for (const [channel, handler] of handlers) {
        fromSub[channel] = await invoke(handler, sub);
        if (channel.endsWith(':command')) fromTop[channel] = await invoke(handler, top);
      }
      return { fromTop, fromSub, subIsChild: sub.parent === top };
    });

    expect(answers).toHaveProperty('subIsChild', true);
    const { fromTop, fromSub } = answers as { fromTop: Record<string, unknown>; fromSub: Record<string, unknown> };
    // the control: our top frame is answered on the command channel
    expect(Object.values(fromTop)).toEqual([expect.objectContaining({ ok: true })]);
    // the sub-frame is refused on every channel, the command channel included
    expect(Object.keys(fromSub)).toEqual(expect.arrayContaining(Object.keys(fromTop)));
    for (const [channel, answer] of Object.entries(fromSub)) {
      expect(answer, `channel ${channel}`).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
  });
});
