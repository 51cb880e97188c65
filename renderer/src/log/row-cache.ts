/**
 * The renderer's copy of log rows: a cache over every session, keyed by
 * session and seq, capped in BYTES (not rows). The engine's record is the
 * log; this only keeps what a view showed or will show soon, so a view can
 * scroll back and forth without asking again.
 *
 * Cost of a row: its bytes + 2 per text character (UTF-16) + ~100 for the
 * object itself. When the total passes the cap, rows go until the total is
 * at 3/4 of it (so eviction runs rarely, not per row): sessions least
 * recently viewed first, and within a session the rows farthest from its
 * visible window first. A session never viewed keeps its newest rows longest.
 *
 * Plain data, never reactive: the log store keeps it markRaw and signals
 * changes through its per-session version numbers.
 */
import type { LogRow } from './types';

export const DEFAULT_CACHE_BYTES = 16 * 1024 * 1024;
const ROW_OVERHEAD = 100;
/** the window of a session no view has looked at: past its newest row */
const NEWEST = Number.MAX_SAFE_INTEGER;

/** A row whose bytes view a larger buffer (a whole transport frame) gets its own copy, so the cache holds what it counts. */
export function ownRow(row: LogRow): LogRow {
  const b = row.bytes;
  if (!b || (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength)) return row;
  return { ...row, bytes: b.slice() };
}

export function rowCost(row: LogRow): number {
  return (row.bytes?.length ?? 0) + row.text.length * 2 + ROW_OVERHEAD;
}

interface SessionRows {
  rows: Map<number, LogRow>;
  bytes: number;
  /** the visible window (seqs), for eviction; NEWEST until a view says */
  from: number;
  to: number;
  /** when a view last looked at this session (a logical clock) */
  touched: number;
}

export class RowCache {
  private sessions = new Map<string, SessionRows>();
  private totalBytes = 0;
  private clock = 0;

  constructor(private cap: number = DEFAULT_CACHE_BYTES) {}

  /** Bytes held now, across every session. */
  get bytes(): number {
    return this.totalBytes;
  }

  get capacity(): number {
    return this.cap;
  }

  /** Rows held for a session. */
  size(id: string): number {
    return this.sessions.get(id)?.rows.size ?? 0;
  }

  get(id: string, seq: number): LogRow | undefined {
    return this.sessions.get(id)?.rows.get(seq);
  }

  has(id: string, seq: number): boolean {
    return this.sessions.get(id)?.rows.has(seq) ?? false;
  }

  /** Add rows (a row with a seq already held replaces it); evicts when over the cap. */
  put(id: string, rows: readonly LogRow[]): void {
    if (rows.length === 0) return;
    const s = this.sessionOf(id);
    for (const row of rows) {
      const old = s.rows.get(row.seq);
      if (old) this.account(s, -rowCost(old));
      s.rows.set(row.seq, row);
      this.account(s, rowCost(row));
    }
    if (this.totalBytes > this.cap) this.evict();
  }

  /** The rows a view of this session shows now (seqs, inclusive); marks it most recently used. */
  setWindow(id: string, from: number, to: number): void {
    const s = this.sessionOf(id);
    s.from = Math.min(from, to);
    s.to = Math.max(from, to);
    s.touched = ++this.clock;
  }

  /** Forget rows below `firstSeq` (a clear, or the record's size limit). */
  dropBelow(id: string, firstSeq: number): void {
    const s = this.sessions.get(id);
    if (!s) return;
    for (const [seq, row] of s.rows) {
      if (seq >= firstSeq) continue;
      s.rows.delete(seq);
      this.account(s, -rowCost(row));
    }
  }

  /** Forget every row of a session but keep its window (re-decode, reconnect). */
  clearSession(id: string): void {
    const s = this.sessions.get(id);
    if (!s) return;
    this.totalBytes -= s.bytes;
    s.bytes = 0;
    s.rows.clear();
  }

  /** Forget a session entirely. */
  dropSession(id: string): void {
    const s = this.sessions.get(id);
    if (!s) return;
    this.totalBytes -= s.bytes;
    this.sessions.delete(id);
  }

  setCapacity(bytes: number): void {
    this.cap = Math.max(0, bytes);
    if (this.totalBytes > this.cap) this.evict();
  }

  private sessionOf(id: string): SessionRows {
    let s = this.sessions.get(id);
    if (!s) {
      s = { rows: new Map(), bytes: 0, from: NEWEST, to: NEWEST, touched: 0 };
      this.sessions.set(id, s);
    }
    return s;
  }

  private account(s: SessionRows, delta: number): void {
    s.bytes += delta;
    this.totalBytes += delta;
  }

  private evict(): void {
    const target = Math.floor(this.cap * 0.75);
    const order = [...this.sessions.values()].sort((a, b) => a.touched - b.touched);
    for (const s of order) {
      if (this.totalBytes <= target) return;
      if (s.rows.size === 0) continue;
      const distance = (seq: number): number => (seq < s.from ? s.from - seq : seq > s.to ? seq - s.to : 0);
      const seqs = [...s.rows.keys()].sort((a, b) => distance(b) - distance(a) || a - b);
      for (const seq of seqs) {
        if (this.totalBytes <= target) return;
        const row = s.rows.get(seq) as LogRow;
        s.rows.delete(seq);
        this.account(s, -rowCost(row));
      }
    }
  }
}
