import { describe, expect, it } from 'vitest';
import { windowTitle } from './window-title';

describe('window title', () => {
  it('names the session on screen and its state, with the unread count first', () => {
    expect(windowTitle({ session: { name: 'PLC', state: 'Connected' }, unread: 0, empty: 'x' })).toBe('\u2068PLC\u2069 · Connected — Wirebench');
    expect(windowTitle({ session: { name: 'PLC', state: 'Connected' }, unread: 3, empty: 'x' })).toBe('(3) \u2068PLC\u2069 · Connected — Wirebench');
    expect(windowTitle({ session: { name: 'PLC', state: '已连接' }, unread: 1000, empty: 'x' })).toBe('(99+) \u2068PLC\u2069 · 已连接 — Wirebench');
    expect(windowTitle({ session: null, unread: 5, empty: 'Wirebench 网络调试助手' })).toBe('Wirebench 网络调试助手');
  });

  it('a name cannot reorder the title: bidi controls are shown, the name is isolated', () => {
    const title = windowTitle({ session: { name: 'invoice\u202Efdp.exe', state: 'Open' }, unread: 0, empty: '' });
    expect(title).toBe('\u2068invoice\\u202Efdp.exe\u2069 · Open — Wirebench');
    expect(title).not.toContain('\u202E');
  });
});
