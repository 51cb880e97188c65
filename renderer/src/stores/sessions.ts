/**
 * Session metadata (never log rows): kind, config, state and its status log,
 * peers, counters and rates, plus the active session and each session's send
 * target. Sessions are copy-on-write objects in a shallowRef'd Map, so a batch
 * costs one trigger and only the sessions that changed re-render. Events and
 * re-syncs arrive through the event router (router.ts), which also hands each
 * batch to the log and automation stores.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import { STATUS_LOG_CAP, zeroCounters } from '../../../shared/protocol';
import type {
  Counters,
  Endpoint,
  LogRow,
  NetEvent,
  Result,
  SendTarget,
  SessionConfigInput,
  SessionInfo,
  SessionOptions,
  StatusEntry,
} from '../../../shared/protocol';
import { useBridgeStore } from './bridge';
import { useLogStore } from './logs';
import { useEventRouter } from './router';

/** status entries kept per session in the UI */

export interface Rate {
  /** received bytes per second over the last tick */
  rx: number;
  /** sent bytes per second over the last tick */
  tx: number;
}

export interface LiveCounters {
  counters: Counters;
  peers: Record<string, Counters>;
}

const STOPPED = new Set(['closed', 'error', 'idle']);
const sameEntry = (a: StatusEntry, b: StatusEntry) => a.ts === b.ts && a.state === b.state && a.reason === b.reason;

