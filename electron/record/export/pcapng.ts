/**
 * pcapng encoding of captured messages, pure (no streams): the stream side
 * lives in writers.ts.
 *
 * Wirebench sees socket payloads, not packets, so each record becomes one
 * synthesized packet (LINKTYPE_RAW: a bare IPv4 or IPv6 header, then TCP or
 * UDP) inside an Enhanced Packet Block:
 *   - rx goes remote → local, tx goes local → remote;
 *   - TCP: per direction of each 4-tuple a sequence number starting at a
 *     deterministic ISN and advancing by the payload length, ACK = the other
 *     direction's next sequence number, flags PSH|ACK, window 65535;
 *   - all IPv4/TCP/UDP checksums are correct, TTL/hop limit 64;
 *   - a TCP payload longer than one IP packet allows is split into several
 *     segments with the same timestamp; so is an (impossible) oversized UDP
 *     datagram, with a comment on each part;
 *   - IPv4-mapped IPv6 addresses (::ffff:1.2.3.4) are written as IPv4.
 *
 * Block fields are little-endian (the SHB byte-order magic says so); packet
 * header fields are in network byte order.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { WbError } from '../../../shared/protocol/errors';
import { say } from '../../../shared/protocol/reason-format';
import type { ExportMessage } from './message';

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_EPB = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** LINKTYPE_RAW: each packet starts with an IPv4 or IPv6 header */
export const LINKTYPE_RAW = 101;
/** Largest TCP payload per segment: 65535 − 20 (IPv4 header) − 20 (TCP header) */
export const MAX_TCP_SEGMENT = 65_495;
/** Largest UDP payload per datagram: 65535 − IP header − 8 (UDP header) */
const MAX_UDP_PAYLOAD_V4 = 65_507;
const MAX_UDP_PAYLOAD_V6 = 65_527; // IPv6 payload length excludes its own header
const SNAPLEN = 262_144;
const TTL = 64;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const TCP_PSH_ACK = 0x18;
const TCP_WINDOW = 65_535;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;

const pad4 = (n: number): number => (n + 3) & ~3;
const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** One option (code, length, value padded to 32 bits), little-endian. */
function option(code: number, value: Uint8Array): Buffer {
  const b = Buffer.alloc(4 + pad4(value.length));
  b.writeUInt16LE(code, 0);
  b.writeUInt16LE(value.length, 2);
  b.set(value, 4);
  return b;
}

function options(list: Buffer[]): Buffer {
  return list.length === 0 ? Buffer.alloc(0) : Buffer.concat([...list, option(OPT_ENDOFOPT, new Uint8Array(0))]);
}

/** A generic block: type, total length, body (already padded), total length. */
function block(type: number, body: Buffer): Buffer {
  const total = 12 + body.length;
  const b = Buffer.alloc(total);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(total, 4);
  body.copy(b, 8);
  b.writeUInt32LE(total, total - 4);
  return b;
}

/** The section comment of a TLS session's file: the payload is decrypted application data. */
export const TLS_PCAPNG_COMMENT =
  'TLS session: the TCP payload in this file is the DECRYPTED application data Wirebench sent and received inside TLS; there are no TLS records, handshakes or encryption here.';

/** Section Header Block (version 1.0, section length unknown) followed by the one Interface Description Block. */
function pcapngHeader(tls = false): Buffer {
  const shbFixed = Buffer.alloc(16);
  shbFixed.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
  shbFixed.writeUInt16LE(1, 4); // major
  shbFixed.writeUInt16LE(0, 6); // minor
  shbFixed.writeInt32LE(-1, 8); // section length −1 (64 bits of ones): not specified
  shbFixed.writeInt32LE(-1, 12);
  const shb = block(
    BLOCK_SHB,
    Buffer.concat([
      shbFixed,
      options([
        option(OPT_COMMENT, utf8('Exported by Wirebench from socket data: IP, TCP and UDP headers are synthesized; sequence numbers are not the ones on the wire.')),
        ...(tls ? [option(OPT_COMMENT, utf8(TLS_PCAPNG_COMMENT))] : []),
        option(SHB_USERAPPL, utf8('Wirebench')),
      ]),
    ]),
  );
  const idbFixed = Buffer.alloc(8);
  idbFixed.writeUInt16LE(LINKTYPE_RAW, 0);
  idbFixed.writeUInt16LE(0, 2); // reserved
  idbFixed.writeUInt32LE(SNAPLEN, 4);
  const idb = block(
    BLOCK_IDB,
    Buffer.concat([
      idbFixed,
      options([
        option(IF_NAME, utf8('wirebench')),
        option(IF_DESCRIPTION, utf8('Wirebench sessions (synthesized raw IP)')),
        option(IF_TSRESOL, Uint8Array.of(6)), // 10^-6 s: microseconds
      ]),
    ]),
  );
  return Buffer.concat([shb, idb]);
}

