/**
 * Per-session logs. Rows live in LogRings kept in a markRaw Map (never
 * reactive: 100k rows cost no proxies); the view learns about new rows through
 * a small reactive version number per session, bumped at most once per
 * animation frame, and formats only the rows on screen.
 *
 * Invariant (no duplicate rows): rows come ONLY from `ingest`, i.e. from data,
 * error, status and peer events, which the transport delivers exactly once.
 * After a transport reconnect the sessions store replaces its session map from
 * `session.list`; the log store never derives rows from SessionInfo (history,
 * peers or counters), so a re-sync cannot add a row twice.
 *
 * Pause: while a session's view is paused, rows still go into the ring (and
 * count toward eviction), but `pausedAt(id)` holds the seq of the newest row at
 * the moment of pausing and the view shows nothing newer; Resume jumps to the
 * live end. Rows evicted during a long pause still leave the top of the view.
 */
import { defineStore } from 'pinia';
import { markRaw, ref, watch } from 'vue';
import type { Endpoint, NetEvent } from '../../../shared/protocol';
import { endpointKey, formatEndpoint } from '../log/format';
import { DEFAULT_LOG_CAP, LogRing } from '../log/ring';
import type { LogEntry } from '../log/types';
import { useSettingsStore } from './settings';

export type DisplayMode = 'text' | 'hex' | 'both';
export const DISPLAY_MODES: readonly DisplayMode[] = ['text', 'hex', 'both'];
export const DEFAULT_DISPLAY_MODE: DisplayMode = 'both';

/** Sentences for rows the renderer writes itself; the log view installs translated ones. */
export interface LogPhrases {
  peerJoined(peer: string): string;
  peerLeft(peer: string, reason: string): string;
  /** an engine status reason in the user's language */
  reason(reason: string): string;
}
const englishPhrases: LogPhrases = {
  peerJoined: (peer) => `${peer} connected`,
  peerLeft: (peer, reason) => (reason ? `${peer} disconnected: ${reason}` : `${peer} disconnected`),
  reason: (reason) => reason,
};

/** Most distinct peers remembered per session for the peer filter. */
const MAX_PEER_KEYS = 256;

interface SessionLog {
  ring: LogRing;
  /** endpointKey → endpoint, for the peer filter (plain, bounded) */
  peers: Map<string, Endpoint>;
}

export interface ViewDropped {
  messages: number;
  bytes: number;
}

type Frame = (cb: () => void) => void;
const nextFrame: Frame =
  typeof requestAnimationFrame === 'function'
    ? (cb) => void requestAnimationFrame(() => cb())
    : (cb) => void setTimeout(cb, 16);

