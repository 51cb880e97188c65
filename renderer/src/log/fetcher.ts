/**
 * Fetches the rows a view needs but the cache lacks, with `log.read`, for one
 * session:
 *
 * - the view says what it shows (`setWant`: a seq range, or the seqs of a
 *   filtered view) every time that changes; only the latest want matters;
 * - requests are debounced (a burst of scroll events makes one request, and a
 *   long scroll still asks at least every MAX_WAIT_MS); while the view follows
 *   the tail the `log.tail` events bring the rows on screen, so nothing is
 *   asked; only rows they lack (a view taller than a tail, a session whose
 *   rows left the cache) are asked for, debounced longer;
 * - at most one request is in flight; when it answers and the latest want
 *   still lacks rows, the next one goes out;
 * - a request the engine answered without any of the wanted rows is not sent
 *   again until the want changes (rows that are gone stay placeholders, no
 *   request loop); a failed request is retried after RETRY_MS.
 *
 * `openAtTail` (after every re-sync) reads the newest rows, before any want.
 */
import type { CommandInput, LogBounds, LogReadResult, Result } from '../../../shared/protocol';
import { LOG_READ_MAX_ROWS } from '../../../shared/protocol';

export type Want = { kind: 'range'; from: number; to: number } | { kind: 'seqs'; seqs: readonly number[] };

export const DEBOUNCE_MS = 30;
export const MAX_WAIT_MS = 120;
export const FOLLOW_DEBOUNCE_MS = 150;
export const FOLLOW_MAX_WAIT_MS = 500;
export const RETRY_MS = 1000;

type ReadArgs = CommandInput<'log.read'>;

export interface FetcherHost {
  readonly sessionId: string;
  has(seq: number): boolean;
  bounds(): LogBounds;
  /** the cache generation: bumped when cached rows become stale (re-decode, re-sync) */
  epoch(): number;
  read(args: ReadArgs): Promise<Result<LogReadResult>>;
  /** a read answered; `epoch` is the generation the request was made in */
  deliver(result: LogReadResult, epoch: number): void;
}

export class WindowFetcher {
  private want: Want | null = null;
  private wantKey = '';
  private follow = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private firstWantAt = 0;
  private inFlight = false;
  /** rows to read from the tail before anything else (0: none) */
  private tailCount = 0;
  private tailWaiters: (() => void)[] = [];
  /** the request that brought nothing for the current want */
  private stuckKey: string | null = null;
  private disposed = false;

  constructor(private readonly host: FetcherHost) {}

  /** The rows the view shows now (plus some ahead). */
  setWant(want: Want | null, follow: boolean): void {
    const key = want ? keyOf(want) : '';
    this.follow = follow;
    if (key === this.wantKey) return;
    this.want = want;
    this.wantKey = key;
    this.stuckKey = null;
    if (this.plan() !== null) this.schedule();
  }

  /** Cached rows were dropped (or bounds moved): look at the current want again. */
  refresh(): void {
    this.stuckKey = null;
    if (this.plan() !== null || this.tailCount > 0) this.schedule();
  }

  /** Read the newest `count` rows now (a re-sync); resolves when that read answered or failed. */
  openAtTail(count: number): Promise<void> {
    this.tailCount = Math.min(LOG_READ_MAX_ROWS, Math.max(1, count));
    const done = new Promise<void>((resolve) => this.tailWaiters.push(resolve));
    this.stuckKey = null;
    this.runSoon(0);
    return done;
  }

  /** Is a request out now? (tests, diagnostics) */
  get busy(): boolean {
    return this.inFlight;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.settleTail();
  }

  private schedule(): void {
    const now = Date.now();
    if (this.timer === null) this.firstWantAt = now;
    const [debounce, maxWait] = this.follow ? [FOLLOW_DEBOUNCE_MS, FOLLOW_MAX_WAIT_MS] : [DEBOUNCE_MS, MAX_WAIT_MS];
    const delay = Math.max(0, Math.min(debounce, this.firstWantAt + maxWait - now));
    this.runSoon(delay);
  }

  private runSoon(delay: number): void {
    if (this.disposed) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, delay);
  }

  /** What to ask for now, or null when the cache holds the whole want. */
  private plan(): ReadArgs | null {
    const w = this.want;
    if (!w) return null;
    const { firstSeq, lastSeq } = this.host.bounds();
    const sessionId = this.host.sessionId;
    let args: ReadArgs | null = null;
    if (w.kind === 'range') {
      const from = Math.max(w.from, firstSeq, 1);
      const to = Math.min(w.to, lastSeq);
      let lo = 0;
      let hi = 0;
      for (let s = from; s <= to; s++) {
        if (this.host.has(s)) continue;
        if (lo === 0) lo = s;
        hi = s;
      }
      if (lo === 0) return null;
      args = { sessionId, fromSeq: lo, count: Math.min(LOG_READ_MAX_ROWS, hi - lo + 1) };
    } else {
      const seqs: number[] = [];
      for (const s of w.seqs) {
        if (s < firstSeq || s > lastSeq || this.host.has(s)) continue;
        seqs.push(s);
        if (seqs.length >= LOG_READ_MAX_ROWS) break;
      }
      if (seqs.length === 0) return null;
      args = { sessionId, seqs, count: seqs.length };
    }
    return keyOf(args) === this.stuckKey ? null : args;
  }

  private async run(): Promise<void> {
    if (this.disposed || this.inFlight) return;
    const tail = this.tailCount > 0;
    const args: ReadArgs | null = tail ? { sessionId: this.host.sessionId, count: this.tailCount } : this.plan();
    if (!args) return;
    if (tail) this.tailCount = 0;
    this.inFlight = true;
    const epoch = this.host.epoch();
    let r: Result<LogReadResult>;
    try {
      r = await this.host.read(args);
    } catch (e) {
      r = { ok: false, code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
    }
    this.inFlight = false;
    if (this.disposed) return;
    if (r.ok) {
      const before = tail ? 0 : missingOf(args, this.host);
      this.host.deliver(r.data, epoch);
      // nothing of what was asked came (and not because the cache was dropped meanwhile): do not ask again
      if (!tail && this.host.epoch() === epoch && missingOf(args, this.host) === before) this.stuckKey = keyOf(args);
    }
    if (tail) this.settleTail();
    if (!r.ok) {
      this.runSoon(RETRY_MS);
      return;
    }
    if (this.tailCount > 0 || this.plan() !== null) this.runSoon(0);
  }

  private settleTail(): void {
    if (this.tailCount > 0 && !this.disposed) return;
    const waiters = this.tailWaiters;
    this.tailWaiters = [];
    for (const w of waiters) w();
  }
}

function keyOf(x: Want | ReadArgs): string {
  if ('kind' in x) return x.kind === 'range' ? `r${x.from}-${x.to}` : `s${x.seqs.join(',')}`;
  return x.seqs ? `s${x.seqs.join(',')}` : `r${x.fromSeq ?? 'tail'}+${x.count}`;
}

/** How many of a request's rows the cache still lacks. */
function missingOf(args: ReadArgs, host: FetcherHost): number {
  let n = 0;
  if (args.seqs) {
    for (const s of args.seqs) if (!host.has(s)) n++;
  } else if (args.fromSeq !== undefined) {
    const end = args.fromSeq + (args.count ?? 1) - 1;
    for (let s = args.fromSeq; s <= end; s++) if (!host.has(s)) n++;
  }
  return n;
}
