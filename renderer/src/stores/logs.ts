/**
 * Per-session logs, as windows onto the engine's record (principles 5 and 6).
 *
 * The engine numbers every row of a session (rx, tx, info, error) with a
 * `seq` and keeps them all on disk. This store keeps, per session and never
 * reactive (markRaw): the bounds a view may show (`firstSeq…lastSeq`), a
 * fetcher, and its rows in one byte-capped RowCache shared by all sessions.
 * Nothing here grows with the bytes received.
 *
 * Where rows come from:
 * - `log.tail` events: the newest rows since the previous tail, with the
 *   bounds and a count of rows they skipped (those stay in the record);
 * - `log.read` answers, asked by a view for the rows on screen that the cache
 *   lacks (`want`, see log/fetcher.ts), and once per session after every
 *   re-sync (`reset`): the view opens at the tail.
 * A row is addressed by its seq, so a row can never show twice or out of order.
 *
 * The view learns about changes through a small reactive version number per
 * session, bumped at most once per animation frame, and formats only the
 * rows on screen.
 *
 * Pause: `pausedAt(id)` holds the lastSeq at the moment of pausing and the
 * view shows nothing newer; Resume jumps to the live end.
 * Each session's view (text/hex/both, word wrap) is remembered across
 * reloads (log/view-prefs.ts); a session first seen starts in the view the
 * settings name for new sessions. Wrapped rows on screen are read again with
 * more bytes (`wantFull`, log/full-rows.ts).
 * A change of the session's receive encoding drops its cached rows: they are
 * read again, decoded the new way.
 */
import { defineStore } from 'pinia';
import { markRaw, ref } from 'vue';
import { LOG_ROW_BYTES_MAX } from '../../../shared/protocol';
import type { LogBounds, LogReadResult, LogRow, NetEvent, Result, SessionInfo } from '../../../shared/protocol';
import { endpointKey } from '../log/format';
import { WindowFetcher, type Want } from '../log/fetcher';
import { FullRowLoader } from '../log/full-rows';
import { createSessionViews } from '../log/session-views';
import type { DisplayMode } from '../log/types';
import { DEFAULT_CACHE_BYTES, ownRow, RowCache } from '../log/row-cache';
import { messagesOf, UnreadTracker } from '../log/unread';
import { createVersions } from '../log/versions';
import { useBridgeStore } from './bridge';
import { useSettingsStore } from './settings';

export type { DisplayMode } from '../log/types';

/** Rows read from the tail when a view (re)opens after a re-sync. */
export const OPEN_ROWS = 200;
/** Most distinct peers remembered per session for the peer filter. */
const MAX_PEER_KEYS = 256;

interface SessionLog {
  firstSeq: number;
  lastSeq: number;
  /** bumped whenever cached rows become stale: answers of older requests are dropped */
  epoch: number;
  /** the receive encoding rows were decoded with */
  encoding: string | undefined;
  fetcher: WindowFetcher;
  /** whole rows for wrapped rows on screen */
  full: FullRowLoader;
  /** endpointKey of peers seen in rows, for the peer filter (bounded) */
  peers: Set<string>;
}

