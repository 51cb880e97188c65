/**
 * Streaming framers: cut a received byte stream into messages (log rows,
 * rule inputs). One framer per peer and direction.
 *
 * Common rules
 * - `push` returns the messages completed by this chunk, oldest first;
 *   `flush` returns whatever is buffered as one final message (the engine
 *   calls it on an idle timer or when the connection closes) and resets the
 *   framer. Both return [] when there is nothing to give.
 * - Messages are fresh copies that the caller owns, except for `raw`, whose
 *   messages are the pushed chunks themselves (or views of them). A framer
 *   never mutates a chunk it is given.
 * - Memory guard: no message is longer than `maxMessageBytes` (default
 *   {@link MAX_FRAME_BYTES}, 16 MiB, the same as the largest send). A message
 *   that would be longer is emitted in pieces of exactly that size (the last
 *   piece holds the rest) instead of growing the buffer forever. For
 *   `fixed` and `length-prefix` the framer counts the pieces against the
 *   expected length, so it stays in step with the stream afterwards. For
 *   `delimiter` a cut happens once no delimiter can end a message within the
 *   limit. The pieces depend only on the bytes, not on how they were split
 *   into chunks.
 *
 * Kinds
 * - raw: each non-empty chunk is a message.
 * - delimiter: a message ends at any byte sequence, also when it straddles
 *   chunks. `keep` leaves the delimiter at the end of the message.
 * - fixed: messages of exactly `length` bytes.
 * - length-prefix: a `width`-byte unsigned length (be/le) starts each message,
 *   or sits `offset` bytes into it (a length field in a header: Modbus TCP's
 *   MBAP has it at bytes 4–5, counting the bytes after it, so offset 4, width
 *   2, be); messages include the header bytes. A message is offset + width +
 *   the value bytes long. With `includesPrefix` the value counts the whole
 *   message (header included); a value smaller than offset + width is
 *   impossible, so the header bytes alone are emitted as a message and
 *   parsing resumes right after them (resync).
 * - idle: a message ends when the gap since the previous chunk is >= gapMs:
 *   pushing a chunk whose `nowMs` is that late first returns the bytes
 *   pending before it. The engine also calls `flush()` after gapMs of silence.
 */
import { CodecError, type FramerSpec } from './types';

/** Largest message a framer buffers before cutting it (16 MiB). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export interface Framer {
  push(chunk: Uint8Array, nowMs: number): Uint8Array[];
  flush(): Uint8Array[];
  readonly pendingBytes: number;
  readonly spec: FramerSpec;
}

export interface FramerOptions {
  /** cut messages longer than this; default {@link MAX_FRAME_BYTES} */
  maxMessageBytes?: number;
}

/** A growable FIFO of bytes over one backing array. */
class ByteQueue {
  private buf = new Uint8Array(0);
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  append(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    if (this.buf.length - this.tail < n) {
      const live = this.tail - this.head;
      const needed = live + n;
      if (needed <= this.buf.length && this.head > 0) {
        this.buf.copyWithin(0, this.head, this.tail);
      } else {
        const next = new Uint8Array(Math.max(needed, this.buf.length * 2, 256));
        next.set(this.buf.subarray(this.head, this.tail));
        this.buf = next;
      }
      this.head = 0;
      this.tail = live;
    }
    this.buf.set(chunk, this.tail);
    this.tail += n;
  }

  /** byte `i` counted from the front */
  at(i: number): number {
    return this.buf[this.head + i]!;
  }

  /** remove and return (a copy of) the first `n` bytes */
  take(n: number): Uint8Array {
    const out = this.buf.slice(this.head, this.head + n);
    this.skip(n);
    return out;
  }

  skip(n: number): void {
    this.head += n;
    if (this.head >= this.tail) this.clear();
  }

  clear(): void {
    this.head = 0;
    this.tail = 0;
    // do not keep a large backing array alive after a burst
    if (this.buf.length > 1024 * 1024) this.buf = new Uint8Array(0);
  }

  /** first index >= from where `pattern` starts, or -1 */
  indexOf(pattern: Uint8Array, from: number): number {
    const view = this.buf.subarray(this.head, this.tail);
    const first = pattern[0]!;
    const last = view.length - pattern.length;
    let p = from;
    while (p <= last) {
      p = view.indexOf(first, p);
      if (p < 0 || p > last) return -1;
      let k = 1;
      while (k < pattern.length && view[p + k] === pattern[k]) k++;
      if (k === pattern.length) return p;
      p++;
    }
    return -1;
  }
}

/** Empty the queue as messages of at most `max` bytes. */
function takeAll(q: ByteQueue, max: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  while (q.length > 0) out.push(q.take(Math.min(q.length, max)));
  return out;
}

function invalid(message: string): CodecError {
  return new CodecError('INVALID_ARGUMENT', message);
}

