/**
 * Periodic sends and send sequences.
 *
 * - Payloads are encoded once, up front: a payload that cannot be encoded
 *   is refused before anything is sent.
 * - One send at a time: the next send starts only after the previous one's
 *   write callback ran, so a schedule never piles writes onto a slow peer.
 * - Periodic sends keep a self-correcting clock: send n is due at
 *   start + n × interval. A late send goes out at once, and the next one is
 *   still due on the original clock, so the count is exact: nothing is
 *   skipped and nothing is sent twice.
 * - A sequence waits each item's delay after the previous item was sent,
 *   and runs once, `loops` times, or (loops 0) until stopped.
 * - The first failed send stops the schedule, with the reason in words
 *   ("Stopped: the connection to 1.2.3.4:5 closed before the data was sent").
 * - `schedule.progress` goes out at most about 10 times a second per
 *   schedule, plus always once when it starts and once when it ends.
 * - Ended schedules are kept (the last 20 per session) so the UI can show
 *   why they ended; all of a session's schedules go when it closes.
 */
import { WbError } from '../../shared/protocol/errors';
import { formatReason, say, type Reason } from '../../shared/protocol/reason-format';
import type { periodicStartSchema, ScheduleInfo, sequenceStartSchema } from '../../shared/protocol/automation';
import type { EngineEvent } from '../../shared/protocol/events';
import type { SendTarget } from '../../shared/protocol/schemas';
import type { z } from 'zod';
import { encodePayload } from './payload';

export type PeriodicArgs = z.output<typeof periodicStartSchema>;
export type SequenceArgs = z.output<typeof sequenceStartSchema>;

export interface ScheduleHost {
  /** Throws a WbError when the session does not exist or cannot send now. */
  check(sessionId: string): void;
  /** Send bytes; resolves after the write callbacks. */
  send(sessionId: string, bytes: Uint8Array, target: SendTarget): Promise<unknown>;
  emit(event: EngineEvent): void;
  now(): number;
}

const PROGRESS_INTERVAL_MS = 100;
const KEEP_ENDED = 20;

interface Job {
  info: ScheduleInfo;
  target: SendTarget;
  /** the next send, as bytes, or undefined when the schedule is complete */
  next(): Uint8Array | undefined;
  /** ms to wait before the send about to happen, measured from now */
  waitMs(): number;
  /** a send completed */
  onSent?: () => void;
  stopped: boolean;
  wake: (() => void) | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  lastProgress: number;
}

/** Why a send failed, as a Reason ("Stopped: {why|lc}" writes "the connection closed"; "UDP …" stays). */
function errorWhy(e: unknown): Reason {
  if (e instanceof WbError && e.why) return e.why;
  return say('plain', { text: e instanceof Error ? e.message : String(e) });
}

export class Scheduler {
  private readonly jobs = new Map<string, Job>();
  private nextId = 1;

  constructor(private readonly host: ScheduleHost) {}

  startPeriodic(args: PeriodicArgs): ScheduleInfo {
    this.host.check(args.sessionId);
    const bytes = encodePayload(args.payload);
    const { intervalMs, count } = args;
    let n = 0;
    let startAt = 0;
    const job = this.create(args.sessionId, 'periodic', count, args.target, undefined, {
      next: () => {
        if (count > 0 && n >= count) return undefined;
        n++;
        return bytes;
      },
      waitMs: () => {
        const t = performance.now();
        if (n === 0) {
          startAt = t;
          return 0;
        }
        return startAt + n * intervalMs - t;
      },
    });
    return this.launch(job);
  }

  startSequence(args: SequenceArgs): ScheduleInfo {
    this.host.check(args.sessionId);
    const items = args.items.map((it) => ({ bytes: encodePayload(it.payload), delayMs: it.delayMs }));
    const passes = args.loop ? args.loops : 1;
    const total = passes === 0 ? 0 : items.length * passes;
    let index = 0;
    let sentAt = 0;
    const job = this.create(args.sessionId, 'sequence', total, args.target, args.name, {
      next: () => {
        if (total > 0 && index >= total) return undefined;
        const item = items[index % items.length]!;
        index++;
        return item.bytes;
      },
      waitMs: () => {
        const item = items[index % items.length]!;
        if (item.delayMs === 0) return 0;
        return (index === 0 ? performance.now() : sentAt) + item.delayMs - performance.now();
      },
      onSent: () => {
        sentAt = performance.now();
      },
    });
    return this.launch(job);
  }

