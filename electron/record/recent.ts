/**
 * The newest rows of a record, kept in memory for the live tail and a reload:
 * at most 512 rows, and at most 4 MiB of payload once 64 rows are kept.
 * Fixed-size columns instead of an object per row, so appending allocates
 * nothing; a row's payload is a range of a buffer the record already holds
 * (its staging buffer or the message itself). A row over 64 KiB keeps only a
 * copy of its first 4 KiB and last 16 bytes (enough for a view and for the
 * decoder's carry), so 64 rows never hold more than ~256 KiB of large messages.
 */
import type { LogDir } from '../../shared/protocol/log';
import { DIRS, DIR_CODES } from './format';

const SLOTS = 512;
const MIN_ROWS = 64;
const MAX_BYTES = 4 * 1024 * 1024;
/** rows longer than this keep a prefix and an end only */
const KEEP_WHOLE = 64 * 1024;
const PREFIX = 4096;
/** the decoder's carry comes from a message's last bytes (a character is at most 4) */
export const END_BYTES = 16;

/** A row read back from memory or disk; `payload` is a view. */
export interface RecentRow {
  seq: number;
  dir: LogDir;
  peerRef: number;
  ts: number;
  /** the message's bytes, or its first bytes when `size` is larger */
  payload: Uint8Array;
  /** the message's whole length */
  size: number;
  /** when `payload` is cut: the message's last END_BYTES bytes */
  end?: Uint8Array;
}

export class RecentRows {
  private readonly dirs = new Uint8Array(SLOTS);
  private readonly refs = new Uint32Array(SLOTS);
  private readonly times = new Float64Array(SLOTS);
  private readonly offs = new Uint32Array(SLOTS);
  private readonly lens = new Uint32Array(SLOTS);
  private readonly sizes = new Uint32Array(SLOTS);
  private readonly ends: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(SLOTS);
  private readonly bufs: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(SLOTS);
  /** seq of the newest row (0: none yet) */
  private last = 0;
  private count = 0;
  private bytes = 0;

  /** Payload bytes held in memory (tests). */
  get heldBytes(): number {
    return this.bytes;
  }

  /** The oldest seq kept (last + 1 when none). */
  get first(): number {
    return this.last - this.count + 1;
  }

  push(seq: number, dir: LogDir, peerRef: number, ts: number, buf: Uint8Array, off: number, len: number): void {
    if (seq !== this.last + 1) this.count = 0; // never happens: seqs are contiguous
    if (this.count === SLOTS) this.dropOldest();
    const i = seq % SLOTS;
    this.dirs[i] = DIR_CODES[dir];
    this.refs[i] = peerRef;
    this.times[i] = ts;
    this.sizes[i] = len;
    if (len > KEEP_WHOLE) {
      this.bufs[i] = buf.slice(off, off + PREFIX);
      this.ends[i] = buf.slice(off + len - END_BYTES, off + len);
      this.offs[i] = 0;
      this.lens[i] = PREFIX;
      len = PREFIX;
    } else {
      this.bufs[i] = buf;
      this.ends[i] = undefined;
      this.offs[i] = off;
      this.lens[i] = len;
    }
    this.last = seq;
    this.count++;
    this.bytes += len;
    while (this.bytes > MAX_BYTES && this.count > MIN_ROWS) this.dropOldest();
  }

  private dropOldest(): void {
    const i = this.first % SLOTS;
    this.bytes -= this.lens[i] as number;
    this.bufs[i] = undefined;
    this.ends[i] = undefined;
    this.count--;
  }

  /** The row `seq`, if kept. */
  get(seq: number): RecentRow | undefined {
    if (seq < this.first || seq > this.last) return undefined;
    const i = seq % SLOTS;
    const buf = this.bufs[i] as Uint8Array;
    const off = this.offs[i] as number;
    const end = this.ends[i];
    return {
      seq,
      dir: DIRS[this.dirs[i] as number] as LogDir,
      peerRef: this.refs[i] as number,
      ts: this.times[i] as number,
      payload: buf.subarray(off, off + (this.lens[i] as number)),
      size: this.sizes[i] as number,
      ...(end ? { end } : {}),
    };
  }
}