/** Create a framer for `spec`. @throws CodecError INVALID_ARGUMENT for an impossible spec. */
export function createFramer(spec: FramerSpec, opts: FramerOptions = {}): Framer {
  const max = opts.maxMessageBytes ?? MAX_FRAME_BYTES;
  if (!Number.isInteger(max) || max < 1) throw invalid(`maxMessageBytes must be a whole number of at least 1, got ${max}`);
  switch (spec.kind) {
    case 'raw':
      return rawFramer(spec, max);
    case 'delimiter':
      if (spec.delimiter.length < 1) throw invalid('the delimiter is empty');
      return delimiterFramer(spec, max);
    case 'fixed':
      if (!Number.isInteger(spec.length) || spec.length < 1) throw invalid(`fixed length must be at least 1 byte, got ${spec.length}`);
      return countedFramer(spec, max, () => spec.length);
    case 'length-prefix':
      if (spec.width !== 1 && spec.width !== 2 && spec.width !== 4) throw invalid(`length prefix must be 1, 2 or 4 bytes, got ${String(spec.width)}`);
      if (!Number.isInteger(spec.offset ?? 0) || (spec.offset ?? 0) < 0) throw invalid(`length field offset must be 0 or more, got ${String(spec.offset)}`);
      // a header is never cut, so the guard is at least the header's length
      return countedFramer(spec, Math.max(max, (spec.offset ?? 0) + spec.width), prefixLength(spec));
    case 'idle':
      if (!(spec.gapMs > 0)) throw invalid(`idle gap must be more than 0 ms, got ${spec.gapMs}`);
      return idleFramer(spec, max);
  }
}

function rawFramer(spec: FramerSpec, max: number): Framer {
  return {
    spec,
    pendingBytes: 0,
    push(chunk) {
      if (chunk.length === 0) return [];
      if (chunk.length <= max) return [chunk];
      const out: Uint8Array[] = [];
      for (let i = 0; i < chunk.length; i += max) out.push(chunk.subarray(i, Math.min(i + max, chunk.length)));
      return out;
    },
    flush: () => [],
  };
}

/**
 * A framer over one queue: each chunk is appended, then `cut` takes the
 * complete messages off the front; flush() calls `reset` and hands out
 * whatever is left, in pieces of at most `max` bytes.
 */
function queueFramer(spec: FramerSpec, max: number, q: ByteQueue, cut: () => Uint8Array[], reset: () => void): Framer {
  return {
    spec,
    get pendingBytes() {
      return q.length;
    },
    push(chunk) {
      q.append(chunk);
      return cut();
    },
    flush() {
      reset();
      return takeAll(q, max);
    },
  };
}

function delimiterFramer(spec: Extract<FramerSpec, { kind: 'delimiter' }>, max: number): Framer {
  const delim = spec.delimiter.slice();
  const dlen = delim.length;
  const q = new ByteQueue();
  let searchFrom = 0;
  const cut = (): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (;;) {
      const p = q.indexOf(delim, searchFrom);
      if (p >= 0) {
        const len = spec.keep ? p + dlen : p;
        if (len <= max) {
          out.push(q.take(len));
          if (!spec.keep) q.skip(dlen);
        } else {
          out.push(q.take(max));
        }
        searchFrom = 0;
      } else if (q.length >= max + dlen) {
        // no delimiter can end a message within the limit any more
        out.push(q.take(max));
        searchFrom = 0;
      } else {
        // a delimiter may still straddle the end: resume just before it
        searchFrom = Math.max(0, q.length - dlen + 1);
        return out;
      }
    }
  };
  return queueFramer(spec, max, q, cut, () => {
    searchFrom = 0;
  });
}

/**
 * Total length of the next message, read from the front of the queue:
 * -1 while its length prefix is incomplete, {@link BAD_PREFIX} when the
 * prefix declares an impossible length.
 */
type NextLength = (q: ByteQueue) => number;

/** Returned by a length reader for an impossible prefix: emit the prefix alone. */
const BAD_PREFIX = -2;

function prefixLength(spec: Extract<FramerSpec, { kind: 'length-prefix' }>): NextLength {
  const { width } = spec;
  const offset = spec.offset ?? 0;
  const head = offset + width;
  return (q) => {
    if (q.length < head) return -1;
    let v = 0;
    for (let i = 0; i < width; i++) {
      const b = q.at(offset + (spec.endian === 'be' ? i : width - 1 - i));
      v = v * 256 + b;
    }
    if (spec.includesPrefix) return v < head ? BAD_PREFIX : v;
    return head + v;
  };
}

/** fixed and length-prefix: messages of a length known in advance. */
function countedFramer(spec: FramerSpec, max: number, next: NextLength): Framer {
  const q = new ByteQueue();
  let remaining = 0; // bytes still due of an oversized message being emitted in pieces
  const width = spec.kind === 'length-prefix' ? (spec.offset ?? 0) + spec.width : 0;
  const cut = (): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (;;) {
      if (remaining > 0) {
        const piece = Math.min(remaining, max);
        if (q.length < piece) return out;
        out.push(q.take(piece));
        remaining -= piece;
        continue;
      }
      if (q.length === 0) return out;
      const len = next(q);
      if (len === -1) return out;
      if (len === BAD_PREFIX) {
        out.push(q.take(width));
        continue;
      }
      if (len > max) {
        remaining = len;
        continue;
      }
      if (q.length < len) return out;
      out.push(q.take(len));
    }
  };
  return queueFramer(spec, max, q, cut, () => {
    remaining = 0;
  });
}

function idleFramer(spec: Extract<FramerSpec, { kind: 'idle' }>, max: number): Framer {
  const q = new ByteQueue();
  let last = 0;
  return {
    spec,
    get pendingBytes() {
      return q.length;
    },
    push(chunk, nowMs) {
      const out: Uint8Array[] = [];
      if (q.length > 0 && nowMs - last >= spec.gapMs) out.push(...takeAll(q, max));
      if (chunk.length === 0) return out;
      q.append(chunk);
      last = nowMs;
      while (q.length >= max) out.push(q.take(max));
      return out;
    },
    flush() {
      return takeAll(q, max);
    },
  };
}