  stop(sessionId: string, scheduleId: string): ScheduleInfo {
    const job = this.jobs.get(scheduleId);
    if (!job || job.info.sessionId !== sessionId)
      throw new WbError('INVALID_ARGUMENT', say('schedule.notFound', { id: scheduleId }), { field: 'scheduleId' });
    this.end(job, say('schedule.stoppedByYou'));
    return { ...job.info };
  }

  list(sessionId?: string): ScheduleInfo[] {
    return [...this.jobs.values()].filter((j) => sessionId === undefined || j.info.sessionId === sessionId).map((j) => ({ ...j.info }));
  }

  /** The session stopped: end its running schedules with `reason`. */
  stopSession(sessionId: string, reason: Reason): void {
    for (const j of this.jobs.values()) if (j.info.sessionId === sessionId) this.end(j, reason);
  }

  /** The session is gone: end and forget its schedules. */
  forgetSession(sessionId: string, reason: Reason): void {
    this.stopSession(sessionId, reason);
    for (const [id, j] of this.jobs) if (j.info.sessionId === sessionId) this.jobs.delete(id);
  }

  dispose(): void {
    for (const j of this.jobs.values()) this.end(j, say('schedule.closing'));
    this.jobs.clear();
  }

  private create(
    sessionId: string,
    kind: ScheduleInfo['kind'],
    total: number,
    target: SendTarget,
    name: string | undefined,
    plan: Pick<Job, 'next' | 'waitMs' | 'onSent'>,
  ): Job {
    const info: ScheduleInfo = {
      scheduleId: `${kind === 'periodic' ? 'per' : 'seq'}${this.nextId++}`,
      sessionId,
      kind,
      ...(name !== undefined ? { name } : {}),
      sent: 0,
      total,
      running: true,
      startedAt: this.host.now(),
    };
    return { info, target, ...plan, stopped: false, wake: undefined, timer: undefined, lastProgress: 0 };
  }

  private launch(job: Job): ScheduleInfo {
    this.jobs.set(job.info.scheduleId, job);
    this.prune(job.info.sessionId);
    this.progress(job, true);
    void this.run(job);
    return { ...job.info };
  }

  private async run(job: Job): Promise<void> {
    try {
      for (;;) {
        if (job.stopped) return;
        const wait = job.waitMs();
        if (wait >= 1) await this.sleep(job, wait);
        if (job.stopped) return;
        const bytes = job.next();
        if (bytes === undefined) {
          this.end(job, say('schedule.finished'));
          return;
        }
        try {
          await this.host.send(job.info.sessionId, bytes, job.target);
        } catch (e) {
          this.end(job, say('schedule.stoppedBy', { why: errorWhy(e) }));
          return;
        }
        job.info.sent++;
        job.onSent?.();
        if (job.info.total > 0 && job.info.sent >= job.info.total) {
          this.end(job, say('schedule.finished'));
          return;
        }
        this.progress(job, false);
      }
    } catch (e) {
      this.end(job, say('schedule.stoppedBy', { why: errorWhy(e) }));
    }
  }

  private sleep(job: Job, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      job.wake = resolve;
      job.timer = setTimeout(() => {
        job.timer = undefined;
        job.wake = undefined;
        resolve();
      }, ms);
    });
  }

  private end(job: Job, reason: Reason): void {
    if (job.stopped) return;
    job.stopped = true;
    if (job.timer !== undefined) clearTimeout(job.timer);
    job.timer = undefined;
    const wake = job.wake;
    job.wake = undefined;
    wake?.();
    job.info.running = false;
    job.info.endReason = formatReason(reason);
    job.info.endWhy = reason;
    this.progress(job, true);
  }

  private progress(job: Job, force: boolean): void {
    const t = performance.now();
    if (!force && t - job.lastProgress < PROGRESS_INTERVAL_MS) return;
    job.lastProgress = t;
    try {
      this.host.emit({ type: 'schedule.progress', ts: this.host.now(), sessionId: job.info.sessionId, schedule: { ...job.info } });
    } catch {
      // a faulty sink must never stop a schedule
    }
  }

  /** Keep at most KEEP_ENDED ended schedules of a session (oldest go first). */
  private prune(sessionId: string): void {
    const ended = [...this.jobs.values()].filter((j) => j.info.sessionId === sessionId && !j.info.running);
    for (const j of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) this.jobs.delete(j.info.scheduleId);
  }
}
