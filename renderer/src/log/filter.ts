/**
 * Log filters: a compiled predicate over LogEntry, and FilteredIndex, which
 * applies a predicate to a moving LogRing incrementally (a bounded number of
 * rows per step) so filtering 100k rows never blocks the UI for long.
 */
import { parseHex } from '../../../shared/codec/hex';
import { CodecError } from '../../../shared/codec/types';
import { endpointKey } from './format';
import type { LogRing } from './ring';
import type { LogDir, LogEntry } from './types';

export interface LogFilterSpec {
  /** the search box; '' = no search */
  query: string;
  /** how the query is read: a case-insensitive substring of the text, or hex bytes */
  queryMode: 'text' | 'hex';
  /** directions to show; null (or all four) = no direction filter, [] = nothing */
  dirs: readonly LogDir[] | null;
  /** endpointKey() of the peer to show; null = every peer */
  peer: string | null;
}

export const emptyFilter = (): LogFilterSpec => ({ query: '', queryMode: 'text', dirs: null, peer: null });

export type LogPredicate = (e: LogEntry) => boolean;

export type CompiledFilter =
  | { ok: true; /** false when the spec lets every row through */ active: boolean; match: LogPredicate }
  | { ok: false; error: CodecError };

/** Does `haystack` contain `needle` as a contiguous byte run? */
export function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  const n = needle.length;
  if (n === 0) return true;
  const first = needle[0];
  const last = haystack.length - n;
  outer: for (let i = 0; i <= last; i++) {
    if (haystack[i] !== first) continue;
    for (let k = 1; k < n; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

/**
 * Build the predicate for a filter spec. A hex query that does not parse
 * returns the CodecError (with its 1-based position) instead of a predicate.
 */
export function compileFilter(spec: LogFilterSpec): CompiledFilter {
  const tests: LogPredicate[] = [];

  if (spec.dirs !== null) {
    const dirs = new Set(spec.dirs);
    if (dirs.size < 4) tests.push((e) => dirs.has(e.dir));
  }

  if (spec.peer !== null) {
    const peer = spec.peer;
    tests.push((e) => e.remote !== undefined && endpointKey(e.remote) === peer);
  }

  const q = spec.query.trim();
  if (q !== '') {
    if (spec.queryMode === 'hex') {
      let needle: Uint8Array;
      try {
        needle = parseHex(q);
      } catch (e) {
        if (e instanceof CodecError) return { ok: false, error: e };
        throw e;
      }
      if (needle.length > 0) tests.push((e) => e.bytes !== undefined && containsBytes(e.bytes, needle));
    } else {
      const needle = q.toLowerCase();
      tests.push((e) => e.text.toLowerCase().includes(needle));
    }
  }

  if (tests.length === 0) return { ok: true, active: false, match: () => true };
  if (tests.length === 1) return { ok: true, active: true, match: tests[0]! };
  return { ok: true, active: true, match: (e) => tests.every((t) => t(e)) };
}

/**
 * The seqs of the ring's rows that match a predicate, kept up to date
 * incrementally: `step()` scans at most `budget` new rows and drops seqs
 * that have been evicted. Call it again while it returns false.
 */
export class FilteredIndex {
  /** matching seqs, ascending; entries before `start` are evicted and ignored */
  private seqs: number[] = [];
  private start = 0;
  /** every seq ≤ scanned has been tested */
  private scanned = 0;

  constructor(
    private readonly ring: LogRing,
    private readonly match: LogPredicate,
  ) {
    this.scanned = ring.firstSeq - 1;
  }

  /** Matching rows currently known (retained and scanned). */
  get size(): number {
    return this.seqs.length - this.start;
  }

  /** The seq of the i-th matching row (0 = oldest). */
  seqAt(i: number): number | undefined {
    return i >= 0 && i < this.size ? this.seqs[this.start + i] : undefined;
  }

  /** The i-th matching row, if still in the ring. */
  at(i: number): LogEntry | undefined {
    const seq = this.seqAt(i);
    return seq === undefined ? undefined : this.ring.bySeq(seq);
  }

  /** Rows still to scan up to `upTo` (default: the newest row). */
  pending(upTo: number = this.ring.seq): number {
    return Math.max(0, upTo - Math.max(this.scanned, this.ring.firstSeq - 1));
  }

  /**
   * Scan up to `budget` unscanned rows with seq ≤ `upTo` (default: the newest
   * row; a paused view passes its snapshot). Returns true when caught up.
   */
  step(budget = 20_000, upTo: number = this.ring.seq): boolean {
    this.dropEvicted();
    const first = this.ring.firstSeq;
    if (this.scanned < first - 1) this.scanned = first - 1;
    const end = Math.min(upTo, this.ring.seq, this.scanned + budget);
    for (let s = this.scanned + 1; s <= end; s++) {
      const e = this.ring.bySeq(s);
      if (e && this.match(e)) this.seqs.push(s);
    }
    if (end > this.scanned) this.scanned = end;
    return this.scanned >= Math.min(upTo, this.ring.seq);
  }

  private dropEvicted(): void {
    const first = this.ring.firstSeq;
    // binary search for the first retained seq
    let lo = this.start;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.seqs[mid] as number) < first) lo = mid + 1;
      else hi = mid;
    }
    this.start = lo;
    // compact now and then so the array does not grow without bound
    if (this.start > 4096 && this.start * 2 > this.seqs.length) {
      this.seqs = this.seqs.slice(this.start);
      this.start = 0;
    }
  }
}