export const useLogStore = defineStore('logs', () => {
  const settings = useSettingsStore();
  const capOf = (): number => settings.logCap || DEFAULT_LOG_CAP;

  const logs = markRaw(new Map<string, SessionLog>());
  let phrases: LogPhrases = englishPhrases;

  // small reactive state, keyed by session id
  const versions = ref<Record<string, number>>({});
  const unreadCounts = ref<Record<string, number>>({});
  const pausedSeqs = ref<Record<string, number>>({});
  const modes = ref<Record<string, DisplayMode>>({});
  const droppedView = ref<Record<string, ViewDropped>>({});
  const peerKeys = ref<Record<string, string[]>>({});
  const active = ref<string | null>(null);

  // bumps are coalesced to one per animation frame per session
  const pendingBumps = new Set<string>();
  let frameScheduled = false;

  function flush(): void {
    frameScheduled = false;
    if (pendingBumps.size === 0) return;
    const next = { ...versions.value };
    for (const id of pendingBumps) next[id] = (next[id] ?? 0) + 1;
    pendingBumps.clear();
    versions.value = next;
  }

  function bump(id: string): void {
    pendingBumps.add(id);
    if (!frameScheduled) {
      frameScheduled = true;
      nextFrame(flush);
    }
  }

  function logOf(id: string): SessionLog {
    let log = logs.get(id);
    if (!log) {
      log = markRaw({ ring: markRaw(new LogRing(capOf())), peers: new Map<string, Endpoint>() });
      logs.set(id, log);
    }
    return log;
  }

  function notePeer(id: string, log: SessionLog, remote: Endpoint | undefined): void {
    if (!remote || log.peers.size >= MAX_PEER_KEYS) return;
    const key = endpointKey(remote);
    if (log.peers.has(key)) return;
    log.peers.set(key, remote);
    peerKeys.value = { ...peerKeys.value, [id]: [...log.peers.keys()] };
  }

  function add(id: string, row: Omit<LogEntry, 'seq'>): void {
    const log = logOf(id);
    log.ring.push(row);
    notePeer(id, log, row.remote);
    bump(id);
  }

  /** Turn one batch of events into log rows. Each event is delivered once by the transport. */
  function ingest(events: readonly NetEvent[]): void {
    const unreadDelta = new Map<string, number>();
    let droppedChanged: Record<string, ViewDropped> | null = null;
    for (const ev of events) {
      switch (ev.type) {
        case 'data':
          add(ev.sessionId, { ts: ev.ts, dir: ev.dir, peerId: ev.peerId, remote: ev.remote, bytes: ev.bytes, text: ev.text });
          if (ev.sessionId !== active.value) unreadDelta.set(ev.sessionId, (unreadDelta.get(ev.sessionId) ?? 0) + 1);
          break;
        case 'error': {
          const message = phrases.reason(ev.message);
          const text = ev.sysCode ? `${message} (${ev.sysCode})` : message;
          add(ev.sessionId, { ts: ev.ts, dir: 'error', peerId: ev.peerId, remote: ev.remote, text });
          break;
        }
        case 'session.status':
          add(ev.sessionId, { ts: ev.ts, dir: 'info', remote: ev.remote, text: ev.status.reason ? phrases.reason(ev.status.reason) : ev.status.state });
          break;
        case 'peer.joined':
          add(ev.sessionId, {
            ts: ev.ts,
            dir: 'info',
            peerId: ev.peer.peerId,
            remote: ev.peer.remote,
            text: phrases.peerJoined(formatEndpoint(ev.peer.remote)),
          });
          break;
        case 'peer.left':
          add(ev.sessionId, {
            ts: ev.ts,
            dir: 'info',
            peerId: ev.peerId,
            remote: ev.remote,
            text: phrases.peerLeft(formatEndpoint(ev.remote), phrases.reason(ev.reason)),
          });
          break;
        case 'view.dropped': {
          droppedChanged ??= { ...droppedView.value };
          const prev = droppedChanged[ev.sessionId] ?? { messages: 0, bytes: 0 };
          droppedChanged[ev.sessionId] = { messages: prev.messages + ev.messages, bytes: prev.bytes + ev.bytes };
          break;
        }
        case 'session.removed':
          remove(ev.sessionId);
          break;
        // session.opened / session.updated / counters belong to the sessions store
        default:
          break;
      }
    }
    if (unreadDelta.size > 0) {
      const next = { ...unreadCounts.value };
      for (const [id, n] of unreadDelta) if (logs.has(id)) next[id] = (next[id] ?? 0) + n;
      unreadCounts.value = next;
    }
    if (droppedChanged) droppedView.value = droppedChanged;
  }

  /** The session's ring (created empty on first use). Not reactive: watch `version(id)`. */
  function ringOf(id: string): LogRing {
    return logOf(id).ring;
  }

  /** Changes when rows were added or removed; bumped at most once per animation frame. */
  function version(id: string): number {
    return versions.value[id] ?? 0;
  }

  function clear(id: string): void {
    const log = logs.get(id);
    if (log) {
      log.ring.clear();
      log.peers.clear();
    }
    const { [id]: _d, ...dropped } = droppedView.value;
    droppedView.value = dropped;
    const { [id]: _p, ...peers } = peerKeys.value;
    peerKeys.value = peers;
    if (pausedSeqs.value[id] !== undefined) {
      pausedSeqs.value = { ...pausedSeqs.value, [id]: logOf(id).ring.seq };
    }
    pendingBumps.add(id);
    flush();
  }

  /** Forget a session's log entirely (its session was removed). */
  function remove(id: string): void {
    logs.delete(id);
    pendingBumps.delete(id);
    const drop = <T>(r: Record<string, T>): Record<string, T> => {
      const { [id]: _gone, ...rest } = r;
      return rest;
    };
    versions.value = drop(versions.value);
    unreadCounts.value = drop(unreadCounts.value);
    pausedSeqs.value = drop(pausedSeqs.value);
    modes.value = drop(modes.value);
    droppedView.value = drop(droppedView.value);
    peerKeys.value = drop(peerKeys.value);
    if (active.value === id) active.value = null;
  }

  /** The session on screen; its data rows do not count as unread. */
  function setActive(id: string | null): void {
    active.value = id;
    if (id !== null && unreadCounts.value[id]) unreadCounts.value = { ...unreadCounts.value, [id]: 0 };
  }

  /** Data rows that arrived while the session was not the active one. */
  function unread(id: string): number {
    return unreadCounts.value[id] ?? 0;
  }

  function paused(id: string): boolean {
    return pausedSeqs.value[id] !== undefined;
  }

  /** Seq of the newest row the paused view may show; null when live. */
  function pausedAt(id: string): number | null {
    return pausedSeqs.value[id] ?? null;
  }

  function setPaused(id: string, on: boolean): void {
    if (on === paused(id)) return;
    if (on) {
      pausedSeqs.value = { ...pausedSeqs.value, [id]: ringOf(id).seq };
    } else {
      const { [id]: _gone, ...rest } = pausedSeqs.value;
      pausedSeqs.value = rest;
    }
  }

  function mode(id: string): DisplayMode {
    return modes.value[id] ?? DEFAULT_DISPLAY_MODE;
  }

  function setMode(id: string, m: DisplayMode): void {
    modes.value = { ...modes.value, [id]: m };
  }

  /** Rows the engine's hub left out of this view (slow client); counters are unaffected. */
  function dropped(id: string): ViewDropped {
    return droppedView.value[id] ?? { messages: 0, bytes: 0 };
  }

  /** Peers seen in this session's rows (endpointKey strings), for the peer filter. */
  function peersOf(id: string): string[] {
    return peerKeys.value[id] ?? [];
  }

  function setPhrases(p: LogPhrases | null): void {
    phrases = p ?? englishPhrases;
  }

  watch(
    () => settings.logCap,
    () => {
      const cap = capOf();
      for (const [id, log] of logs) {
        if (log.ring.capacity === cap) continue;
        log.ring.setCapacity(cap);
        bump(id);
      }
    },
  );

  return {
    active,
    ingest,
    ringOf,
    version,
    clear,
    remove,
    setActive,
    unread,
    paused,
    pausedAt,
    setPaused,
    mode,
    setMode,
    dropped,
    peersOf,
    setPhrases,
    /** Apply pending version bumps now (tests; a view that must not wait a frame). */
    flush,
  };
});
