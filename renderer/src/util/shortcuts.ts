/**
 * The app's keyboard shortcuts: which key does what, and when a key press is
 * one. Pure (no Vue, no DOM globals), so it is tested on its own; the wiring
 * is use-shortcuts.ts and the list the user sees is ShortcutsHelp.vue.
 *
 * Single keys act only when the caret is not in a text field (nor in a select
 * or a list that takes typed letters), so typing never triggers anything; keys
 * with Ctrl (⌘ on a Mac) and F1 act everywhere. Nothing acts while a dialog is
 * open or while an input method is composing.
 */

export type ShortcutAction = 'newSession' | 'clearLog' | 'pause' | 'viewText' | 'viewHex' | 'viewBoth' | 'focusSend' | 'help';

export interface Shortcut {
  action: ShortcutAction;
  /** what the help shows, one entry per alternative (e.g. ['?', 'F1']) */
  keys: string[];
  /** also while typing in a text field (a modifier or a function key) */
  anywhere: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'newSession', keys: ['N'], anywhere: false },
  { action: 'clearLog', keys: ['Ctrl+L'], anywhere: true },
  { action: 'pause', keys: ['P'], anywhere: false },
  { action: 'viewText', keys: ['1'], anywhere: false },
  { action: 'viewHex', keys: ['2'], anywhere: false },
  { action: 'viewBoth', keys: ['3'], anywhere: false },
  { action: 'focusSend', keys: ['S'], anywhere: false },
  { action: 'help', keys: ['?', 'F1'], anywhere: false },
];

/** The fields of a KeyboardEvent this needs. */
export interface KeyPress {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  isComposing?: boolean;
  repeat?: boolean;
}

const PLAIN: Record<string, ShortcutAction> = {
  n: 'newSession',
  p: 'pause',
  '1': 'viewText',
  '2': 'viewHex',
  '3': 'viewBoth',
  s: 'focusSend',
  '?': 'help',
};

/**
 * The action of a key press, or null. `typing`: the focus is in a text field
 * (see isTypingTarget); `dialogOpen`: a modal dialog is showing.
 */
export function shortcutOf(e: KeyPress, typing: boolean, dialogOpen: boolean): ShortcutAction | null {
  if (dialogOpen || e.isComposing || e.key === 'Process') return null;
  if (e.key === 'F1' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey) return 'help';
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !e.altKey && !e.shiftKey && (e.code === 'KeyL' || e.key.toLowerCase() === 'l')) return 'clearLog';
  if (typing || mod || e.altKey || e.repeat) return null;
  // '?' needs Shift on most layouts; a letter with Shift is not a shortcut
  if (e.shiftKey && e.key !== '?') return null;
  return PLAIN[e.key.toLowerCase()] ?? null;
}

/** The element's facts isTypingTarget needs (a DOM Element has them all). */
export interface FocusTarget {
  tagName: string;
  isContentEditable?: boolean;
  getAttribute(name: string): string | null;
  closest?(selector: string): unknown;
}

const TEXT_INPUTS = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'time', 'datetime-local', 'month', 'week']);
/** roles whose widgets take typed characters (type-ahead, text) */
const TYPING_ROLES = new Set(['textbox', 'combobox', 'listbox', 'searchbox', 'spinbutton', 'menu', 'menubar', 'tree']);

/**
 * Is the focus somewhere typed characters go to: a text input, a textarea, a
 * select, an editable element, or a widget that takes type-ahead? The log's
 * grid is not one (it only takes Ctrl+A, Ctrl+C and Esc).
 */
export function isTypingTarget(el: FocusTarget | null): boolean {
  if (!el) return false;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable) return true;
  if (tag === 'INPUT') return TEXT_INPUTS.has((el.getAttribute('type') ?? 'text').toLowerCase());
  const role = el.getAttribute('role');
  if (role && TYPING_ROLES.has(role)) return true;
  // naive-ui's selects and dropdown menus keep the focus on a wrapper
  return !!el.closest?.('.n-base-selection, .n-dropdown-menu, .n-base-select-menu');
}
