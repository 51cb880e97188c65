/**
 * The window title: the session on screen, its state and an unread mark,
 * e.g. `(3) PLC gateway · Connected — Wirebench`. Serve mode shows it as the
 * tab's title; Electron's window takes the page title too. The unread count
 * is the other sessions' unread messages plus, while the page is hidden, what
 * the session on screen received meanwhile. The name is isolated (FSI … PDI)
 * with its bidi controls shown as escapes, so it cannot reorder the title.
 */
import { computed, onBeforeUnmount, ref, watch, watchEffect } from 'vue';
import { useI18n } from 'vue-i18n';
import { isolatedName } from '../log/format';
import { useLogStore } from '../stores/logs';
import { useSessionsStore } from '../stores/sessions';

export const APP_NAME = 'Wirebench';

export function windowTitle(o: { session: { name: string; state: string } | null; unread: number; empty: string }): string {
  if (!o.session) return o.empty;
  const mark = o.unread > 0 ? `(${o.unread > 99 ? '99+' : o.unread}) ` : '';
  return `${mark}${isolatedName(o.session.name)} · ${o.session.state} — ${APP_NAME}`;
}

/** Keep `document.title` in step (call once, from the app's root component). */
export function useWindowTitle(): void {
  const { t } = useI18n();
  const sessions = useSessionsStore();
  const logs = useLogStore();
  const hidden = ref(typeof document !== 'undefined' && document.visibilityState === 'hidden');
  /** the active session's received messages when the page was hidden */
  const hiddenBase = ref<{ id: string; rx: number } | null>(null);

  const onVisibility = (): void => {
    hidden.value = document.visibilityState === 'hidden';
  };
  document.addEventListener('visibilitychange', onVisibility);
  onBeforeUnmount(() => document.removeEventListener('visibilitychange', onVisibility));

  watch(
    [hidden, () => sessions.activeId],
    ([h, id]) => {
      hiddenBase.value = h && id ? { id, rx: sessions.countersOf(id).rxMessages } : null;
    },
    { immediate: true },
  );

  const unread = computed(() => {
    let n = 0;
    for (const s of sessions.list) if (s.sessionId !== sessions.activeId) n += logs.unread(s.sessionId);
    const base = hiddenBase.value;
    if (base && base.id === sessions.activeId) n += Math.max(0, sessions.countersOf(base.id).rxMessages - base.rx);
    return n;
  });

  watchEffect(() => {
    const a = sessions.active;
    document.title = windowTitle({
      session: a ? { name: a.name, state: t(`state.${a.state}`) } : null,
      unread: unread.value,
      empty: t('app.title'),
    });
  });
}
