import { describe, expect, it } from 'vitest';
import { isTypingTarget, shortcutOf, SHORTCUTS, type FocusTarget, type KeyPress } from './shortcuts';
import en from '../i18n/en';
import zhCN from '../i18n/zh-CN';

const key = (k: string, o: Partial<KeyPress> = {}): KeyPress => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...o });

function el(tagName: string, attrs: Record<string, string> = {}, o: { editable?: boolean; inside?: string[] } = {}): FocusTarget {
  return {
    tagName,
    isContentEditable: o.editable ?? false,
    getAttribute: (n) => attrs[n] ?? null,
    closest: (sel) => (o.inside ?? []).some((c) => sel.includes(c)) || null,
  };
}

describe('shortcutOf', () => {
  it('maps the single keys when not typing', () => {
    expect(shortcutOf(key('n'), false, false)).toBe('newSession');
    expect(shortcutOf(key('N', { shiftKey: false }), false, false)).toBe('newSession');
    expect(shortcutOf(key('p'), false, false)).toBe('pause');
    expect(shortcutOf(key('1'), false, false)).toBe('viewText');
    expect(shortcutOf(key('2'), false, false)).toBe('viewHex');
    expect(shortcutOf(key('3'), false, false)).toBe('viewBoth');
    expect(shortcutOf(key('s'), false, false)).toBe('focusSend');
    expect(shortcutOf(key('?', { shiftKey: true }), false, false)).toBe('help');
    expect(shortcutOf(key('F1'), false, false)).toBe('help');
  });

  it('never takes a typed character in a text field, but Ctrl+L and F1 still act', () => {
    for (const k of ['n', 'p', '1', '2', '3', 's', '?']) expect(shortcutOf(key(k, { shiftKey: k === '?' }), true, false)).toBeNull();
    expect(shortcutOf(key('l', { ctrlKey: true, code: 'KeyL' }), true, false)).toBe('clearLog');
    expect(shortcutOf(key('l', { metaKey: true, code: 'KeyL' }), true, false)).toBe('clearLog');
    expect(shortcutOf(key('F1'), true, false)).toBe('help');
  });

  it('leaves other modifier combinations, Shift+letters, repeats and IME composition alone', () => {
    expect(shortcutOf(key('n', { ctrlKey: true }), false, false)).toBeNull(); // the browser's new window
    expect(shortcutOf(key('p', { altKey: true }), false, false)).toBeNull();
    expect(shortcutOf(key('N', { shiftKey: true }), false, false)).toBeNull();
    expect(shortcutOf(key('l', { ctrlKey: true, shiftKey: true, code: 'KeyL' }), false, false)).toBeNull();
    expect(shortcutOf(key('p', { repeat: true }), false, false)).toBeNull();
    expect(shortcutOf(key('n', { isComposing: true }), false, false)).toBeNull();
    expect(shortcutOf(key('Process'), false, false)).toBeNull();
    expect(shortcutOf(key('x'), false, false)).toBeNull();
  });

  it('does nothing while a dialog is open', () => {
    expect(shortcutOf(key('n'), false, true)).toBeNull();
    expect(shortcutOf(key('l', { ctrlKey: true, code: 'KeyL' }), false, true)).toBeNull();
    expect(shortcutOf(key('F1'), false, true)).toBeNull();
  });

  it('finds Ctrl+L by its key code on other layouts', () => {
    expect(shortcutOf(key('д', { ctrlKey: true, code: 'KeyL' }), false, false)).toBe('clearLog');
  });
});

describe('isTypingTarget', () => {
  it('knows text fields, selects, editable elements and type-ahead widgets', () => {
    expect(isTypingTarget(el('textarea'))).toBe(true);
    expect(isTypingTarget(el('INPUT'))).toBe(true);
    expect(isTypingTarget(el('input', { type: 'number' }))).toBe(true);
    expect(isTypingTarget(el('select'))).toBe(true);
    expect(isTypingTarget(el('div', {}, { editable: true }))).toBe(true);
    expect(isTypingTarget(el('div', { role: 'combobox' }))).toBe(true);
    expect(isTypingTarget(el('div', { role: 'listbox' }))).toBe(true);
    expect(isTypingTarget(el('div', { tabindex: '0' }, { inside: ['.n-base-selection'] }))).toBe(true);
  });

  it('lets buttons, checkboxes, radios, the log grid and the page itself have the keys', () => {
    expect(isTypingTarget(null)).toBe(false);
    expect(isTypingTarget(el('body'))).toBe(false);
    expect(isTypingTarget(el('button'))).toBe(false);
    expect(isTypingTarget(el('input', { type: 'checkbox' }))).toBe(false);
    expect(isTypingTarget(el('input', { type: 'radio' }))).toBe(false);
    expect(isTypingTarget(el('div', { role: 'grid', tabindex: '0' }))).toBe(false);
    expect(isTypingTarget(el('div', { role: 'tab' }))).toBe(false);
  });
});

describe('the shortcut list', () => {
  it('has a name for every action in both languages', () => {
    for (const s of SHORTCUTS) {
      expect(en.a11y.shortcuts[s.action]).toBeTruthy();
      expect(zhCN.a11y.shortcuts[s.action]).toBeTruthy();
      expect(zhCN.a11y.shortcuts[s.action]).not.toMatch(/[A-Za-z]{3,}/);
    }
  });
});
