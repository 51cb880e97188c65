/**
 * One session's record: every row (rx, tx, info, error) appended to disk at
 * wire speed. It is the one copy of the log: the live tail, scroll-back,
 * search, reloads and exports all read from here.
 *
 * - Append (the hot path) writes the row's header, and a small row's bytes,
 *   into a staging buffer and returns its seq; a large row (a socket chunk)
 *   is queued as it is, uncopied. Queued bytes go to the segment's write
 *   stream once per tick (or every 256 KiB). At most one copy per byte, no
 *   per-row allocation.
 * - Files: `<dir>/<base>.<n>.log`, segments of about 1/8 of the size limit;
 *   when the total goes over the limit the oldest segment goes and its rows
 *   count as dropped (`firstSeq` moves on).
 * - A sparse index per segment (a seq and file offset every 64 rows or
 *   64 KiB) finds any seq with one short read.
 * - The newest rows stay in memory (recent.ts) for the live tail and a reload.
 * - When the disk falls behind (more than 32 MiB handed to the stream and not
 *   yet written) `onPressure(true)` asks the engine to pause reading this
 *   session; `onPressure(false)` once below 8 MiB. Nothing else ever pauses.
 * - Readers pin the segments they read, so a segment that rolls out of the
 *   limit meanwhile is deleted only when they let go.
 */
