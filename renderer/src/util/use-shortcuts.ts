/**
 * The keyboard shortcuts wired to the app (the keys are shortcuts.ts): one
 * keydown listener on the window, installed by App.vue. The log's actions go
 * to the log view on screen, which registers itself with onLogCommand.
 */
import { onBeforeUnmount, onMounted } from 'vue';
import { isTypingTarget, shortcutOf, type ShortcutAction } from './shortcuts';

export type LogCommand = Extract<ShortcutAction, 'clearLog' | 'pause' | 'viewText' | 'viewHex' | 'viewBoth'>;
const LOG_COMMANDS: readonly ShortcutAction[] = ['clearLog', 'pause', 'viewText', 'viewHex', 'viewBoth'];

const logHandlers = new Set<(c: LogCommand) => void>();

/** The log view on screen takes the log's shortcuts while it is mounted. */
export function onLogCommand(handler: (c: LogCommand) => void): void {
  onMounted(() => logHandlers.add(handler));
  onBeforeUnmount(() => logHandlers.delete(handler));
}

/** A modal dialog or drawer is showing (naive-ui marks them aria-modal). */
function dialogOpen(): boolean {
  return document.querySelector('[aria-modal="true"]') !== null;
}

export interface ShortcutHandlers {
  newSession(): void;
  focusSend(): void;
  help(): void;
}

export function useShortcuts(h: ShortcutHandlers): void {
  function onKeydown(e: KeyboardEvent): void {
    if (e.defaultPrevented) return;
    const action = shortcutOf(e, isTypingTarget(document.activeElement), dialogOpen());
    if (!action) return;
    if (LOG_COMMANDS.includes(action)) {
      if (logHandlers.size === 0) return;
      for (const fn of logHandlers) fn(action as LogCommand);
    } else if (action === 'newSession') h.newSession();
    else if (action === 'focusSend') h.focusSend();
    else h.help();
    e.preventDefault();
  }
  onMounted(() => window.addEventListener('keydown', onKeydown));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown));
}
