/**
 * A capped ring buffer of log rows. Rows live in a plain array that is never
 * made reactive (the log store keeps rings in a markRaw Map and signals changes
 * with a per-session version number), so pushing 100k rows costs no proxies.
 *
 * Sequence numbers: every pushed row gets `seq` = previous + 1 (the first row
 * is 1). Rows leave only from the oldest end, so the retained rows always have
 * contiguous seqs `firstSeq … lastSeq`, which lets views address rows by seq
 * (`bySeq`) in O(1) even while the ring keeps moving.
 */
import type { LogEntry } from './types';

export const DEFAULT_LOG_CAP = 100_000;
const MIN_CAP = 1;
const MAX_CAP = 10_000_000;

export class LogRing {
  /** Storage; grows up to `cap`, then wraps. Index `head` holds the oldest row. */
  private buf: LogEntry[] = [];
  private head = 0;
  private count = 0;
  private cap: number;
  private lastSeq = 0;
  private evictedRows = 0;

  constructor(capacity: number = DEFAULT_LOG_CAP) {
    this.cap = clampCap(capacity);
  }

  /** Rows retained. */
  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.cap;
  }

  /** Rows that have left the ring (evicted by newer rows) since the last clear. */
  get evicted(): number {
    return this.evictedRows;
  }

  /** The seq of the newest row ever pushed (0 before the first push); never goes back. */
  get seq(): number {
    return this.lastSeq;
  }

  /** Seq of the oldest retained row; `seq + 1` when the ring is empty. */
  get firstSeq(): number {
    return this.lastSeq - this.count + 1;
  }

  /** Append a row; returns it with its seq. Evicts the oldest row when full. */
  push(entry: Omit<LogEntry, 'seq'>): LogEntry {
    const row: LogEntry = { ...entry, seq: ++this.lastSeq };
    if (this.buf.length < this.cap) {
      // still growing: head is 0 and the array is linear
      this.buf.push(row);
      this.count++;
    } else {
      // full (buf.length === count === cap): overwrite the oldest row
      this.buf[this.head] = row;
      this.evictedRows++;
      this.head = (this.head + 1) % this.cap;
    }
    return row;
  }

  /** Row `i` counted from the oldest retained row (0) to the newest (size − 1). */
  at(i: number): LogEntry | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) return undefined;
    // invariant: buf.length === count
    return this.buf[(this.head + i) % this.count];
  }

  /** The retained row with this seq, if it is still in the ring. */
  bySeq(seq: number): LogEntry | undefined {
    return this.at(seq - this.firstSeq);
  }

  /** The newest row, if any. */
  last(): LogEntry | undefined {
    return this.at(this.count - 1);
  }

  /**
   * Change the cap. Shrinking keeps the newest rows and counts the others as
   * evicted; growing keeps everything.
   */
  setCapacity(n: number): void {
    const cap = clampCap(n);
    if (cap === this.cap) return;
    const keep = Math.min(this.count, cap);
    const rows: LogEntry[] = new Array<LogEntry>(keep);
    const skip = this.count - keep;
    for (let i = 0; i < keep; i++) rows[i] = this.at(skip + i) as LogEntry;
    this.evictedRows += skip;
    this.buf = rows;
    this.head = 0;
    this.count = keep;
    this.cap = cap;
  }

  /** Forget every row and the eviction count. Seqs keep increasing. */
  clear(): void {
    this.buf = [];
    this.head = 0;
    this.count = 0;
    this.evictedRows = 0;
  }
}

function clampCap(n: number): number {
  if (!Number.isFinite(n)) return DEFAULT_LOG_CAP;
  return Math.min(MAX_CAP, Math.max(MIN_CAP, Math.floor(n)));
}
