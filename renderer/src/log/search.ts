/**
 * One search (or filter) of one session's log, run by the engine with
 * `log.search`, page by page: the renderer never filters rows itself.
 *
 * - The first page asks for few matches with a short time budget, so the
 *   first results show quickly; the following pages run in the background,
 *   one request at a time, until the engine says `done`.
 * - When the log grows while the search is done, `poke(lastSeq)` asks for a
 *   new page from `nextSeq`, at most every TAIL_PAGE_MS.
 * - The matching seqs are kept in a Float64Array (seqs are integers below
 *   2^53, exact in a double), ascending. At most MAX_KEPT_MATCHES are kept:
 *   then the search stops and says so (`capped`).
 * - Matches below the view's first seq (a clear, the record's size limit)
 *   leave through `dropBelow`.
 * - `stop()` ends it: an answer that arrives later is ignored. A new filter
 *   makes a new LogSearch, so a stale answer never lands in a newer search.
 */
import type { CommandInput, LogFilterInput, LogSearchResult, Result } from '../../../shared/protocol';

export const MAX_KEPT_MATCHES = 1_000_000;
export const FIRST_PAGE = { maxMatches: 200, budgetMs: 40 };
export const NEXT_PAGE = { maxMatches: 10_000, budgetMs: 200 };
/** the search follows a growing log at most this often */
export const TAIL_PAGE_MS = 500;

export type SearchRequest = (args: CommandInput<'log.search'>) => Promise<Result<LogSearchResult>>;

export class LogSearch {
  private buf = new Float64Array(1024);
  private len = 0;
  /** matches before `start` are below the view's first seq */
  private start = 0;
  /** where the next page starts (0: the engine's firstSeq) */
  private next = 0;
  private finished = false;
  private scannedRows = 0;
  private isCapped = false;
  private failure: string | null = null;
  private running = false;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastPageAt = 0;
  private pages = 0;
  private droppedTotal = 0;

  constructor(
    readonly sessionId: string,
    readonly filter: LogFilterInput,
    private readonly request: SearchRequest,
    private readonly onChange: () => void,
    private readonly maxKept: number = MAX_KEPT_MATCHES,
  ) {}

  /** Matches kept (at or after the view's first seq). */
  get count(): number {
    return this.len - this.start;
  }

  /** The scan reached the end of the log (as it was at the last page). */
  get done(): boolean {
    return this.finished;
  }

  /** Rows the engine scanned for this search so far. */
  get scanned(): number {
    return this.scannedRows;
  }

  /** More than `maxKept` rows match: the search stopped there. */
  get capped(): boolean {
    return this.isCapped;
  }

  /** The last page failed (the engine's message); null when fine. */
  get error(): string | null {
    return this.failure;
  }

  /** Matches that have left through `dropBelow` so far (a view keeps its rows still with it). */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** Where the next page starts. */
  get nextSeq(): number {
    return this.next;
  }

  /** The seq of the i-th match (0 = oldest kept). */
  seqAt(i: number): number | undefined {
    return i >= 0 && i < this.count ? this.buf[this.start + i] : undefined;
  }

  /** Index (0 = oldest kept) of the first match with seq ≥ `seq`; `count` when none. */
  indexOf(seq: number): number {
    return this.lowerBound(seq) - this.start;
  }

  /** Matches with seq ≤ bound (a paused view's bound). */
  countUpTo(bound: number): number {
    return this.lowerBound(bound + 1) - this.start;
  }

  /** Forget matches below `firstSeq`; returns how many left. */
  dropBelow(firstSeq: number): number {
    const at = this.lowerBound(firstSeq);
    const gone = at - this.start;
    this.start = at;
    this.droppedTotal += gone;
    // compact now and then, so a long-running search does not keep dead space
    if (this.start > 65_536 && this.start * 2 > this.len) {
      this.buf.copyWithin(0, this.start, this.len);
      this.len -= this.start;
      this.start = 0;
    }
    return gone;
  }

  /** Run the first page and then the rest in the background. */
  begin(): void {
    void this.run();
  }

  /** The log grew to `lastSeq`: scan the new rows (throttled) once the search is done. */
  poke(lastSeq: number): void {
    if (this.stopped || this.running || this.isCapped || this.timer !== null) return;
    if (!this.finished && this.failure === null) return;
    if (lastSeq < this.next) return;
    const delay = Math.max(0, this.lastPageAt + TAIL_PAGE_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, delay);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async run(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      while (!this.stopped && !this.isCapped) {
        const page = this.pages === 0 ? FIRST_PAGE : NEXT_PAGE;
        const args: CommandInput<'log.search'> = {
          sessionId: this.sessionId,
          filter: this.filter,
          ...(this.next > 0 ? { fromSeq: this.next } : {}),
          maxMatches: Math.max(1, Math.min(page.maxMatches, this.maxKept - this.len)),
          budgetMs: page.budgetMs,
        };
        let r: Result<LogSearchResult>;
        try {
          r = await this.request(args);
        } catch (e) {
          r = { ok: false, code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
        }
        if (this.stopped) return;
        this.pages++;
        this.lastPageAt = Date.now();
        if (!r.ok) {
          this.failure = r.message;
          this.onChange();
          return;
        }
        this.failure = null;
        this.append(r.data.seqs);
        this.scannedRows += r.data.scanned;
        this.next = Math.max(this.next, r.data.nextSeq);
        this.finished = r.data.done;
        if (this.len >= this.maxKept) this.isCapped = true;
        this.dropBelow(r.data.firstSeq);
        this.onChange();
        if (this.finished) return;
      }
    } finally {
      this.running = false;
    }
  }

  private append(seqs: readonly number[]): void {
    let last = this.len > 0 ? (this.buf[this.len - 1] as number) : 0;
    for (const s of seqs) {
      if (s <= last || this.len >= this.maxKept) continue; // ascending, each once
      if (this.len === this.buf.length) this.grow();
      this.buf[this.len++] = s;
      last = s;
    }
  }

  private grow(): void {
    const next = new Float64Array(Math.min(this.maxKept, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Index of the first kept match with seq ≥ `seq`. */
  private lowerBound(seq: number): number {
    let lo = this.start;
    let hi = this.len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.buf[mid] as number) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
