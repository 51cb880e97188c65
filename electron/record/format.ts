/**
 * The session record's on-disk format: one self-delimiting binary record per
 * row, little-endian, appended back to back.
 *
 *   u32  body length (bytes after this field)
 *   u8   dir: 0 rx, 1 tx, 2 info, 3 error
 *   u8   reserved (0)
 *   u32  peer ref (an index into the session's peer table; 0 = none)
 *   f64  ts (ms since the epoch, fractions allowed)
 *   ...  rx/tx: the message's bytes; info/error: the note as UTF-8 JSON
 *
 * A record's seq is not stored: records are never reordered and a segment
 * knows the seq of its first record, so seq = first + position.
 * Text is not stored either: it is decoded when read, with the session's
 * encoding of that moment.
 */
import type { LogDir, LogNote } from '../../shared/protocol/log';

export const HEADER_BYTES = 18;
const BODY_HEADER = HEADER_BYTES - 4;

export const DIR_CODES: Record<LogDir, number> = { rx: 0, tx: 1, info: 2, error: 3 };
export const DIRS: readonly LogDir[] = ['rx', 'tx', 'info', 'error'];

/** One record as read back: `payload` is a view into the buffer it was read from. */
export interface RawRecord {
  seq: number;
  dir: LogDir;
  peerRef: number;
  ts: number;
  payload: Uint8Array;
}

/** Write a record's header at `at` of `buf`; the payload follows it. */
export function writeHeader(buf: Buffer, at: number, dir: LogDir, peerRef: number, ts: number, payloadBytes: number): void {
  buf.writeUInt32LE(BODY_HEADER + payloadBytes, at);
  buf[at + 4] = DIR_CODES[dir];
  buf[at + 5] = 0;
  buf.writeUInt32LE(peerRef, at + 6);
  buf.writeDoubleLE(ts, at + 10);
}

export class RecordFormatError extends Error {}

/**
 * Parse the records of `buf` from `at`; calls `each` for every whole record
 * (seq counted from `firstSeq`) until it returns false. Returns the offset of
 * the first byte not consumed (the start of an unfinished record, or of the
 * record `each` declined).
 */
export function parseRecords(buf: Buffer, at: number, firstSeq: number, each: (rec: RawRecord) => boolean): { at: number; seq: number } {
  let seq = firstSeq;
  while (buf.length - at >= 4) {
    const len = buf.readUInt32LE(at);
    if (len < BODY_HEADER) throw new RecordFormatError('damaged record (length too small)');
    if (buf.length - at - 4 < len) break;
    const code = buf[at + 4] as number;
    const dir = DIRS[code];
    if (dir === undefined) throw new RecordFormatError('damaged record (unknown direction)');
    const rec: RawRecord = {
      seq,
      dir,
      peerRef: buf.readUInt32LE(at + 6),
      ts: buf.readDoubleLE(at + 10),
      payload: buf.subarray(at + HEADER_BYTES, at + 4 + len),
    };
    if (!each(rec)) break;
    at += 4 + len;
    seq += 1;
  }
  return { at, seq };
}

export function encodeNote(note: LogNote): Buffer {
  return Buffer.from(JSON.stringify(note), 'utf8');
}

export function decodeNote(payload: Uint8Array): LogNote | undefined {
  try {
    return JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8')) as LogNote;
  } catch {
    return undefined;
  }
}

/** The English sentence of a note (API clients; the UI phrases notes itself). */
export function noteText(note: LogNote | undefined, peer: string): string {
  if (!note) return '';
  switch (note.kind) {
    case 'status':
      return note.reason || note.state;
    case 'peer.joined':
      return `${peer} connected`;
    case 'peer.left':
      return note.reason ? `${peer} disconnected: ${note.reason}` : `${peer} disconnected`;
    case 'error':
      return note.sysCode ? `${note.message} (${note.sysCode})` : note.message;
    case 'paused':
      return note.paused ? 'Reading paused: the record is catching up on disk' : 'Reading resumed';
  }
}
