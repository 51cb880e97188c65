/**
 * A session's spill log: every rx/tx message appended to disk, so an export
 * is complete even when the UI's view ring dropped rows.
 *
 * - Files: `<dir>/<sessionId>-<pid>.<seq>.log`, segments of about 1/8 of the
 *   limit; when the total goes over the limit the oldest segment is deleted
 *   and its records are counted as dropped.
 * - The hot path (`append`) only encodes the record and queues it: records
 *   are gathered and handed to a write stream once per tick (or every
 *   256 KiB). No fsync: a spill log need not survive a power cut.
 * - `snapshot()` flushes and pins the segments, so an export reads a stable
 *   list of files even while the log keeps rolling; a pinned segment that
 *   rolls out of the limit is deleted when the export releases it.
 */
import { createReadStream, createWriteStream, promises as fsp, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { SpillInfo } from '../../shared/protocol/automation';
import type { CaptureRecord } from './export/record';
import { encodeRecord, RecordParser } from './spill-format';

export const DEFAULT_SPILL_LIMIT = 256 * 1024 * 1024;
const MIN_SEGMENT = 64 * 1024;
const FLUSH_AT = 256 * 1024;

interface Segment {
  seq: number;
  path: string;
  /** bytes appended (queued or written) */
  bytes: number;
  records: number;
  /** bytes the write stream confirmed */
  written: number;
  stream?: WriteStream;
  waiters: { bytes: number; resolve: () => void }[];
  pins: number;
  /** rolled out of the limit or the log was removed: delete once unpinned */
  doomed: boolean;
}

/** A stable, flushed view of the log for one reader. */
export interface SpillSnapshot {
  records: number;
  bytes: number;
  /** read every record, in order */
  read(): AsyncGenerator<CaptureRecord>;
  /** let go of the segments (call once, after reading) */
  release(): void;
}

export class SpillLog {
  private segments: Segment[] = [];
  private seq = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushQueued = false;
  private totalBytes = 0;
  private totalRecords = 0;
  private dropped = 0;
  private failure: Error | undefined;
  private removed = false;

  constructor(
    private readonly dir: string,
    private readonly base: string,
    private limit: number = DEFAULT_SPILL_LIMIT,
  ) {}

  get limitBytes(): number {
    return this.limit;
  }

  /** Why the log stopped taking records (a disk error), if it did. */
  get error(): Error | undefined {
    return this.failure;
  }

  info(): SpillInfo {
    return { bytes: this.totalBytes, records: this.totalRecords, limitBytes: this.limit, droppedRecords: this.dropped };
  }

  private get segmentLimit(): number {
    return Math.max(MIN_SEGMENT, Math.floor(this.limit / 8));
  }

  setLimit(limit: number): void {
    this.limit = limit;
    this.enforceLimit();
  }

  append(rec: CaptureRecord): void {
    if (this.removed || this.failure) return;
    const buf = encodeRecord(rec);
    let seg = this.segments[this.segments.length - 1];
    if (!seg || (seg.bytes > 0 && seg.bytes + buf.length > this.segmentLimit)) seg = this.roll();
    seg.bytes += buf.length;
    seg.records += 1;
    this.totalBytes += buf.length;
    this.totalRecords += 1;
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    this.enforceLimit();
    if (this.pendingBytes >= FLUSH_AT) this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => this.flush());
    }
  }

  /** Hand queued records to the current segment's stream. */
  private flush(): void {
    this.flushQueued = false;
    if (this.pending.length === 0) return;
    const seg = this.segments[this.segments.length - 1];
    const chunk = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (!seg || this.removed) return;
    const stream = this.streamOf(seg);
    stream.write(chunk, (e) => {
      if (e) return;
      seg.written += chunk.length;
      const ready = seg.waiters.filter((w) => seg.written >= w.bytes);
      seg.waiters = seg.waiters.filter((w) => seg.written < w.bytes);
      for (const w of ready) w.resolve();
    });
  }

  private streamOf(seg: Segment): WriteStream {
    if (seg.stream) return seg.stream;
    const stream = createWriteStream(seg.path, { flags: 'w' });
    stream.on('error', (e) => {
      this.failure ??= e;
      for (const w of seg.waiters.splice(0)) w.resolve();
    });
    seg.stream = stream;
    return stream;
  }

  private roll(): Segment {
    this.flush();
    const prev = this.segments[this.segments.length - 1];
    if (prev?.stream) prev.stream.end();
    const seq = this.seq++;
    const seg: Segment = {
      seq,
      path: join(this.dir, `${this.base}.${seq}.log`),
      bytes: 0,
      records: 0,
      written: 0,
      waiters: [],
      pins: 0,
      doomed: false,
    };
    this.segments.push(seg);
    return seg;
  }

  private enforceLimit(): void {
    while (this.totalBytes > this.limit && this.segments.length > 1) {
      const old = this.segments.shift() as Segment;
      this.totalBytes -= old.bytes;
      this.totalRecords -= old.records;
      this.dropped += old.records;
      old.doomed = true;
      if (old.pins === 0) void this.deleteSegment(old);
    }
  }

  private async deleteSegment(seg: Segment): Promise<void> {
    for (const w of seg.waiters.splice(0)) w.resolve();
    const stream = seg.stream;
    if (stream && !stream.closed) {
      await new Promise<void>((resolve) => {
        stream.once('close', () => resolve());
        if (!stream.writableEnded) stream.end();
        if (stream.destroyed) resolve();
      });
    }
    await fsp.rm(seg.path, { force: true }).catch(() => undefined);
  }

  /** Flush and wait until every record appended so far is on disk (in the OS). */
  async sync(): Promise<void> {
    this.flush();
    await Promise.all(
      this.segments.map((seg) =>
        seg.written >= seg.bytes || !seg.stream || this.failure
          ? undefined
          : new Promise<void>((resolve) => seg.waiters.push({ bytes: seg.bytes, resolve })),
      ),
    );
    if (this.failure) throw this.failure;
  }

  /** Flush, then pin the current segments for one reader. */
  async snapshot(): Promise<SpillSnapshot> {
    await this.sync();
    const parts = this.segments.filter((s) => s.bytes > 0).map((s) => ({ seg: s, bytes: s.bytes, records: s.records }));
    for (const p of parts) p.seg.pins += 1;
    let released = false;
    return {
      records: parts.reduce((n, p) => n + p.records, 0),
      bytes: parts.reduce((n, p) => n + p.bytes, 0),
      read: async function* () {
        for (const p of parts) {
          const parser = new RecordParser();
          const input = createReadStream(p.seg.path, { start: 0, end: p.bytes - 1, highWaterMark: 256 * 1024 });
          for await (const chunk of input) yield* parser.push(chunk as Buffer);
        }
      },
      release: () => {
        if (released) return;
        released = true;
        for (const p of parts) {
          p.seg.pins -= 1;
          if (p.seg.pins === 0 && p.seg.doomed) void this.deleteSegment(p.seg);
        }
      },
    };
  }

  /** Delete every segment (pinned ones once their reader lets go). */
  async remove(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    this.pending = [];
    this.pendingBytes = 0;
    const all = this.segments.splice(0);
    this.totalBytes = 0;
    this.totalRecords = 0;
    await Promise.all(
      all.map((seg) => {
        seg.doomed = true;
        return seg.pins === 0 ? this.deleteSegment(seg) : undefined;
      }),
    );
  }
}