import { createWriteStream, promises as fsp, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { LogDir } from '../../shared/protocol/log';
import { HEADER_BYTES, parseRecords, writeHeader, type RawRecord } from './format';
import { PRIVATE_FILE_MODE } from '../store/private';
import { END_BYTES, RecentRows, type RecentRow } from './recent';

export type { RecentRow } from './recent';

export const DEFAULT_RECORD_LIMIT = 1024 * 1024 * 1024;
const MIN_SEGMENT = 64 * 1024;
const STAGE_BYTES = 256 * 1024;
/** rows at least this long are written from their own memory instead of being copied */
const COPY_BELOW = 2048;
const FLUSH_AT = 256 * 1024;
const INDEX_EVERY_ROWS = 64;
const INDEX_EVERY_BYTES = 64 * 1024;
const PRESSURE_HIGH = 32 * 1024 * 1024;
const PRESSURE_LOW = 8 * 1024 * 1024;
const READ_CHUNK = 256 * 1024;

interface Segment {
  n: number;
  path: string;
  firstSeq: number;
  records: number;
  /** rx/tx rows among the records */
  messages: number;
  /** bytes appended (staged or written) */
  bytes: number;
  /** bytes the write stream confirmed */
  written: number;
  stream?: WriteStream;
  waiters: { bytes: number; resolve: () => void }[];
  pins: number;
  /** rolled out of the limit or the record was removed: delete once unpinned */
  doomed: boolean;
  idxSeq: number[];
  idxOff: number[];
}

/**
 * A row with at most `byteLimit` bytes of a message (notes are never cut);
 * a cut row keeps the message's last bytes for the decoder's carry.
 * `copy`: the bytes are copied (the source may be a reused read buffer).
 */
export function cutRow(r: RecentRow, byteLimit: number, copy: boolean): RecentRow {
  const message = r.dir === 'rx' || r.dir === 'tx';
  const n = message ? Math.min(byteLimit, r.payload.length) : r.payload.length;
  const payload = copy ? r.payload.slice(0, n) : r.payload.subarray(0, n);
  const out: RecentRow = { seq: r.seq, dir: r.dir, peerRef: r.peerRef, ts: r.ts, payload, size: r.size };
  if (message && r.size > n) {
    const end = r.end ?? r.payload.subarray(Math.max(n, r.payload.length - END_BYTES));
    out.end = copy ? end.slice() : end;
  }
  return out;
}

export interface RecordStats {
  bytes: number;
  /** rx/tx rows kept */
  records: number;
  limitBytes: number;
  /** rx/tx rows the size limit dropped */
  droppedRecords: number;
  /** why the record could not be written to disk (it then keeps only its newest rows, in memory) */
  error?: string;
}

export class SessionRecord {
  private segments: Segment[] = [];
  private nextFile = 0;
  private stage: Buffer | undefined;
  private stageAt = 0;
  private stageSealed = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushQueued = false;
  private inflight = 0;
  private pressured = false;
  private totalBytes = 0;
  private totalRecords = 0;
  private totalMessages = 0;
  private dropped = 0;
  private failure: Error | undefined;
  private removed = false;
  private last = 0;
  /** the first seq views show (moved by log.clear) */
  private viewStart = 1;
  private readonly recent = new RecentRows();

  constructor(
    private readonly dir: string,
    private readonly base: string,
    private limit: number = DEFAULT_RECORD_LIMIT,
    private readonly onPressure: (paused: boolean) => void = () => undefined,
    /** the disk refused a write: the record keeps only its recent rows in memory from now on */
    private readonly onFailure: (e: Error) => void = () => undefined,
  ) {}

  /** Why the record stopped writing to disk (a disk error), if it did. */
  get error(): Error | undefined {
    return this.failure;
  }

  get lastSeq(): number {
    return this.last;
  }

  /** The oldest seq still on disk (or in memory). */
  get oldestSeq(): number {
    const seg = this.segments[0];
    return seg ? seg.firstSeq : this.last + 1;
  }

  /** The first seq a view shows: after the limit's drops and the last clear. */
  get firstSeq(): number {
    return Math.max(this.oldestSeq, this.viewStart);
  }

  stats(): RecordStats {
    const s: RecordStats = { bytes: this.totalBytes, records: this.totalMessages, limitBytes: this.limit, droppedRecords: this.dropped };
    if (this.failure) s.error = this.failure.message;
    return s;
  }

  /** Views start after the current last row. */
  clearView(): void {
    this.viewStart = this.last + 1;
  }

  private get segmentLimit(): number {
    return Math.max(MIN_SEGMENT, Math.floor(this.limit / 8));
  }

  setLimit(limit: number): void {
    this.limit = limit;
    this.enforceLimit();
  }

  // ── append ────────────────────────────────────────────────────────────────

  /** Append one row; returns its seq. */
  append(dir: LogDir, peerRef: number, ts: number, payload: Uint8Array): number {
    const seq = ++this.last;
    if (this.removed) return seq;
    const size = HEADER_BYTES + payload.length;
    let seg = this.segments[this.segments.length - 1];
    if (!seg || (seg.records > 0 && seg.bytes + size > this.segmentLimit)) seg = this.roll(seq);
    const sinceIdx = seg.idxSeq.length === 0 ? Infinity : seq - (seg.idxSeq[seg.idxSeq.length - 1] as number);
    const bytesSinceIdx = seg.idxOff.length === 0 ? Infinity : seg.bytes - (seg.idxOff[seg.idxOff.length - 1] as number);
    if (sinceIdx >= INDEX_EVERY_ROWS || bytesSinceIdx >= INDEX_EVERY_BYTES) {
      seg.idxSeq.push(seq);
      seg.idxOff.push(seg.bytes);
    }
    if (!this.stage || this.stage.length - this.stageAt < (payload.length < COPY_BELOW ? size : HEADER_BYTES)) this.newStage();
    const stage = this.stage as Buffer;
    writeHeader(stage, this.stageAt, dir, peerRef, ts, payload.length);
    if (payload.length < COPY_BELOW) {
      // small rows are copied behind their header: one write for many rows
      stage.set(payload, this.stageAt + HEADER_BYTES);
      this.recent.push(seq, dir, peerRef, ts, stage, this.stageAt + HEADER_BYTES, payload.length);
      this.stageAt += size;
    } else {
      // large rows (socket chunks) go to the stream as they are, after their header: no copy.
      // The engine never reuses a message's memory, so holding it until written is safe.
      this.stageAt += HEADER_BYTES;
      this.sealStage();
      this.pending.push(Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
      this.recent.push(seq, dir, peerRef, ts, payload, 0, payload.length);
    }
    this.pendingBytes += size;
    seg.bytes += size;
    seg.records += 1;
    this.totalBytes += size;
    this.totalRecords += 1;
    if (dir === 'rx' || dir === 'tx') {
      seg.messages += 1;
      this.totalMessages += 1;
    }
    this.enforceLimit();
    if (this.pendingBytes >= FLUSH_AT) this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => this.flush());
    }
    return seq;
  }

  private newStage(): void {
    this.sealStage();
    this.stage = Buffer.allocUnsafe(STAGE_BYTES);
    this.stageAt = 0;
    this.stageSealed = 0;
  }

  /** Move the staged bytes not yet handed out to the pending list. */
  private sealStage(): void {
    if (this.stage && this.stageAt > this.stageSealed) {
      this.pending.push(this.stage.subarray(this.stageSealed, this.stageAt));
      this.stageSealed = this.stageAt;
    }
  }

  /** Hand pending rows to the current segment's stream. */
  private flush(): void {
    this.flushQueued = false;
    this.sealStage();
    if (this.pending.length === 0) return;
    const chunks = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    const seg = this.segments[this.segments.length - 1];
    if (!seg || this.removed || this.failure) return;
    const stream = this.streamOf(seg);
    this.inflight += bytes;
    stream.cork();
    for (let i = 0; i < chunks.length - 1; i++) stream.write(chunks[i] as Buffer);
    stream.write(chunks[chunks.length - 1] as Buffer, (e) => {
      this.inflight -= bytes;
      if (!e) {
        seg.written += bytes;
        const ready = seg.waiters.filter((w) => seg.written >= w.bytes);
        seg.waiters = seg.waiters.filter((w) => seg.written < w.bytes);
        for (const w of ready) w.resolve();
      }
      this.checkPressure();
    });
    process.nextTick(() => stream.uncork());
    this.checkPressure();
  }

  private checkPressure(): void {
    if (!this.pressured && this.inflight > PRESSURE_HIGH) {
      this.pressured = true;
      this.onPressure(true);
    } else if (this.pressured && this.inflight < PRESSURE_LOW) {
      this.pressured = false;
      this.onPressure(false);
    }
  }

  private streamOf(seg: Segment): WriteStream {
    if (seg.stream) return seg.stream;
    const stream = createWriteStream(seg.path, { flags: 'w', mode: PRIVATE_FILE_MODE, highWaterMark: 1024 * 1024 });
    stream.on('error', (e) => {
      if (!this.failure) {
        this.failure = e;
        this.onFailure(e);
      }
      for (const w of seg.waiters.splice(0)) w.resolve();
      if (this.pressured) {
        this.pressured = false;
        this.onPressure(false);
      }
    });
    seg.stream = stream;
    return stream;
  }

  private roll(firstSeq: number): Segment {
    this.flush();
    const prev = this.segments[this.segments.length - 1];
    if (prev?.stream) prev.stream.end();
    const n = this.nextFile++;
    const seg: Segment = {
      n,
      path: join(this.dir, `${this.base}.${n}.log`),
      firstSeq,
      records: 0,
      messages: 0,
      bytes: 0,
      written: 0,
      waiters: [],
      pins: 0,
      doomed: false,
      idxSeq: [],
      idxOff: [],
    };
    this.segments.push(seg);
    return seg;
  }

  private enforceLimit(): void {
    while (this.totalBytes > this.limit && this.segments.length > 1) {
      const old = this.segments.shift() as Segment;
      this.totalBytes -= old.bytes;
      this.totalRecords -= old.records;
      this.totalMessages -= old.messages;
      this.dropped += old.messages;
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

  /** Flush and wait until every row appended so far is on disk (in the OS). */
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

  /** Resolves once the segment's rows up to `seq` are on disk (in the OS). */
  private async written(seg: Segment | undefined, seq: number): Promise<void> {
    if (!seg) return;
    // the first index entry after `seq` marks where its row has surely ended
    let lo = 0;
    let hi = seg.idxSeq.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((seg.idxSeq[mid] as number) <= seq) lo = mid + 1;
      else hi = mid;
    }
    const need = lo < seg.idxSeq.length ? (seg.idxOff[lo] as number) : seg.bytes;
    if (seg.written >= need) return;
    this.flush();
    if (seg.written >= need || this.failure) return;
    await new Promise<void>((resolve) => seg.waiters.push({ bytes: need, resolve }));
    if (this.failure) throw this.failure;
  }

  // ── read ──────────────────────────────────────────────────────────────────

  /**
   * Rows `from…to` (inclusive, clamped to what exists) from memory when they
   * are all there, else from disk. Payloads are copies, cut to `byteLimit`;
   * `size` is the whole length.
   */
  async rows(from: number, to: number, byteLimit: number): Promise<RecentRow[]> {
    from = Math.max(from, this.oldestSeq);
    to = Math.min(to, this.last);
    if (to < from) return [];
    const out: RecentRow[] = [];
    if (from >= this.recent.first) {
      const kept = [];
      for (let s = from; s <= to; s++) kept.push(this.recent.get(s) as RecentRow);
      // memory holds only the start of a large row: read it from disk when more is asked for
      if (kept.every((r) => r.payload.length >= Math.min(r.size, byteLimit))) return kept.map((r) => cutRow(r, byteLimit, true));
    }
    for await (const batch of this.scan(from, to)) for (const r of batch) out.push(cutRow({ ...r, size: r.payload.length }, byteLimit, true));
    return out;
  }

  /** The newest rows in memory with seq > `after`, at most `max` (the live tail). */
  tail(after: number, max: number): RecentRow[] {
    const first = Math.max(after + 1, this.last - max + 1, this.recent.first);
    const out: RecentRow[] = [];
    for (let s = first; s <= this.last; s++) out.push(this.recent.get(s) as RecentRow);
    return out;
  }

  /**
   * Every row from `from` to `to` (default: the last row now), read from disk
   * in batches. Payloads are views valid until the next batch is asked for.
   * The segments read are pinned until the generator ends.
   */
  async *scan(from: number, to: number = this.last): AsyncGenerator<RawRecord[]> {
    from = Math.max(from, this.oldestSeq);
    to = Math.min(to, this.last);
    if (to < from) return;
    const parts = this.segments.filter((s) => s.records > 0 && s.firstSeq + s.records - 1 >= from && s.firstSeq <= to);
    // pinned before waiting: a segment the limit drops meanwhile is deleted only after this read
    const bounds = parts.map((s) => ({ seg: s, bytes: 0, records: s.records }));
    for (const p of bounds) p.seg.pins += 1;
    try {
      // wait only for the bytes this read needs (every earlier segment whole, the last one up
      // to `to`): old rows under a flood are read at once
      await Promise.all(parts.map((s, i) => this.written(s, i === parts.length - 1 ? to : Infinity))).catch(() => undefined);
      // read only what the disk has confirmed (the last segment may be mid-write)
      for (const p of bounds) p.bytes = p.seg.written;
      for (const p of bounds) {
        const seg = p.seg;
        const start = Math.max(from, seg.firstSeq);
        // the last index entry at or before `start`
        let lo = 0;
        let hi = seg.idxSeq.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >>> 1;
          if ((seg.idxSeq[mid] as number) <= start) lo = mid;
          else hi = mid - 1;
        }
        let offset = seg.idxOff[lo] ?? 0;
        let seq = seg.idxSeq[lo] ?? seg.firstSeq;
        const fh = await fsp.open(seg.path, 'r');
        try {
          let carry: Buffer | undefined;
          let done = false;
          while (!done && offset < p.bytes) {
            const want = Math.min(READ_CHUNK, p.bytes - offset);
            const chunk = Buffer.allocUnsafe(want);
            const { bytesRead } = await fh.read(chunk, 0, want, offset);
            if (bytesRead <= 0) break;
            offset += bytesRead;
            const buf = carry ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
            const batch: RawRecord[] = [];
            /** Parse the whole rows of `b` into the batch; what is left of it (an unfinished row) is the carry. */
            const take = (b: Buffer): Buffer | undefined => {
              const end = parseRecords(b, 0, seq, (rec) => {
                if (rec.seq > to) {
                  done = true;
                  return false;
                }
                if (rec.seq >= start) batch.push(rec);
                return true;
              });
              seq = end.seq;
              return end.at < b.length && !done ? b.subarray(end.at) : undefined;
            };
            carry = take(buf);
            if (carry && carry.length >= 4) {
              // a row longer than one read: read the rest of it in one go, and take it now (it may
              // be the segment's last row, after which the loop reads nothing more)
              const need = carry.readUInt32LE(0) + 4 - carry.length;
              if (need > READ_CHUNK) {
                const rest = Buffer.allocUnsafe(need);
                const r = await fh.read(rest, 0, need, offset);
                offset += r.bytesRead;
                carry = take(Buffer.concat([carry, rest.subarray(0, r.bytesRead)]));
              }
            }
            if (batch.length > 0) yield batch;
            if (seq > seg.firstSeq + p.records - 1) break;
          }
        } finally {
          await fh.close().catch(() => undefined);
        }
      }
    } finally {
      for (const p of bounds) {
        p.seg.pins -= 1;
        if (p.seg.pins === 0 && p.seg.doomed) void this.deleteSegment(p.seg);
      }
    }
  }

  /** Delete every segment (pinned ones once their reader lets go). */
  async remove(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.stage = undefined;
    const all = this.segments.splice(0);
    this.totalBytes = 0;
    this.totalRecords = 0;
    this.totalMessages = 0;
    if (this.pressured) {
      this.pressured = false;
      this.onPressure(false);
    }
    await Promise.all(
      all.map((seg) => {
        seg.doomed = true;
        return seg.pins === 0 ? this.deleteSegment(seg) : undefined;
      }),
    );
  }
}
