import { describe, expect, it, vi } from 'vitest';
import type { MessageBoxOptions } from 'electron';
import { askToQuit, liveSessionCount, QuitGuard, quitQuestion, shouldAskToQuit, type QuitAnswer } from './quit-guard';

/** A promise and its resolver, for an answer the test gives later. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('shouldAskToQuit', () => {
  it('asks only when enabled, not yet confirmed and with live sessions', () => {
    expect(shouldAskToQuit({ enabled: true, liveSessions: 1, confirmed: false })).toBe(true);
    expect(shouldAskToQuit({ enabled: false, liveSessions: 3, confirmed: false })).toBe(false);
    expect(shouldAskToQuit({ enabled: true, liveSessions: 0, confirmed: false })).toBe(false);
    expect(shouldAskToQuit({ enabled: true, liveSessions: 2, confirmed: true })).toBe(false);
  });

  it('counts the sessions whose sockets are up or coming up', () => {
    const s = (state: Parameters<typeof liveSessionCount>[0][number]['state']) => ({ state });
    expect(liveSessionCount([s('connected'), s('listening'), s('open'), s('connecting'), s('reconnecting')])).toBe(5);
    expect(liveSessionCount([s('idle'), s('closed'), s('error')])).toBe(0);
  });
});

describe('the question', () => {
  it('is a native box in the page\'s language, Quit first, Cancel as the escape, with "Don\'t ask again"', async () => {
    const en = quitQuestion('en', 2);
    expect(en).toMatchObject({ buttons: ['Quit', 'Cancel'], defaultId: 0, cancelId: 1, checkboxLabel: 'Don’t ask again', checkboxChecked: false });
    expect(en.detail).toContain('2 sessions are still open');
    expect(quitQuestion('en', 1).detail).toContain('1 session is still open');
    const zh = quitQuestion('zh-CN', 3);
    expect(zh.buttons).toEqual(['退出', '取消']);
    expect(zh.checkboxLabel).toBe('不再询问');
    expect(zh.detail).toContain('3 个会话');

    const box = vi.fn((_o: MessageBoxOptions) => Promise.resolve({ response: 1, checkboxChecked: true }));
    await expect(askToQuit(box, 'zh-CN', 3)).resolves.toEqual({ quit: false, dontAskAgain: true });
    expect(box).toHaveBeenCalledExactlyOnceWith(zh);
    await expect(askToQuit(() => Promise.resolve({ response: 0 }), 'en', 1)).resolves.toEqual({ quit: true, dontAskAgain: false });
  });
});

describe('QuitGuard', () => {
  function setup(live = 2) {
    const answers: ReturnType<typeof deferred<QuitAnswer>>[] = [];
    const deps = {
      liveSessions: vi.fn(() => live),
      ask: vi.fn(() => {
        const d = deferred<QuitAnswer>();
        answers.push(d);
        return d.promise;
      }),
      dontAskAgain: vi.fn(),
    };
    return { guard: new QuitGuard(deps), deps, answers };
  }

  it('lets a quit through at once when no session is live or when turned off', () => {
    const { guard, deps } = setup(0);
    expect(guard.intercept(vi.fn())).toBe(true);
    const off = setup(4);
    off.guard.enabled = false;
    expect(off.guard.intercept(vi.fn())).toBe(true);
    expect(deps.ask).not.toHaveBeenCalled();
    expect(off.deps.ask).not.toHaveBeenCalled();
  });

  it('stops the quit, asks once however often quitting is tried, and quits on "Quit"', async () => {
    const { guard, deps, answers } = setup(2);
    const proceed = vi.fn();
    expect(guard.intercept(proceed)).toBe(false);
    expect(guard.intercept(proceed)).toBe(false);
    expect(deps.ask).toHaveBeenCalledExactlyOnceWith(2);
    answers[0]!.resolve({ quit: true, dontAskAgain: false });
    await vi.waitFor(() => expect(proceed).toHaveBeenCalledOnce());
    // the quit that follows (and the window closes it causes) go through without asking again
    expect(guard.intercept(vi.fn())).toBe(true);
    expect(deps.ask).toHaveBeenCalledOnce();
    expect(deps.dontAskAgain).not.toHaveBeenCalled();
  });

  it('stays open on "Cancel" and asks again at the next quit', async () => {
    const { guard, deps, answers } = setup(1);
    const proceed = vi.fn();
    expect(guard.intercept(proceed)).toBe(false);
    answers[0]!.resolve({ quit: false, dontAskAgain: false });
    await vi.waitFor(() => expect(guard.busy).toBe(false));
    expect(guard.intercept(proceed)).toBe(false);
    expect(deps.ask).toHaveBeenCalledTimes(2);
    expect(proceed).not.toHaveBeenCalled();
  });

  it('"Don\'t ask again" is kept before the app quits, and no later quit asks', async () => {
    const { guard, deps, answers } = setup(1);
    const order: string[] = [];
    const kept = deferred<void>();
    deps.dontAskAgain.mockImplementation(() => {
      order.push('keep');
      return kept.promise;
    });
    guard.intercept(() => order.push('quit'));
    answers[0]!.resolve({ quit: true, dontAskAgain: true });
    await vi.waitFor(() => expect(order).toEqual(['keep']));
    kept.resolve();
    await vi.waitFor(() => expect(order).toEqual(['keep', 'quit']));
    expect(guard.enabled).toBe(false);
  });

  it('a failed question leaves the app open and lets the user try again', async () => {
    const { guard, deps, answers } = setup(1);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    guard.intercept(vi.fn());
    answers[0]!.resolve(Promise.reject(new Error('no display')) as unknown as QuitAnswer);
    await vi.waitFor(() => expect(guard.busy).toBe(false));
    expect(warn).toHaveBeenCalled();
    expect(guard.intercept(vi.fn())).toBe(false);
    expect(deps.ask).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });
});
