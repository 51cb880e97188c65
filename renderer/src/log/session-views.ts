/**
 * The log store's per-session view state (text/hex/both, word wrap): small,
 * reactive, and remembered across reloads through ViewPrefs. A session first
 * seen starts in the view the settings name for new sessions.
 */
import { ref } from 'vue';
import type { DisplayMode } from './types';
import { browserStorage, viewKey, ViewPrefs, type SessionView } from './view-prefs';

export function createSessionViews(defaultView: () => DisplayMode, prefs = new ViewPrefs(browserStorage())) {
  const views = ref<Record<string, SessionView>>({});
  /** session id → its key in the prefs (id and creation time) */
  const keys = new Map<string, string>();

  /** A session is known (opened, or listed after a re-sync): its remembered view, or the default. */
  function note(sessionId: string, createdAt: number): void {
    if (keys.has(sessionId)) return;
    const key = viewKey(sessionId, createdAt);
    keys.set(sessionId, key);
    let v = prefs.get(key);
    if (!v) {
      v = { mode: defaultView(), wrap: false };
      prefs.set(key, v);
    }
    views.value = { ...views.value, [sessionId]: v };
  }

  const mode = (id: string): DisplayMode => views.value[id]?.mode ?? defaultView();
  const wrap = (id: string): boolean => views.value[id]?.wrap ?? false;

  function set(id: string, patch: Partial<SessionView>): void {
    const v: SessionView = { mode: mode(id), wrap: wrap(id), ...patch };
    views.value = { ...views.value, [id]: v };
    const key = keys.get(id);
    if (key) prefs.set(key, v);
  }

  /** The session was removed: forget its view for good. */
  function remove(id: string): void {
    const key = keys.get(id);
    if (key) prefs.delete(key);
    keys.delete(id);
    if (id in views.value) {
      const next = { ...views.value };
      delete next[id];
      views.value = next;
    }
  }

  /** After a re-sync: the engine's sessions are all there is (others' remembered views go). */
  function retain(sessions: readonly { sessionId: string; createdAt: number }[]): void {
    prefs.retain(new Set(sessions.map((s) => viewKey(s.sessionId, s.createdAt))));
  }

  return { note, mode, wrap, set, remove, retain };
}
