/**
 * Reads the whole text of wrapped rows on screen. Rows come from the tail and
 * `log.read` with their first 1024 bytes; a wrapped row shows the whole
 * message, so those on screen with more bytes are read again with a larger
 * `byteLimit` (WRAP_ROW_BYTES; a longer row says how many bytes it leaves
 * out). Only rows on screen, a batch at a time, each at most once per cache
 * epoch (an encoding change reads them again).
 */
import type { LogReadResult, Result } from '../../../shared/protocol';

export const WRAP_ROW_BYTES = 64 * 1024;
const BATCH = 32; // 32 × 64 KiB stays under the ~4 MiB an answer may hold
const DEBOUNCE_MS = 30;

export interface FullRowHost {
  sessionId: string;
  epoch(): number;
  read(args: { sessionId: string; seqs: number[]; count: number; byteLimit: number }): Promise<Result<LogReadResult>>;
  deliver(res: LogReadResult, epoch: number): void;
}

export class FullRowLoader {
  private wanted: number[] = [];
  private asked = new Set<number>();
  private askedEpoch = -1;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight = false;
  private disposed = false;

  constructor(private readonly host: FullRowHost) {}

  /** The rows on screen that need more bytes than the cache has (replaces the previous want). */
  want(seqs: readonly number[]): void {
    this.syncEpoch();
    this.wanted = seqs.filter((s) => !this.asked.has(s));
    if (this.wanted.length > 0 && this.timer === null && !this.inFlight && !this.disposed) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.run();
      }, DEBOUNCE_MS);
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private syncEpoch(): void {
    const e = this.host.epoch();
    if (e !== this.askedEpoch) {
      this.askedEpoch = e;
      this.asked.clear();
    }
  }

  private async run(): Promise<void> {
    while (!this.disposed && this.wanted.length > 0) {
      this.syncEpoch();
      const seqs = this.wanted.splice(0, BATCH).filter((s) => !this.asked.has(s));
      if (seqs.length === 0) continue;
      for (const s of seqs) this.asked.add(s);
      const epoch = this.host.epoch();
      this.inFlight = true;
      let r: Result<LogReadResult>;
      try {
        r = await this.host.read({ sessionId: this.host.sessionId, seqs, count: seqs.length, byteLimit: WRAP_ROW_BYTES });
      } catch (e) {
        r = { ok: false, code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
      } finally {
        this.inFlight = false;
      }
      if (this.disposed) return;
      // a failed read is not retried for these rows: they keep their first bytes and say so
      if (r.ok) this.host.deliver(r.data, epoch);
    }
  }
}
