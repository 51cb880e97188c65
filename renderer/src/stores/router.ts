/**
 * The one way the engine's events and the transport's (re)connections reach
 * the stores.
 *
 * - `applyBatch`: every batch goes to each store's `apply`, always in this
 *   order: sessions (metadata: state, peers, counters), logs (rows, bounds,
 *   unread), automation (rule stats, schedules, transfers), recording
 *   (exports). No store
 *   forwards events to another; each forgets a removed session in its own
 *   `apply`, once. A RESYNC notice starts `resync`. The desktop app's menu
 *   clicks (`desktop.action`, about no session) go to the desktop store.
 * - `resync`: one sequence after every transport open (and on RESYNC): the
 *   engine's session list replaces the map (sessions gone meanwhile are
 *   removed like a `session.removed`), each log view re-opens at its tail,
 *   schedules are listed, the record limit chosen earlier is given back to
 *   the engine, and on the first open the workspace offer is made.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { NetEvent } from '../../../shared/protocol';
import type { Bridge } from '../bridge/types';
import { useAutomationStore } from './automation';
import { useRecordingStore } from './recording';
import { useBridgeStore } from './bridge';
import { useDesktopStore } from './desktop';
import { useLogStore } from './logs';
import { useProfilesStore } from './profiles';
import { useSessionsStore } from './sessions';

export const useEventRouter = defineStore('router', () => {
  const sessions = useSessionsStore();
  const logs = useLogStore();
  const automation = useAutomationStore();
  const recording = useRecordingStore();
  const bridge = useBridgeStore();
  const desktop = useDesktopStore();
  /** true while a re-sync is in flight */
  const syncing = ref(false);
  let unsubscribe: (() => void)[] = [];
  let firstSync = true;

  function applyBatch(events: readonly NetEvent[]): void {
    sessions.apply(events);
    logs.apply(events);
    automation.apply(events);
    recording.apply(events);
    if (events.some((e) => e.type === 'desktop.action')) desktop.apply(events);
    if (events.some((e) => e.type === 'app.notice' && e.notice.code === 'RESYNC')) void resync();
  }

  /** A session is gone (the engine said so, or our own close succeeded): every store forgets it. */
  function removed(sessionId: string): void {
    applyBatch([{ type: 'session.removed', ts: Date.now(), sessionId }]);
  }

  async function resync(): Promise<void> {
    syncing.value = true;
    try {
      const r = await bridge.request('session.list', {});
      if (!r.ok) return;
      const known = new Set(r.data.map((s) => s.sessionId));
      const gone = sessions.list.filter((s) => !known.has(s.sessionId)).map((s) => s.sessionId);
      sessions.replaceAll(r.data);
      for (const id of gone) removed(id);
      await Promise.all([logs.reset(r.data), automation.syncSchedules(), recording.reapplySpill()]);
      if (firstSync) {
        firstSync = false;
        await useProfilesStore().checkWorkspace(r.data);
      }
    } finally {
      syncing.value = false;
    }
  }

  /** Install the transport and keep the stores in step with the engine from now on. */
  function connect(b: Bridge, opts: { rates?: boolean } = {}): void {
    disconnect();
    bridge.attach(b);
    unsubscribe = [
      b.onEvents(applyBatch),
      b.onConnection((s) => {
        if (s === 'open') void resync();
      }),
    ];
    if (opts.rates !== false) unsubscribe.push(sessions.startRates());
  }

  function disconnect(): void {
    for (const u of unsubscribe) u();
    unsubscribe = [];
  }

  return { syncing, applyBatch, removed, resync, connect, disconnect };
});