export const useSessionsStore = defineStore('sessions', () => {
  const bridgeStore = useBridgeStore();
  const logs = useLogStore();

  const map = shallowRef(new Map<string, SessionInfo>());
  const live = shallowRef(new Map<string, LiveCounters>());
  const rates = shallowRef(new Map<string, Rate>());
  const targets = shallowRef(new Map<string, SendTarget>());
  const activeId = ref<string | null>(null);

  const list = computed(() => [...map.value.values()].sort((a, b) => a.createdAt - b.createdAt));
  const active = computed(() => (activeId.value ? (map.value.get(activeId.value) ?? null) : null));

  const get = (id: string): SessionInfo | undefined => map.value.get(id);
  const countersOf = (id: string): Counters => live.value.get(id)?.counters ?? zeroCounters();
  const peerCounters = (id: string, peerId: string): Counters =>
    live.value.get(id)?.peers[peerId] ?? map.value.get(id)?.peers.find((p) => p.peerId === peerId)?.counters ?? zeroCounters();
  const rateOf = (id: string): Rate => rates.value.get(id) ?? { rx: 0, tx: 0 };
  const sendTarget = (id: string): SendTarget => targets.value.get(id) ?? { kind: 'default' };

  function setActive(id: string | null): void {
    const next = id !== null && map.value.has(id) ? id : null;
    activeId.value = next;
    logs.setActive(next);
  }

  function setSendTarget(id: string, target: SendTarget): void {
    targets.value.set(id, target);
    triggerRef(targets);
  }

  function liveFromInfo(info: SessionInfo): LiveCounters {
    const peers: Record<string, Counters> = {};
    for (const p of info.peers) peers[p.peerId] = p.counters;
    return { counters: info.counters, peers };
  }

  /** Forget everything kept about a session; pick another active one. */
  function forget(id: string): boolean {
    const had = map.value.delete(id);
    live.value.delete(id);
    rates.value.delete(id);
    prev.delete(id);
    if (targets.value.delete(id)) triggerRef(targets);
    if (activeId.value === id) {
      const rest = [...map.value.values()].sort((a, b) => a.createdAt - b.createdAt);
      setActive(rest[rest.length - 1]?.sessionId ?? null);
    }
    return had;
  }

  /** Apply one batch of events to the metadata (the event router calls it first). */
  function apply(events: readonly NetEvent[]): void {
    const m = map.value;
    let changed = false;
    let countersChanged = false;
    const put = (info: SessionInfo) => {
      m.set(info.sessionId, info);
      changed = true;
    };
    for (const ev of events) {
      if (ev.type === 'session.removed') {
        if (forget(ev.sessionId)) changed = true;
        continue;
      }
      if (ev.type === 'session.opened' || ev.type === 'session.updated') {
        put(ev.info);
        live.value.set(ev.sessionId, liveFromInfo(ev.info));
        countersChanged = true;
        if (activeId.value === null) setActive(ev.sessionId);
        continue;
      }
      if (ev.type === 'desktop.action') continue; // a menu click: the router's, about no session
      if (ev.type === 'app.notice') {
        // not about a session: a re-sync request is the router's, anything else is for the user
        if (ev.notice.code !== 'RESYNC') bridgeStore.notifyNotice(ev.notice);
        continue;
      }
      const s = m.get(ev.sessionId);
      if (!s) continue;
      switch (ev.type) {
        case 'session.status': {
          const last = s.statusLog[s.statusLog.length - 1];
          const statusLog = last && sameEntry(last, ev.status) ? s.statusLog : [...s.statusLog, ev.status].slice(-STATUS_LOG_CAP);
          const stopped = STOPPED.has(ev.status.state);
          put({
            ...s,
            state: ev.status.state,
            statusLog,
            local: ev.local ?? s.local,
            remote: ev.remote ?? s.remote,
            peers: stopped && s.kind === 'tcp-server' ? [] : s.peers,
          });
          if (stopped) dropPeerTarget(s.sessionId, null);
          break;
        }
        case 'peer.joined':
          put({ ...s, peers: [...s.peers.filter((p) => p.peerId !== ev.peer.peerId), ev.peer] });
          break;
        case 'peer.left':
          put({ ...s, peers: s.peers.filter((p) => p.peerId !== ev.peerId) });
          dropPeerTarget(s.sessionId, ev.peerId);
          break;
        case 'capture.updated':
          put({ ...s, capture: ev.capture });
          break;
        case 'rules.stats': {
          // the dialogue state of each peer (reply rules with states)
          const states = ev.peerStates;
          if (states && s.peers.some((p) => (states[p.peerId] ?? 'start') !== p.ruleState)) {
            put({ ...s, peers: s.peers.map((p) => ({ ...p, ruleState: states[p.peerId] ?? 'start' })) });
          }
          break;
        }
        case 'counters': {
          // an event carries only the peers whose counters changed: merge them, keeping only peers still connected
          const peers: Record<string, Counters> = {};
          const prev = live.value.get(ev.sessionId)?.peers ?? {};
          for (const p of s.peers) {
            const c = ev.peers[p.peerId] ?? prev[p.peerId];
            if (c) peers[p.peerId] = c;
          }
          live.value.set(ev.sessionId, { counters: ev.counters, peers });
          countersChanged = true;
          break;
        }
        case 'log.tail':
          if (s.kind === 'udp') {
            // the newest received datagram of the tail names the last sender
            let from: Endpoint | undefined;
            for (let i = ev.rows.length - 1; i >= 0 && !from; i--) {
              const row = ev.rows[i] as LogRow;
              if (row.dir === 'rx') from = row.remote;
            }
            const ls = s.lastSender;
            if (from && (!ls || ls.address !== from.address || ls.port !== from.port)) put({ ...s, lastSender: from });
          }
          break;
        default:
          break;
      }
    }
    if (changed) triggerRef(map);
    if (countersChanged) triggerRef(live);
  }

  /** Merge fields a command answered with (rules, capture) into a known session. */
  function patchInfo(sessionId: string, patch: Partial<Pick<SessionInfo, 'rules' | 'capture' | 'spill' | 'config' | 'name'>>): void {
    const s = map.value.get(sessionId);
    if (!s) return;
    map.value.set(sessionId, { ...s, ...patch });
    triggerRef(map);
  }

  /** A peer went away (or all did, peerId null): a target naming it falls back to the default. */
  function dropPeerTarget(sessionId: string, peerId: string | null): void {
    const t = targets.value.get(sessionId);
    if (t?.kind === 'peer' && (peerId === null || t.peerId === peerId)) setSendTarget(sessionId, { kind: 'default' });
  }

  /** Replace the whole map with the engine's list (after a (re)connect; the router removed the sessions gone meanwhile). */
  function replaceAll(infos: readonly SessionInfo[]): void {
    const m = new Map<string, SessionInfo>();
    const l = new Map<string, LiveCounters>();
    for (const info of infos) {
      m.set(info.sessionId, info);
      l.set(info.sessionId, liveFromInfo(info));
    }
    map.value = m;
    live.value = l;
    for (const [id, t] of targets.value) {
      const s = m.get(id);
      if (t.kind === 'peer' && !s?.peers.some((p) => p.peerId === t.peerId)) dropPeerTarget(id, t.peerId);
    }
    if (activeId.value === null || !m.has(activeId.value)) {
      const sorted = [...m.values()].sort((a, b) => a.createdAt - b.createdAt);
      setActive(sorted[sorted.length - 1]?.sessionId ?? null);
    } else {
      logs.setActive(activeId.value);
    }
  }

  // ---- rates: bytes/s from counter deltas, once a second ----
  const prev = new Map<string, { at: number; rx: number; tx: number }>();

  function tickRates(now = Date.now()): void {
    const next = new Map<string, Rate>();
    for (const id of map.value.keys()) {
      const c = countersOf(id);
      const p = prev.get(id);
      if (p && now > p.at) {
        const dt = (now - p.at) / 1000;
        next.set(id, { rx: Math.max(0, c.rxBytes - p.rx) / dt, tx: Math.max(0, c.txBytes - p.tx) / dt });
      } else {
        next.set(id, { rx: 0, tx: 0 });
      }
      prev.set(id, { at: now, rx: c.rxBytes, tx: c.txBytes });
    }
    rates.value = next;
  }

  /** Tick the rates once a second; returns the stop function (the router calls it). */
  function startRates(): () => void {
    const timer = setInterval(() => tickRates(), 1000);
    return () => clearInterval(timer);
  }

  // ---- commands ----
  /** Open a session; errors are returned for the dialog to show, not notified. */
  async function open(config: SessionConfigInput): Promise<Result<SessionInfo>> {
    const r = await bridgeStore.request('session.open', { config }, { silent: true });
    if (r.ok) {
      if (!map.value.has(r.data.sessionId)) {
        map.value.set(r.data.sessionId, r.data);
        live.value.set(r.data.sessionId, liveFromInfo(r.data));
        triggerRef(map);
        triggerRef(live);
      }
      setActive(r.data.sessionId);
    }
    return r;
  }

  /** Keep what status events do not carry (config, name, groups) from a command's answer. */
  function mergeConfig(info: SessionInfo): void {
    const s = map.value.get(info.sessionId);
    if (!s) return;
    map.value.set(info.sessionId, { ...s, name: info.name, config: info.config, groups: info.groups });
    triggerRef(map);
  }

  const start = (sessionId: string, context?: string) => bridgeStore.request('session.start', { sessionId }, { context });
  const stop = (sessionId: string, context?: string) => bridgeStore.request('session.stop', { sessionId }, { context });

  async function close(sessionId: string, context?: string) {
    const r = await bridgeStore.request('session.close', { sessionId }, { context });
    // every store forgets it now, through the router (the engine's session.removed then changes nothing)
    if (r.ok) useEventRouter().removed(sessionId);
    return r;
  }

  async function update(sessionId: string, options: SessionOptions, context?: string) {
    const r = await bridgeStore.request('session.update', { sessionId, options }, { context });
    if (r.ok) mergeConfig(r.data);
    return r;
  }

  async function multicast(sessionId: string, action: 'join' | 'leave', group: string, iface?: string, context?: string) {
    const r = await bridgeStore.request('udp.multicast', { sessionId, action, group, ...(iface ? { iface } : {}) }, { context });
    if (r.ok) mergeConfig(r.data);
    return r;
  }

  const resetCounters = (sessionId: string, context?: string) =>
    bridgeStore.request('session.resetCounters', { sessionId }, { context });
  const disconnectPeer = (sessionId: string, peerId: string, context?: string) =>
    bridgeStore.request('peer.disconnect', { sessionId, peerId }, { context });

  return {
    // state
    sessions: map,
    activeId,
    list,
    active,
    // getters
    get,
    countersOf,
    peerCounters,
    rateOf,
    sendTarget,
    // actions
    setActive,
    setSendTarget,
    apply,
    patchInfo,
    replaceAll,
    tickRates,
    startRates,
    open,
    start,
    stop,
    close,
    update,
    multicast,
    resetCounters,
    disconnectPeer,
  };
});