/**
 * An address as 4 or 16 bytes; IPv4-mapped IPv6 becomes 4 bytes. A zone id
 * (`fe80::1%eth0`) and brackets are ignored. Null when not an IP literal.
 */
export function parseIpAddress(address: string): Uint8Array | null {
  let a = address.trim();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (isIPv4(a)) return Uint8Array.from(a.split('.'), Number);
  if (!isIPv6(a)) return null;
  const [head = '', tail] = a.split('::') as [string, string | undefined];
  const words = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const v4 = g.split('.').map(Number);
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else out.push(parseInt(g, 16));
    }
    return out;
  };
  const h = words(head);
  const t = tail === undefined ? [] : words(tail);
  const all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  const b = new Uint8Array(16);
  all.forEach((w, i) => {
    b[i * 2] = w >>> 8;
    b[i * 2 + 1] = w & 0xff;
  });
  const mapped = b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  return mapped ? b.slice(12) : b;
}

const isZero = (b: Uint8Array): boolean => b.every((x) => x === 0);

/** Make both ends the same IP version. An unknown end becomes the unspecified address. */
function pairAddresses(a: Uint8Array | null, b: Uint8Array | null): [Uint8Array, Uint8Array] {
  const x = a ?? new Uint8Array(b?.length ?? 4);
  const y = b ?? new Uint8Array(x.length);
  if (x.length === y.length) return [x, y];
  // one IPv4 and one IPv6 (a dual-stack socket bound to '::'): '::' becomes 0.0.0.0,
  // otherwise the IPv4 end is written IPv4-mapped so the packet stays IPv6
  const widen = (v4: Uint8Array): Uint8Array => Uint8Array.from([...new Array<number>(10).fill(0), 0xff, 0xff, ...v4]);
  if (x.length === 16) return isZero(x) ? [new Uint8Array(4), y] : [x, widen(y)];
  return isZero(y) ? [x, new Uint8Array(4)] : [widen(x), y];
}

const validPort = (p: number): number => (Number.isInteger(p) && p >= 0 && p <= 0xffff ? p : 0);

/** Sum of big-endian 16-bit words of b[start, end), an odd last byte padded with zero. */
function sum16(b: Uint8Array, start: number, end: number, sum = 0): number {
  let i = start;
  for (; i + 1 < end; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  if (i < end) sum += b[i]! << 8;
  return sum;
}

function foldComplement(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s % 0x10000) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

/** The Internet checksum (RFC 1071) of b[start, end). */
export function internetChecksum(b: Uint8Array, start = 0, end = b.length): number {
  return foldComplement(sum16(b, start, end));
}

/** 32-bit FNV-1a, for deterministic initial sequence numbers. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

interface Segment {
  tsUs: number;
  src: Uint8Array;
  dst: Uint8Array;
  sport: number;
  dport: number;
  payload: Uint8Array;
  /** TCP sequence and acknowledgment numbers; absent for UDP */
  tcp?: { seq: number; ack: number };
  comment?: string;
}

/**
 * Turns records into pcapng blocks. Keeps per-flow TCP sequence numbers and
 * the IPv4 identification counter, so one encoder serves one file.
 */
export class PcapngEncoder {
  private readonly nextSeq = new Map<string, number>();
  private ipId = 0;

  /** `tls`: the file holds a TLS session's decrypted data (a second section comment says so). */
  constructor(private readonly tls = false) {}

  /** Section Header Block + Interface Description Block: the first bytes of the file. */
  header(): Buffer {
    return pcapngHeader(this.tls);
  }

  /** One or more Enhanced Packet Blocks for one record. */
  encode(rec: ExportMessage): Buffer[] {
    if (!Number.isFinite(rec.ts) || rec.ts < 0) {
      throw new WbError('INVALID_ARGUMENT', say('export.badTime', { ts: String(rec.ts) }));
    }
    const tsUs = Math.round(rec.ts * 1000);
    const [local, remote] = pairAddresses(parseIpAddress(rec.local.address), parseIpAddress(rec.remote.address));
    const lport = validPort(rec.local.port);
    const rport = validPort(rec.remote.port);
    const rx = rec.dir === 'rx';
    const [src, dst, sport, dport] = rx ? [remote, local, rport, lport] : [local, remote, lport, rport];
    const bytes = rec.bytes;
    const out: Buffer[] = [];
    if (rec.transport === 'tcp') {
      const key = flowKey(src, sport, dst, dport);
      const back = flowKey(dst, dport, src, sport);
      let off = 0;
      do {
        const payload = bytes.subarray(off, off + MAX_TCP_SEGMENT);
        const seq = this.seqOf(key);
        out.push(this.packet({ tsUs, src, dst, sport, dport, payload, tcp: { seq, ack: this.seqOf(back) } }));
        this.nextSeq.set(key, (seq + payload.length) >>> 0);
        off += payload.length;
      } while (off < bytes.length);
      return out;
    }
    const max = src.length === 4 ? MAX_UDP_PAYLOAD_V4 : MAX_UDP_PAYLOAD_V6;
    const parts = Math.max(1, Math.ceil(bytes.length / max));
    for (let i = 0; i < parts; i++) {
      const payload = bytes.subarray(i * max, (i + 1) * max);
      const comment =
        parts > 1
          ? `Part ${i + 1} of ${parts} of one ${bytes.length}-byte datagram, split by Wirebench to fit IP packets`
          : undefined;
      out.push(this.packet({ tsUs, src, dst, sport, dport, payload, comment }));
    }
    return out;
  }