export const useLogStore = defineStore('logs', () => {
  const bridge = useBridgeStore();
  const settings = useSettingsStore();
  const cache = markRaw(new RowCache(DEFAULT_CACHE_BYTES));
  const views = createSessionViews(() => settings.defaultView);
  const logs = markRaw(new Map<string, SessionLog>());

  const { version, bump, bumpNow, flush, forget: forgetVersion } = createVersions();
  // small reactive state, keyed by session id
  const unreadCounts = ref<Record<string, number>>({});
  const pausedSeqs = ref<Record<string, number>>({});
  const skippedRows = ref<Record<string, number>>({});
  const readPausedIds = ref<Record<string, boolean>>({});
  const peerKeys = ref<Record<string, string[]>>({});
  const active = ref<string | null>(null);

  const unreadTracker = new UnreadTracker();

  function logOf(id: string): SessionLog {
    let log = logs.get(id);
    if (!log) {
      const created: SessionLog = markRaw({
        firstSeq: 1,
        lastSeq: 0,
        epoch: 0,
        encoding: undefined,
        peers: new Set<string>(),
        fetcher: markRaw(
          new WindowFetcher({
            sessionId: id,
            has: (seq) => cache.has(id, seq),
            bounds: () => ({ firstSeq: created.firstSeq, lastSeq: created.lastSeq }),
            epoch: () => created.epoch,
            read: (args) => bridge.request('log.read', args, { silent: true }),
            deliver: (res, epoch) => deliver(id, res, epoch),
          }),
        ),
        full: markRaw(
          new FullRowLoader({
            sessionId: id,
            epoch: () => created.epoch,
            read: (args) => bridge.request('log.read', args, { silent: true }),
            deliver: (res, epoch) => deliver(id, res, epoch),
          }),
        ),
      });
      log = created;
      logs.set(id, log);
    }
    return log;
  }

  /** Take newer bounds (they only move forward). */
  function mergeBounds(id: string, log: SessionLog, firstSeq: number, lastSeq: number): void {
    if (lastSeq > log.lastSeq) log.lastSeq = lastSeq;
    if (firstSeq > log.firstSeq) {
      log.firstSeq = firstSeq;
      cache.dropBelow(id, firstSeq);
    }
  }

  function putRows(id: string, log: SessionLog, rows: readonly LogRow[]): void {
    if (rows.length === 0) return;
    const kept: LogRow[] = [];
    let peersChanged = false;
    for (const row of rows) {
      if (row.seq < log.firstSeq) continue;
      // a row read whole for wrapping is not replaced by its first bytes again
      const held = cache.get(id, row.seq);
      if (held && (held.bytes?.length ?? 0) > (row.bytes?.length ?? 0)) continue;
      kept.push(ownRow(row));
      if (row.remote && log.peers.size < MAX_PEER_KEYS) {
        const key = endpointKey(row.remote);
        if (!log.peers.has(key)) {
          log.peers.add(key);
          peersChanged = true;
        }
      }
    }
    cache.put(id, kept);
    if (peersChanged) peerKeys.value = { ...peerKeys.value, [id]: [...log.peers] };
  }

  /** A `log.read` answer for the session's fetcher. */
  function deliver(id: string, res: LogReadResult, epoch: number): void {
    const log = logs.get(id);
    if (!log) return;
    mergeBounds(id, log, res.firstSeq, res.lastSeq);
    if (epoch === log.epoch) putRows(id, log, res.rows);
    bump(id);
  }

  /** Cached rows of a session are stale (another encoding, a re-sync): drop them, read again. */
  function invalidate(id: string, log: SessionLog): void {
    log.epoch++;
    cache.clearSession(id);
    log.fetcher.refresh();
    bump(id);
  }

  function noteInfo(info: SessionInfo): void {
    const log = logOf(info.sessionId);
    views.note(info.sessionId, info.createdAt);
    if (info.log) mergeBounds(info.sessionId, log, info.log.firstSeq, info.log.lastSeq);
    const enc = info.config?.rxEncoding;
    if (enc !== undefined) {
      if (log.encoding !== undefined && log.encoding !== enc) invalidate(info.sessionId, log);
      log.encoding = enc;
    }
    if (info.counters) noteTotal(info.sessionId, messagesOf(info.counters));
    bump(info.sessionId);
  }

  let unreadChanged: Record<string, number> | null = null;
  function noteTotal(id: string, total: number, restart = false): void {
    const n = restart ? unreadTracker.restart(id, total) : unreadTracker.note(id, total);
    if ((unreadChanged?.[id] ?? unreadCounts.value[id] ?? 0) !== n) {
      unreadChanged ??= { ...unreadCounts.value };
      unreadChanged[id] = n;
    }
  }

  /** One batch of events (from the event router, after the sessions store): tails, bounds, counters (for unread), read pauses, removals. */
  function apply(events: readonly NetEvent[]): void {
    let skipped: Record<string, number> | null = null;
    let readPaused: Record<string, boolean> | null = null;
    unreadChanged = null;
    for (const ev of events) {
      switch (ev.type) {
        case 'log.tail': {
          // a session is known from session.opened or a re-sync; a late tail of a removed one is dropped
          const log = logs.get(ev.sessionId);
          if (!log) break;
          const newest = ev.rows.length > 0 ? (ev.rows[ev.rows.length - 1] as LogRow).seq : 0;
          mergeBounds(ev.sessionId, log, ev.firstSeq, Math.max(ev.lastSeq, newest));
          putRows(ev.sessionId, log, ev.rows);
          if (ev.skipped > 0) {
            skipped ??= { ...skippedRows.value };
            skipped[ev.sessionId] = (skipped[ev.sessionId] ?? 0) + ev.skipped;
          }
          bump(ev.sessionId);
          break;
        }
        case 'session.opened':
        case 'session.updated':
          noteInfo(ev.info);
          break;
        case 'counters':
          if (logs.has(ev.sessionId)) noteTotal(ev.sessionId, messagesOf(ev.counters));
          break;
        case 'session.readPaused':
          if (!logs.has(ev.sessionId)) break;
          readPaused ??= { ...readPausedIds.value };
          if (ev.paused) readPaused[ev.sessionId] = true;
          else delete readPaused[ev.sessionId];
          break;
        case 'session.removed':
          remove(ev.sessionId);
          break;
        default:
          break;
      }
    }
    // (a session removed in this batch must not come back through a copy made before)
    const live = <T>(r: Record<string, T>): Record<string, T> => {
      for (const id of Object.keys(r)) if (!logs.has(id)) delete r[id];
      return r;
    };
    if (skipped) skippedRows.value = live(skipped);
    if (readPaused) readPausedIds.value = live(readPaused);
    if (unreadChanged) unreadCounts.value = live(unreadChanged);
    unreadChanged = null;
  }

  /**
   * After every (re)connect, with the engine's session list: each session's
   * view opens at the tail (one `log.read` of the newest rows), with the
   * bounds from its SessionInfo. Resolves when those reads answered.
   */
  async function reset(infos: readonly SessionInfo[]): Promise<void> {
    const reads: Promise<void>[] = [];
    unreadChanged = null;
    for (const info of infos) {
      const id = info.sessionId;
      const log = logOf(id);
      log.epoch++;
      cache.clearSession(id);
      log.firstSeq = info.log?.firstSeq ?? 1;
      log.lastSeq = info.log?.lastSeq ?? 0;
      log.encoding = info.config.rxEncoding;
      views.note(id, info.createdAt);
      noteTotal(id, messagesOf(info.counters), true);
      bump(id);
      reads.push(log.fetcher.openAtTail(OPEN_ROWS));
    }
    if (unreadChanged) unreadCounts.value = unreadChanged;
    unreadChanged = null;
    views.retain(infos);
    // counted before the re-sync: no longer meaningful
    skippedRows.value = without(skippedRows.value, infos);
    readPausedIds.value = without(readPausedIds.value, infos);
    await Promise.all(reads);
  }

  /** Where the session's log stands (not reactive: watch `version(id)`). */
  function bounds(id: string): LogBounds {
    const log = logs.get(id);
    return log ? { firstSeq: log.firstSeq, lastSeq: log.lastSeq } : { firstSeq: 1, lastSeq: 0 };
  }

  /** A cached row (not reactive: watch `version(id)`). */
  function row(id: string, seq: number): LogRow | undefined {
    return cache.get(id, seq);
  }

  /**
   * What a view of the session shows: `window` is on screen (for eviction),
   * `want` is that plus some ahead; rows the cache lacks are read.
   */
  function want(id: string, window: { from: number; to: number } | null, w: Want | null, follow: boolean): void {
    if (!logs.has(id)) return;
    if (window) cache.setWindow(id, window.from, window.to);
    logOf(id).fetcher.setWant(w, follow);
  }

  /** Start the session's view after its last row, for every client (`log.clear`). */
  async function clear(id: string, context?: string): Promise<boolean> {
    const r = await bridge.request('log.clear', { sessionId: id }, { context });
    const log = logs.get(id);
    if (!r.ok || !log) return false;
    mergeBounds(id, log, r.data.firstSeq, r.data.lastSeq);
    log.peers.clear();
    peerKeys.value = without(peerKeys.value, [{ sessionId: id }]);
    skippedRows.value = without(skippedRows.value, [{ sessionId: id }]);
    if (pausedSeqs.value[id] !== undefined) pausedSeqs.value = { ...pausedSeqs.value, [id]: log.lastSeq };
    bumpNow(id);
    return true;
  }

  /** Wrapped rows on screen whose cached bytes are only a prefix: read them (up to 64 KiB each). */
  function wantFull(id: string, seqs: readonly number[]): void {
    logs.get(id)?.full.want(seqs);
  }

  /** A row with all its bytes (up to 16 MiB), for the details dialog; never cached. */
  async function fullRow(id: string, seq: number): Promise<Result<LogRow | null>> {
    const r = await bridge.request('log.read', { sessionId: id, seqs: [seq], count: 1, byteLimit: LOG_ROW_BYTES_MAX }, { silent: true });
    if (!r.ok) return r;
    return { ok: true, data: r.data.rows.find((x) => x.seq === seq) ?? null };
  }

  /** Forget a session's log entirely (its session was removed). */
  function remove(id: string): void {
    const log = logs.get(id);
    log?.fetcher.dispose();
    log?.full.dispose();
    views.remove(id);
    logs.delete(id);
    cache.dropSession(id);
    unreadTracker.forget(id);
    const gone = [{ sessionId: id }];
    forgetVersion(id);
    unreadCounts.value = without(unreadCounts.value, gone);
    pausedSeqs.value = without(pausedSeqs.value, gone);
    skippedRows.value = without(skippedRows.value, gone);
    readPausedIds.value = without(readPausedIds.value, gone);
    peerKeys.value = without(peerKeys.value, gone);
    if (active.value === id) active.value = null;
  }

  /** The session on screen; its messages do not count as unread. */
  function setActive(id: string | null): void {
    active.value = id;
    unreadTracker.view(id);
    if (id === null) return;
    if (unreadCounts.value[id]) unreadCounts.value = { ...unreadCounts.value, [id]: 0 };
  }

  /** Messages (rx and tx) that arrived while the session was not the active one. */
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
    if (on) pausedSeqs.value = { ...pausedSeqs.value, [id]: bounds(id).lastSeq };
    else pausedSeqs.value = without(pausedSeqs.value, [{ sessionId: id }]);
  }

  function mode(id: string): DisplayMode {
    return views.mode(id);
  }
  function setMode(id: string, m: DisplayMode): void {
    views.set(id, { mode: m });
  }
  /** Long messages wrap to their full height (remembered per session). */
  function wrap(id: string): boolean {
    return views.wrap(id);
  }
  function setWrap(id: string, on: boolean): void {
    views.set(id, { wrap: on });
  }

  /** Rows the tail events passed over (newer rows came faster than shown); they stay readable by scrolling. */
  function skipped(id: string): number {
    return skippedRows.value[id] ?? 0;
  }

  /** The engine paused reading this session's sockets: its record fell behind on disk. */
  function readPaused(id: string): boolean {
    return readPausedIds.value[id] === true;
  }

  /** Peers seen in this session's rows (endpointKey strings), for the peer filter. */
  function peersOf(id: string): string[] {
    return peerKeys.value[id] ?? [];
  }

  /** Whether the store keeps a log for the session (it forgets a removed one). */
  const knows = (id: string): boolean => logs.has(id);

  return {
    active,
    apply,
    knows,
    reset,
    bounds,
    row,
    want,
    /** Changes when rows or bounds changed; bumped at most once per animation frame. */
    version,
    clear,
    fullRow,
    remove,
    setActive,
    unread,
    paused,
    pausedAt,
    setPaused,
    mode,
    setMode,
    wrap,
    setWrap,
    wantFull,
    skipped,
    readPaused,
    peersOf,
    /** Apply pending version bumps now (tests; a view that must not wait a frame). */
    flush,
    /** The row cache (tests, diagnostics). */
    cache,
  };
});

function without<T>(r: Record<string, T>, infos: readonly { sessionId: string }[]): Record<string, T> {
  const out = { ...r };
  for (const { sessionId } of infos) delete out[sessionId];
  return out;
}
