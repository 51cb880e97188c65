/**
 * File transfers: the UI reads a file and streams it in chunks
 * (transfer.begin → transfer.chunk … → transfer.end). Each chunk is a normal
 * send (counters, a tx row, backpressure) and its command answers only after
 * the chunk was written to every target, so the UI sends the next chunk only
 * when the network took the previous one: memory stays at one chunk.
 *
 * - Chunks of one transfer are written in order, one at a time.
 * - The tx row of a chunk carries all its bytes, but its text shows only the
 *   first 4 KiB decoded (a 1 MiB chunk of binary would otherwise become a
 *   megabyte of replacement characters in the log).
 * - `sent` counts bytes of the file (not multiplied by the number of peers).
 * - States: running; done (ended with every byte sent); cancelled; failed
 *   (`error` set: a failed write, the session stopped, a short or long file).
 *   A chunk, end or cancel of a transfer that is no longer running fails
 *   with the reason.
 * - Ended transfers are kept (the last 50) so a late command gets a clear
 *   answer; a session's transfers go when it closes.
 */
import { WbError } from '../../shared/protocol/errors';
import { formatReason, say, type Reason } from '../../shared/protocol/reason-format';
import type { TransferInfo } from '../../shared/protocol/automation';
import { formatCount } from '../../shared/protocol/format';
import type { EngineEvent } from '../../shared/protocol/events';
import type { SendReport } from '../../shared/protocol/model';
import type { SendTarget } from '../../shared/protocol/schemas';

export interface TransferHost {
  /** Throws a WbError when the session does not exist or cannot send now. */
  check(sessionId: string): void;
  send(sessionId: string, bytes: Uint8Array, target: SendTarget): Promise<SendReport>;
  emit(event: EngineEvent): void;
  now(): number;
}

export interface TransferBegin {
  sessionId: string;
  target: SendTarget;
  name: string;
  size: number;
}

const PROGRESS_INTERVAL_MS = 100;
const KEEP_ENDED = 50;

interface Transfer {
  info: TransferInfo;
  target: SendTarget;
  /** the chunk being written (chunks of a transfer go one at a time) */
  tail: Promise<void>;
  lastProgress: number;
}


export class Transfers {
  private readonly map = new Map<string, Transfer>();
  private nextId = 1;

  constructor(private readonly host: TransferHost) {}

  begin(args: TransferBegin): TransferInfo {
    this.host.check(args.sessionId);
    const info: TransferInfo = {
      transferId: `f${this.nextId++}`,
      sessionId: args.sessionId,
      name: args.name,
      size: args.size,
      sent: 0,
      done: false,
      cancelled: false,
    };
    const t: Transfer = { info, target: args.target, tail: Promise.resolve(), lastProgress: 0 };
    this.map.set(info.transferId, t);
    this.prune();
    this.progress(t, true);
    return { ...info };
  }

  /** Write one chunk; resolves once it was written to every target. */
  async chunk(transferId: string, bytes: Uint8Array): Promise<TransferInfo> {
    const t = this.get(transferId);
    this.assertRunning(t);
    const job = t.tail.then(() => this.write(t, bytes));
    t.tail = job.catch(() => undefined);
    await job;
    return { ...t.info };
  }

  private async write(t: Transfer, bytes: Uint8Array): Promise<void> {
    this.assertRunning(t);
    const { info } = t;
    if (info.sent + bytes.length > info.size) {
      throw this.fail(t, say('transfer.longer', { sent: formatCount(info.sent + bytes.length), size: formatCount(info.size) }), 'INVALID_ARGUMENT');
    }
    try {
      await this.host.send(info.sessionId, bytes, t.target);
    } catch (e) {
      if (info.error !== undefined || info.cancelled) throw this.endedError(t);
      const err = e instanceof WbError ? e : new WbError('WRITE_FAILED', e instanceof Error ? e.message : String(e));
      throw this.fail(t, err.why ?? say('plain', { text: err.message }), err.code);
    }
    info.sent += bytes.length;
    this.progress(t, false);
  }

  /** The UI has sent the whole file: checks that every byte went out. */
  async end(transferId: string): Promise<TransferInfo> {
    const t = this.get(transferId);
    this.assertRunning(t);
    await t.tail;
    this.assertRunning(t);
    const { info } = t;
    if (info.sent !== info.size) throw this.fail(t, say('transfer.short', { sent: formatCount(info.sent), size: formatCount(info.size) }), 'INVALID_ARGUMENT');
    info.done = true;
    this.progress(t, true);
    return { ...info };
  }

  cancel(transferId: string): TransferInfo {
    const t = this.get(transferId);
    if (!t.info.done && !t.info.cancelled && t.info.error === undefined) {
      t.info.cancelled = true;
      this.progress(t, true);
    }
    return { ...t.info };
  }

  list(sessionId?: string): TransferInfo[] {
    return [...this.map.values()].filter((t) => sessionId === undefined || t.info.sessionId === sessionId).map((t) => ({ ...t.info }));
  }

  /** The session stopped: its running transfers fail with `reason`. */
  stopSession(sessionId: string, reason: Reason): void {
    for (const t of this.map.values()) {
      if (t.info.sessionId === sessionId && this.running(t)) this.fail(t, reason, 'NOT_CONNECTED');
    }
  }

  /** The session is gone: fail and forget its transfers. */
  forgetSession(sessionId: string, reason: Reason): void {
    this.stopSession(sessionId, reason);
    for (const [id, t] of this.map) if (t.info.sessionId === sessionId) this.map.delete(id);
  }

  private get(transferId: string): Transfer {
    const t = this.map.get(transferId);
    if (!t) throw new WbError('INVALID_ARGUMENT', say('transfer.notFound', { id: transferId }), { field: 'transferId' });
    return t;
  }

  private running(t: Transfer): boolean {
    return !t.info.done && !t.info.cancelled && t.info.error === undefined;
  }

  private assertRunning(t: Transfer): void {
    if (!this.running(t)) throw this.endedError(t);
  }

  private endedError(t: Transfer): WbError {
    const { info } = t;
    if (info.cancelled) return new WbError('INVALID_ARGUMENT', say('transfer.cancelled', { name: info.name }));
    if (info.error !== undefined) return new WbError('WRITE_FAILED', info.errorWhy ?? info.error);
    return new WbError('INVALID_ARGUMENT', say('transfer.ended', { name: info.name }));
  }

  private fail(t: Transfer, why: Reason, code: WbError['code']): WbError {
    t.info.error = formatReason(why);
    t.info.errorWhy = why;
    this.progress(t, true);
    return new WbError(code, why);
  }

  private progress(t: Transfer, force: boolean): void {
    const now = performance.now();
    if (!force && now - t.lastProgress < PROGRESS_INTERVAL_MS) return;
    t.lastProgress = now;
    try {
      this.host.emit({ type: 'transfer.progress', ts: this.host.now(), sessionId: t.info.sessionId, transfer: { ...t.info } });
    } catch {
      // a faulty sink must never break a transfer
    }
  }

  private prune(): void {
    const ended = [...this.map.values()].filter((t) => !this.running(t));
    for (const t of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) this.map.delete(t.info.transferId);
  }
}
