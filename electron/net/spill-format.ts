/**
 * The spill log's record format: one self-delimiting binary record per
 * message (rx or tx), little-endian, appended back to back.
 *
 *   u32  body length (bytes after this field)
 *   u8   format version (1)
 *   f64  ts (ms since the epoch, fractions allowed)
 *   u8   dir: 0 rx, 1 tx
 *   u8   transport: 0 tcp, 1 udp
 *   u8   flags: 1 = has peerId, 2 = text is the bytes as ASCII (not stored),
 *              4 = text stored (UTF-8)
 *   endpoint local, endpoint remote: u8 family (4|6), u8 address length,
 *        address (ASCII), u16 port
 *   u8   peerId length, peerId (UTF-8)            when flag 1
 *   u32  bytes length, bytes
 *   u32  text length, text (UTF-8)                when flag 4
 *
 * Plain ASCII messages whose text equals their bytes (most text protocols)
 * keep only the bytes; anything else keeps the decoded text as the UI showed it.
 */
import type { Endpoint } from '../../shared/protocol/model';
import type { CaptureRecord } from './export/record';

const VERSION = 1;
const F_PEER = 1;
const F_ASCII_TEXT = 2;
const F_TEXT = 4;

const endpointSize = (e: Endpoint): number => 4 + Buffer.byteLength(e.address, 'latin1');

function writeEndpoint(buf: Buffer, at: number, e: Endpoint): number {
  buf.writeUInt8(e.family === 'IPv6' ? 6 : 4, at);
  const n = buf.write(e.address, at + 2, 'latin1');
  buf.writeUInt8(n, at + 1);
  buf.writeUInt16LE(e.port & 0xffff, at + 2 + n);
  return at + 4 + n;
}

/**
 * True when `text` is exactly `bytes` read as Latin-1 (so decoding can rebuild
 * it from the bytes and the text need not be stored). A native decode and one
 * string comparison: a JS loop over every byte was the spill log's hot spot.
 */
function isLatin1Image(bytes: Uint8Array, text: string): boolean {
  if (text.length !== bytes.length) return false;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1') === text;
}

/** Encode one record (header and payload in one Buffer). */
export function encodeRecord(rec: CaptureRecord): Buffer {
  let flags = 0;
  let text: Buffer | undefined;
  if (rec.text !== undefined) {
    if (isLatin1Image(rec.bytes, rec.text)) flags |= F_ASCII_TEXT;
    else {
      flags |= F_TEXT;
      text = Buffer.from(rec.text, 'utf8');
    }
  }
  const peer = rec.peerId !== undefined ? Buffer.from(rec.peerId, 'utf8').subarray(0, 255) : undefined;
  if (peer) flags |= F_PEER;
  const body =
    1 + 8 + 3 + endpointSize(rec.local) + endpointSize(rec.remote) + (peer ? 1 + peer.length : 0) +
    4 + rec.bytes.length + (text ? 4 + text.length : 0);
  const buf = Buffer.allocUnsafe(4 + body);
  let at = buf.writeUInt32LE(body, 0);
  at = buf.writeUInt8(VERSION, at);
  at = buf.writeDoubleLE(rec.ts, at);
  at = buf.writeUInt8(rec.dir === 'rx' ? 0 : 1, at);
  at = buf.writeUInt8(rec.transport === 'tcp' ? 0 : 1, at);
  at = buf.writeUInt8(flags, at);
  at = writeEndpoint(buf, at, rec.local);
  at = writeEndpoint(buf, at, rec.remote);
  if (peer) {
    at = buf.writeUInt8(peer.length, at);
    at += peer.copy(buf, at);
  }
  at = buf.writeUInt32LE(rec.bytes.length, at);
  buf.set(rec.bytes, at);
  at += rec.bytes.length;
  if (text) {
    at = buf.writeUInt32LE(text.length, at);
    at += text.copy(buf, at);
  }
  return buf;
}

export class SpillFormatError extends Error {}

/** Decode one record body (without its length prefix). */
export function decodeRecord(body: Buffer): CaptureRecord {
  let at = 0;
  const need = (n: number): void => {
    if (at + n > body.length) throw new SpillFormatError('truncated spill record');
  };
  const u8 = (): number => {
    need(1);
    return body.readUInt8(at++);
  };
  const endpoint = (): Endpoint => {
    const family = u8() === 6 ? 'IPv6' : 'IPv4';
    const n = u8();
    need(n + 2);
    const address = body.toString('latin1', at, at + n);
    const port = body.readUInt16LE(at + n);
    at += n + 2;
    return { address, port, family };
  };
  if (u8() !== VERSION) throw new SpillFormatError('unknown spill record version');
  need(8);
  const ts = body.readDoubleLE(at);
  at += 8;
  const dir = u8() === 0 ? 'rx' : 'tx';
  const transport = u8() === 0 ? 'tcp' : 'udp';
  const flags = u8();
  const local = endpoint();
  const remote = endpoint();
  let peerId: string | undefined;
  if (flags & F_PEER) {
    const n = u8();
    need(n);
    peerId = body.toString('utf8', at, at + n);
    at += n;
  }
  need(4);
  const len = body.readUInt32LE(at);
  at += 4;
  need(len);
  const bytes = new Uint8Array(body.buffer, body.byteOffset + at, len);
  at += len;
  let text: string | undefined;
  if (flags & F_ASCII_TEXT) text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  else if (flags & F_TEXT) {
    need(4);
    const n = body.readUInt32LE(at);
    at += 4;
    need(n);
    text = body.toString('utf8', at, at + n);
    at += n;
  }
  return { ts, dir, transport, local, remote, ...(peerId !== undefined ? { peerId } : {}), bytes, ...(text !== undefined ? { text } : {}) };
}

/**
 * Incremental reader: feed file chunks, get whole records back. A record may
 * span chunks; the decoded bytes are a view into a private copy.
 */
export class RecordParser {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  push(chunk: Buffer): CaptureRecord[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < 4) return [];
    let buf = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.pendingBytes);
    const out: CaptureRecord[] = [];
    let at = 0;
    while (buf.length - at >= 4) {
      const len = buf.readUInt32LE(at);
      if (buf.length - at - 4 < len) break;
      out.push(decodeRecord(buf.subarray(at + 4, at + 4 + len)));
      at += 4 + len;
    }
    buf = buf.subarray(at);
    // keep the unfinished tail as a copy so the decoded records do not pin it, and vice versa
    this.pending = buf.length > 0 ? [Buffer.from(buf)] : [];
    this.pendingBytes = buf.length;
    return out;
  }

  /** Bytes of an unfinished record left over (0 after a clean end). */
  get leftover(): number {
    return this.pendingBytes;
  }
}
