import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { claimSingleInstance, focusWindow, type FocusableWindow } from './single-instance';

class FakeApp extends EventEmitter {
  quit = vi.fn();
  constructor(private readonly lock: boolean) {
    super();
  }
  requestSingleInstanceLock = vi.fn(() => this.lock);
}

function fakeWindow(state: { minimized?: boolean; visible?: boolean; destroyed?: boolean } = {}) {
  const calls: string[] = [];
  const win: FocusableWindow = {
    isDestroyed: () => state.destroyed ?? false,
    isMinimized: () => state.minimized ?? false,
    isVisible: () => state.visible ?? true,
    restore: () => calls.push('restore'),
    show: () => calls.push('show'),
    focus: () => calls.push('focus'),
  };
  return { win, calls };
}

describe('single instance', () => {
  it('the first launch keeps the lock, and a second launch restores and focuses its window', () => {
    const app = new FakeApp(true);
    const { win, calls } = fakeWindow({ minimized: true });
    expect(claimSingleInstance(app, () => win)).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    expect(calls).toEqual([]);
    app.emit('second-instance');
    expect(calls).toEqual(['restore', 'focus']);
  });

  it('a second launch quits at once and listens for nothing', () => {
    const app = new FakeApp(false);
    const mainWindow = vi.fn();
    expect(claimSingleInstance(app, mainWindow)).toBe(false);
    expect(app.quit).toHaveBeenCalledOnce();
    expect(app.listenerCount('second-instance')).toBe(0);
    expect(mainWindow).not.toHaveBeenCalled();
  });

  it('asks for a new window when the first instance has none (macOS keeps running without one)', () => {
    const app = new FakeApp(true);
    const noWindow = vi.fn();
    const current: { win?: FocusableWindow } = {};
    claimSingleInstance(app, () => current.win, noWindow);
    app.emit('second-instance');
    expect(noWindow).toHaveBeenCalledOnce();
    const { win, calls } = fakeWindow({ destroyed: true });
    current.win = win;
    app.emit('second-instance');
    expect(noWindow).toHaveBeenCalledTimes(2);
    expect(calls).toEqual([]);
  });

  it('focusWindow shows a hidden window and only focuses a visible one', () => {
    const hidden = fakeWindow({ visible: false });
    expect(focusWindow(hidden.win)).toBe(true);
    expect(hidden.calls).toEqual(['show', 'focus']);
    const shown = fakeWindow();
    expect(focusWindow(shown.win)).toBe(true);
    expect(shown.calls).toEqual(['focus']);
    expect(focusWindow(undefined)).toBe(false);
  });
});
