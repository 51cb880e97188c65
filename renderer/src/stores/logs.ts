/**
 * Per-session logs. Rows live in LogRings kept in a markRaw Map (never
 * reactive: 100k rows cost no proxies); the view learns about new rows through
 * a small reactive version number per session, bumped at most once per
 * animation frame, and formats only the rows on screen.
 *
 * Invariant (no duplicate or reordered rows): rows come from `ingest` (data,
 * error, status and peer events) and from `replay` (a session's recent data
 * events from `session.history`). Every data event carries the engine's
 * per-session `seq`; a data row whose seq is not above the last one already
 * shown is dropped, whichever way it came. The log store never derives rows
 * from SessionInfo (history, peers or counters).
 *
 * Replay (after every re-sync, see the sessions store): while a session's
 * history request is pending its live rows are held back; then the ring is
 * cleared, the history rows go in, then the held rows newer than the history.
 * Info/status/error rows are not part of the history: those shown before a
 * reload or reconnect are gone, later ones appear as usual.
 *
 * Pause: while a session's view is paused, rows still go into the ring (and
 * count toward eviction), but `pausedAt(id)` holds the seq of the newest row at
 * the moment of pausing and the view shows nothing newer; Resume jumps to the
 * live end. Rows evicted during a long pause still leave the top of the view.
 */
import { defineStore } from 'pinia';
import { markRaw, ref, watch } from 'vue';
import type { DataEvent, Endpoint, NetEvent } from '../../../shared/protocol';
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
  /** engine seq of the newest data row shown (0: none yet) */
  dataSeq: number;
}

/** A session whose history is being fetched: its live row events wait here. */
interface Replay {
  token: number;
  held: NetEvent[];
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
      log = markRaw({ ring: markRaw(new LogRing(capOf())), peers: new Map<string, Endpoint>(), dataSeq: 0 });
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

  /** Add a data row unless a row with this seq (or a later one) is already there. */
  function addData(ev: DataEvent): boolean {
    const log = logOf(ev.sessionId);
    if (typeof ev.seq === 'number') {
      if (ev.seq <= log.dataSeq) return false;
      log.dataSeq = ev.seq;
    }
    add(ev.sessionId, { ts: ev.ts, dir: ev.dir, peerId: ev.peerId, remote: ev.remote, bytes: ev.bytes, text: ev.text });
    return true;
  }

  const replays = new Map<string, Replay>();
  let replayTokens = 0;
  const ROW_EVENTS = new Set<NetEvent['type']>(['data', 'error', 'session.status', 'peer.joined', 'peer.left']);

  /** Turn one batch of events into log rows. */
  function ingest(events: readonly NetEvent[]): void {
    const unreadDelta = new Map<string, number>();
    let droppedChanged: Record<string, ViewDropped> | null = null;
    for (const ev of events) {
      const replay = replays.get(ev.sessionId);
      if (replay && ROW_EVENTS.has(ev.type)) {
        replay.held.push(ev);
        continue;
      }
      switch (ev.type) {
        case 'data':
          if (addData(ev) && ev.sessionId !== active.value) unreadDelta.set(ev.sessionId, (unreadDelta.get(ev.sessionId) ?? 0) + 1);
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

  /**
   * Show a session's recent data rows again (after a reload or reconnect).
   * `fetch` asks the engine for `session.history`; live rows of the session
   * that arrive meanwhile are held and added after the history, minus those
   * the history already holds. When fetch fails (null) the held rows are
   * added and the ring is left as it was. A newer replay of the same session
   * supersedes an older one still pending.
   */
  async function replay(id: string, fetch: () => Promise<readonly DataEvent[] | null>): Promise<void> {
    const token = ++replayTokens;
    const pending = replays.get(id);
    if (pending) pending.token = token;
    else replays.set(id, { token, held: [] });
    let history: readonly DataEvent[] | null = null;
    try {
      history = await fetch();
    } catch {
      history = null;
    }
    const current = replays.get(id);
    if (!current || current.token !== token) return; // superseded, or the session went away
    replays.delete(id);
    if (history) {
      const log = logOf(id);
      log.ring.clear();
      log.peers.clear();
      log.dataSeq = 0;
      peerKeys.value = { ...peerKeys.value, [id]: [] };
      for (const ev of history) if (ev.sessionId === id) addData(ev);
      if (pausedSeqs.value[id] !== undefined) pausedSeqs.value = { ...pausedSeqs.value, [id]: log.ring.seq };
      bump(id);
    }
    ingest(current.held);
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
    replays.delete(id);
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
    replay,
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
