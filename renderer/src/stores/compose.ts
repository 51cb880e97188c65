/**
 * The send panel's state of every session, and what it would send right now.
 *
 * - Drafts: per session, the form (mode, text/hex, the encoding the user
 *   picked or none, escapes, line ending, checksum), the recall list (sent messages) and the
 *   result of the last send. They outlive the panel (switching sessions keeps
 *   them) and are saved per session in localStorage (send-storage.ts) and in
 *   the workspace/profiles (`send` of a profile session; `sendStateOf` and
 *   `restoreSend`, used by the profiles store).
 * - Payload providers: the send panel registers one for the session it shows;
 *   the automation tools (periodic sends, quick commands, sequences) ask
 *   `currentPayload`. A provider answers null while the input is empty or has
 *   an error.
 * - A focus request: "put the caret in this session's send box" (after a
 *   session was created).
 * - `send`: the one action that sends a session's form (the send panel's
 *   button and Ctrl+Enter); the periodic-send form of each session.
 */
import { defineStore } from 'pinia';
import { effectScope, reactive, ref, shallowRef, triggerRef, watch } from 'vue';
import { sendPayloadSchema, type Encoding, type Result, type SendPayload, type SendPayloadInput, type SendReport, type SendSettings, type SessionInfo } from '../../../shared/protocol';
import { fromSettings, isPristine, newDraft, payloadOf, pickEncoding, remember, toSettings, type Draft, type SendForm, type SendResult } from '../send/send-draft';
import { useBridgeStore } from './bridge';
import { readSend, sendKeyOf, writeSend, prune } from './send-storage';
import { useSessionsStore } from './sessions';
import { useSettingsStore } from './settings';

export type PayloadProvider = () => SendPayloadInput | null;

/** A change to a draft is saved this long after the last one. */
export const SEND_SAVE_DEBOUNCE_MS = 300;