  private seqOf(key: string): number {
    let s = this.nextSeq.get(key);
    if (s === undefined) {
      s = fnv1a(key);
      this.nextSeq.set(key, s);
    }
    return s;
  }

  /** One EPB holding an IP packet built in place. */
  private packet(seg: Segment): Buffer {
    const { src, dst, payload, tcp } = seg;
    const v4 = src.length === 4;
    const ipLen = v4 ? 20 : 40;
    const l4Len = tcp ? 20 : 8;
    const upperLen = l4Len + payload.length;
    const pktLen = ipLen + upperLen;
    const opts = seg.comment === undefined ? Buffer.alloc(0) : options([option(OPT_COMMENT, utf8(seg.comment))]);
    const total = 28 + pad4(pktLen) + opts.length + 4;
    const b = Buffer.alloc(total);
    b.writeUInt32LE(BLOCK_EPB, 0);
    b.writeUInt32LE(total, 4);
    b.writeUInt32LE(0, 8); // interface 0
    b.writeUInt32LE(Math.floor(seg.tsUs / 0x1_0000_0000), 12);
    b.writeUInt32LE(seg.tsUs % 0x1_0000_0000, 16);
    b.writeUInt32LE(pktLen, 20); // captured
    b.writeUInt32LE(pktLen, 24); // original
    const p = 28;
    const proto = tcp ? PROTO_TCP : PROTO_UDP;
    if (v4) {
      b[p] = 0x45; // version 4, 5 words
      b.writeUInt16BE(pktLen, p + 2);
      b.writeUInt16BE(this.ipId, p + 4);
      this.ipId = (this.ipId + 1) & 0xffff;
      b.writeUInt16BE(0x4000, p + 6); // don't fragment
      b[p + 8] = TTL;
      b[p + 9] = proto;
      b.set(src, p + 12);
      b.set(dst, p + 16);
      b.writeUInt16BE(internetChecksum(b, p, p + 20), p + 10);
    } else {
      b.writeUInt32BE(0x6000_0000, p); // version 6, class 0, flow 0
      b.writeUInt16BE(upperLen, p + 4);
      b[p + 6] = proto;
      b[p + 7] = TTL;
      b.set(src, p + 8);
      b.set(dst, p + 24);
    }
    const l4 = p + ipLen;
    b.writeUInt16BE(seg.sport, l4);
    b.writeUInt16BE(seg.dport, l4 + 2);
    let sumAt: number;
    if (tcp) {
      b.writeUInt32BE(tcp.seq >>> 0, l4 + 4);
      b.writeUInt32BE(tcp.ack >>> 0, l4 + 8);
      b[l4 + 12] = 5 << 4; // data offset: 5 words
      b[l4 + 13] = TCP_PSH_ACK;
      b.writeUInt16BE(TCP_WINDOW, l4 + 14);
      sumAt = l4 + 16;
    } else {
      b.writeUInt16BE(upperLen, l4 + 4);
      sumAt = l4 + 6;
    }
    b.set(payload, l4 + l4Len);
    // pseudo-header: addresses, protocol, upper-layer length (RFC 793 / RFC 8200 §8.1)
    let sum = sum16(src, 0, src.length) + sum16(dst, 0, dst.length) + proto;
    sum += v4 ? upperLen : Math.floor(upperLen / 0x10000) + (upperLen % 0x10000);
    let check = foldComplement(sum16(b, l4, l4 + upperLen, sum));
    if (!tcp && check === 0) check = 0xffff; // UDP: 0 means "no checksum"
    b.writeUInt16BE(check, sumAt);
    if (opts.length > 0) opts.copy(b, p + pad4(pktLen));
    b.writeUInt32LE(total, total - 4);
    return b;
  }
}

function flowKey(src: Uint8Array, sport: number, dst: Uint8Array, dport: number): string {
  const hex = (a: Uint8Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
  return `${hex(src)}:${sport}>${hex(dst)}:${dport}`;
}
