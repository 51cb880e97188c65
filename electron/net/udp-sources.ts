/**
 * Per-source statistics of a UDP session: datagrams, bytes, rate, first and
 * last seen, the largest gap, and with a sequence number configured, lost,
 * duplicated and out-of-order datagrams. O(1) per datagram, bounded memory.
 *
 * Sequence numbers use serial-number arithmetic (RFC 1982), so they may wrap
 * at their width. A number ahead of the highest seen counts the numbers in
 * between as lost; one behind it is out of order (and takes one loss back)
 * unless it was already seen (a duplicate). The last 4,096 numbers are
 * remembered; one further behind than that means the sender restarted: the
 * source's numbering starts afresh (its counts so far stay).
 */
import type { Endpoint } from '../../shared/protocol/model';
import type { UdpSequence, UdpSequenceStats, UdpSourceStats } from '../../shared/protocol/udp';

/** Sources kept at once; the least recently heard goes first. */
export const MAX_TRACKED_SOURCES = 1024;
/** Sequence numbers remembered per source for duplicate detection. */
export const SEQ_WINDOW = 4096;

/** The sequence number of a datagram, or undefined when it is too short. */
export function readSequence(bytes: Uint8Array, spec: UdpSequence): number | undefined {
  const { offset, width, endian } = spec;
  if (bytes.length < offset + width) return undefined;
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, width);
  const le = endian === 'le';
  return width === 1 ? v.getUint8(0) : width === 2 ? v.getUint16(0, le) : v.getUint32(0, le);
}

/** Loss, duplicate and reorder counting for one source's sequence numbers. */
export class SequenceTracker {
  readonly stats: UdpSequenceStats = { lost: 0, duplicates: 0, outOfOrder: 0, short: 0 };
  private highest: number | undefined;
  private readonly seen = new Uint8Array(SEQ_WINDOW);
  private readonly range: number;

  constructor(width: 1 | 2 | 4) {
    this.range = 2 ** (width * 8);
  }

  /** Signed distance from `a` to `b` modulo the range, in (−range/2, range/2]. */
  private distance(a: number, b: number): number {
    let d = (b - a) % this.range;
    if (d < 0) d += this.range;
    return d > this.range / 2 ? d - this.range : d;
  }

  private reset(n: number): void {
    this.seen.fill(0);
    this.highest = n;
    this.seen[n % SEQ_WINDOW] = 1;
  }

  push(n: number | undefined): void {
    if (n === undefined) {
      this.stats.short += 1;
      return;
    }
    if (this.highest === undefined) {
      this.reset(n);
      this.stats.highest = n;
      return;
    }
    const d = this.distance(this.highest, n);
    const window = Math.min(SEQ_WINDOW, this.range / 2);
    if (d > 0) {
      this.stats.lost += d - 1;
      for (let k = 1; k <= Math.min(d, SEQ_WINDOW); k++) this.seen[((this.highest + k) % this.range) % SEQ_WINDOW] = 0;
      this.highest = n;
      this.seen[n % SEQ_WINDOW] = 1;
    } else if (d === 0) {
      this.stats.duplicates += 1;
    } else if (-d < window) {
      const slot = n % SEQ_WINDOW;
      if (this.seen[slot]) this.stats.duplicates += 1;
      else {
        this.seen[slot] = 1;
        this.stats.outOfOrder += 1;
        if (this.stats.lost > 0) this.stats.lost -= 1;
      }
    } else {
      this.reset(n);
    }
    this.stats.highest = this.highest;
  }
}

interface Source {
  address: string;
  port: number;
  datagrams: number;
  bytes: number;
  firstSeen: number;
  lastSeen: number;
  maxGapMs: number;
  /** the second (epoch seconds) being counted, its counts, and the last whole second's */
  sec: number;
  secCount: number;
  secBytes: number;
  prevCount: number;
  prevBytes: number;
  tracker?: SequenceTracker;
}

export class UdpSourceTable {
  private readonly sources = new Map<string, Source>();
  private forgotten = 0;

  constructor(
    private sequence: UdpSequence | undefined,
    private readonly limit = MAX_TRACKED_SOURCES,
  ) {}

  /** A new sequence spec: every source's sequence counts start again. */
  setSequence(spec: UdpSequence | undefined): void {
    this.sequence = spec;
    for (const s of this.sources.values()) {
      if (spec) s.tracker = new SequenceTracker(spec.width);
      else delete s.tracker;
    }
  }

  get size(): number {
    return this.sources.size;
  }

  onDatagram(remote: Endpoint, bytes: Uint8Array, now: number): void {
    const key = `${remote.address}|${remote.port}`;
    let s = this.sources.get(key);
    const sec = Math.floor(now / 1000);
    if (s) {
      // most recently heard last: the first entry is the one to forget
      this.sources.delete(key);
      this.sources.set(key, s);
      s.maxGapMs = Math.max(s.maxGapMs, now - s.lastSeen);
    } else {
      if (this.sources.size >= this.limit) {
        const oldest = this.sources.keys().next().value;
        if (oldest !== undefined) this.sources.delete(oldest);
        this.forgotten += 1;
      }
      s = {
        address: remote.address,
        port: remote.port,
        datagrams: 0,
        bytes: 0,
        firstSeen: now,
        lastSeen: now,
        maxGapMs: 0,
        sec,
        secCount: 0,
        secBytes: 0,
        prevCount: 0,
        prevBytes: 0,
        ...(this.sequence ? { tracker: new SequenceTracker(this.sequence.width) } : {}),
      };
      this.sources.set(key, s);
    }
    s.datagrams += 1;
    s.bytes += bytes.length;
    s.lastSeen = now;
    if (sec !== s.sec) {
      const next = sec === s.sec + 1;
      s.prevCount = next ? s.secCount : 0;
      s.prevBytes = next ? s.secBytes : 0;
      s.sec = sec;
      s.secCount = 0;
      s.secBytes = 0;
    }
    s.secCount += 1;
    s.secBytes += bytes.length;
    if (s.tracker && this.sequence) s.tracker.push(readSequence(bytes, this.sequence));
  }

  /** Every source, most recently heard first. */
  list(now: number): UdpSourceStats[] {
    const sec = Math.floor(now / 1000);
    const out: UdpSourceStats[] = [];
    for (const s of this.sources.values()) {
      const [rate, byteRate] = sec === s.sec ? [s.prevCount, s.prevBytes] : sec === s.sec + 1 ? [s.secCount, s.secBytes] : [0, 0];
      out.push({
        address: s.address,
        port: s.port,
        datagrams: s.datagrams,
        bytes: s.bytes,
        rate,
        byteRate,
        firstSeen: s.firstSeen,
        lastSeen: s.lastSeen,
        maxGapMs: s.maxGapMs,
        ...(s.tracker ? { sequenceStats: { ...s.tracker.stats } } : {}),
      });
    }
    return out.reverse();
  }

  get forgottenSources(): number {
    return this.forgotten;
  }

  clear(): void {
    this.sources.clear();
    this.forgotten = 0;
  }
}