export const useComposeStore = defineStore('compose', () => {
  const sessions = useSessionsStore();
  const settings = useSettingsStore();
  const providers = shallowRef(new Map<string, PayloadProvider>());

  /** Register the provider for a session; returns the function that removes it. */
  function register(sessionId: string, provider: PayloadProvider): () => void {
    providers.value.set(sessionId, provider);
    triggerRef(providers);
    return () => {
      if (providers.value.get(sessionId) === provider) {
        providers.value.delete(sessionId);
        triggerRef(providers);
      }
    };
  }

  /** The send panel's payload for the session, normalised; null when there is none or it is not valid. */
  function currentPayload(sessionId: string): SendPayload | null {
    const input = providers.value.get(sessionId)?.() ?? null;
    if (!input) return null;
    const parsed = sendPayloadSchema.safeParse(input);
    return parsed.success ? parsed.data : null;
  }

  const hasProvider = (sessionId: string): boolean => providers.value.has(sessionId);

  // ---- drafts ----
  const drafts = new Map<string, Draft>();
  /** each draft's storage key, kept from when its session was last known */
  const keys = new Map<string, string>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** bumped whenever a draft was saved (the workspace saver watches it) */
  const savedVersion = ref(0);
  // watchers of drafts are created on demand, outside any component
  const scope = effectScope(true);

  const rxEncodingOf = (sessionId: string): Encoding => sessions.get(sessionId)?.config.rxEncoding ?? 'utf-8';

  function keyOf(sessionId: string, known?: SessionInfo): string | null {
    const info = sessions.get(sessionId) ?? known;
    if (info) keys.set(sessionId, sendKeyOf(info, sessions.list));
    return keys.get(sessionId) ?? null;
  }

  function save(sessionId: string): void {
    const t = timers.get(sessionId);
    if (t) clearTimeout(t);
    timers.delete(sessionId);
    const d = drafts.get(sessionId);
    const key = keyOf(sessionId);
    if (!d || !key) return;
    writeSend(key, toSettings(d));
    savedVersion.value++;
  }

  function schedule(sessionId: string): void {
    const t = timers.get(sessionId);
    if (t) clearTimeout(t);
    timers.set(sessionId, setTimeout(() => save(sessionId), SEND_SAVE_DEBOUNCE_MS));
  }

  /** Saves every pending change now (the page is going away, or a test wants it). */
  function flush(): void {
    for (const id of [...timers.keys()]) save(id);
  }

  function storedOf(sessionId: string, known?: SessionInfo): { savedAt: number; value: Pick<Draft, 'form' | 'recall'> } | null {
    const key = keyOf(sessionId, known);
    const stored = key ? readSend(key) : null;
    const value = stored ? fromSettings(stored.send) : null;
    return stored && value ? { savedAt: stored.savedAt, value } : null;
  }

  function assign(d: Draft, v: Pick<Draft, 'form' | 'recall'>): void {
    Object.assign(d.form, v.form);
    d.recall.splice(0, d.recall.length, ...v.recall);
    d.cursor = -1;
  }

  /** The session's draft, created on first use from what was saved for it. */
  function draftOf(sessionId: string): Draft {
    let d = drafts.get(sessionId);
    if (d) return d;
    d = reactive(newDraft()) as Draft;
    const stored = storedOf(sessionId);
    if (stored) assign(d, stored.value);
    // a default send encoding changed in Settings counts as the user's pick; the default (UTF-8) follows the session
    else if (settings.txEncoding !== 'utf-8') d.form.encoding = pickEncoding(settings.txEncoding, rxEncodingOf(sessionId));
    drafts.set(sessionId, d);
    const draft = d;
    scope.run(() => watch(() => [draft.form, draft.recall], () => schedule(sessionId), { deep: true }));
    return d;
  }

  function setResult(sessionId: string, result: SendResult | null): void {
    draftOf(sessionId).result = result;
  }

  /** The send settings to keep in a profile; undefined when there is nothing but defaults. */
  function sendStateOf(sessionId: string): SendSettings | undefined {
    const d = drafts.get(sessionId);
    const v = d ?? storedOf(sessionId)?.value;
    return v && !isPristine(v) ? toSettings(v) : undefined;
  }

  /**
   * Gives a session the send settings of a profile or the workspace saved at
   * `savedAt`, unless this browser saved newer ones for it (a reload keeps
   * what was typed after the last workspace save).
   */
  function restoreSend(session: SessionInfo, send: SendSettings | undefined, savedAt?: number): void {
    const id = session.sessionId;
    const fromProfile = send ? fromSettings(send) : null;
    const stored = storedOf(id, session);
    const chosen = stored && (!fromProfile || stored.savedAt > (savedAt ?? 0)) ? stored.value : fromProfile;
    if (!chosen) return;
    assign(draftOf(id), chosen);
    schedule(id);
  }

  // a session that went away: save what is pending, forget its draft (what was saved stays for a session like it)
  const seen = new Set<string>();
  watch(
    () => sessions.list,
    (list: SessionInfo[]) => {
      const live = new Set(list.map((s) => s.sessionId));
      for (const id of live) seen.add(id);
      for (const id of [...drafts.keys()]) {
        if (live.has(id) || !seen.has(id)) continue;
        save(id);
        drafts.delete(id);
        keys.delete(id);
        seen.delete(id);
      }
    },
    { immediate: true },
  );

  if (typeof window !== 'undefined') {
    window.addEventListener('pagehide', flush);
    prune();
  }

  // ---- focus ----
  const focusRequest = ref<{ sessionId: string; n: number } | null>(null);
  let focusN = 0;
  /** Ask the send panel to put the caret in this session's send box. */
  function requestFocus(sessionId: string): void {
    focusRequest.value = { sessionId, n: ++focusN };
  }

  /**
   * Send what the session's form holds now, to its current target: the result
   * line and the recall list follow a success; an error is returned to the caller
   * (the panel shows it where the user looks).
   */
  async function send(sessionId: string): Promise<Result<SendReport>> {
    const d = draftOf(sessionId);
    const snapshot: SendForm = { ...d.form };
    setResult(sessionId, null);
    const payload = payloadOf(snapshot, rxEncodingOf(sessionId));
    const r = await useBridgeStore().request('session.send', { sessionId, payload, target: sessions.sendTarget(sessionId) }, { silent: true });
    if (r.ok) {
      setResult(sessionId, { bytes: r.data.bytes, targets: r.data.targets });
      remember(d, snapshot);
    }
    return r;
  }

  /** The periodic-send settings of a session, kept while the user switches sessions. */
  const periodicForms = new Map<string, { intervalMs: number; count: number }>();
  function periodicFormOf(sessionId: string): { intervalMs: number; count: number } {
    let f = periodicForms.get(sessionId);
    if (!f) {
      f = reactive({ intervalMs: 1000, count: 0 });
      periodicForms.set(sessionId, f);
    }
    return f;
  }

  return {
    send,
    periodicFormOf,
    register,
    currentPayload,
    hasProvider,
    draftOf,
    rxEncodingOf,
    setResult,
    sendStateOf,
    restoreSend,
    savedVersion,
    flush,
    focusRequest,
    requestFocus,
  };
});
