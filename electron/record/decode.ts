/**
 * Text for rows as they are read (never on the socket path). One streaming
 * decoder per peer and direction runs over the rows in order, so a character
 * split across two messages shows whole in the later row. A read that starts
 * in the middle of a stream decodes a few rows before it first (lookback)
 * and drops their text — unless the encoding can tell from the first row
 * itself that nothing carries into it (UTF-8: it does not start with a
 * continuation byte; Latin-1: never), which is the common case and saves the
 * work on every live tail.
 */
import type { Encoding } from '../../shared/protocol/encodings';
import { createDecoder, type StreamDecoder } from '../net/text-codec';

/** Rows decoded ahead of a window so its first row gets the bytes carried into it. */
export const DECODE_LOOKBACK = 16;

export interface Decodable {
  dir: string;
  peerRef: number;
  payload: Uint8Array;
  /** the whole message's length (more than payload.length when cut) */
  size: number;
  /** when cut: the message's last bytes, whose unfinished character carries into the next row */
  end?: Uint8Array;
}

/** One stream per peer and direction. */
export const streamOf = (row: { dir: string; peerRef: number }): number => row.peerRef * 2 + (row.dir === 'tx' ? 1 : 0);

const asBuffer = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/**
 * UTF-8 without iconv: Node's native decoder on the complete characters, the
 * bytes of an unfinished last one kept for the next row. Same output as the
 * iconv stream (invalid bytes become U+FFFD, a BOM stays).
 */
class Utf8Stream implements StreamDecoder {
  private held: Uint8Array | undefined;

  write(bytes: Uint8Array): string {
    let buf = bytes;
    if (this.held) {
      const joined = new Uint8Array(this.held.length + bytes.length);
      joined.set(this.held);
      joined.set(bytes, this.held.length);
      buf = joined;
      this.held = undefined;
    }
    let end = buf.length;
    let i = end - 1;
    while (i >= 0 && end - i <= 3 && ((buf[i] as number) & 0xc0) === 0x80) i--;
    if (i >= 0) {
      const lead = buf[i] as number;
      const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      if (lead >= 0xc0 && need > end - i) end = i;
    }
    if (end < buf.length) this.held = buf.slice(end);
    return asBuffer(buf).toString('utf8', 0, end);
  }

  end(): string {
    const rest = this.held ? asBuffer(this.held).toString('utf8') : '';
    this.held = undefined;
    return rest;
  }
}

const latin1Stream: StreamDecoder = { write: (b) => asBuffer(b).toString('latin1'), end: () => '' };

function streamDecoder(encoding: Encoding): StreamDecoder {
  if (encoding === 'utf-8') return new Utf8Stream();
  if (encoding === 'iso-8859-1') return latin1Stream;
  return createDecoder(encoding);
}

export class RowDecoder {
  private readonly streams = new Map<number, StreamDecoder>();

  constructor(private readonly encoding: Encoding) {}

  /** True when nothing of an earlier row can carry into this one, so no lookback is needed for its stream. */
  startsClean(row: Decodable): boolean {
    if (row.dir !== 'rx' && row.dir !== 'tx') return true;
    if (this.encoding === 'iso-8859-1') return true;
    if (this.encoding === 'utf-8') {
      const first = row.payload[0];
      return first === undefined || (first & 0xc0) !== 0x80;
    }
    return false;
  }

  /** Text of an rx/tx row; '' for other rows. */
  text(row: Decodable): string {
    if (row.dir !== 'rx' && row.dir !== 'tx') return '';
    const key = streamOf(row);
    let dec = this.streams.get(key);
    if (!dec) this.streams.set(key, (dec = streamDecoder(this.encoding)));
    let text: string;
    try {
      text = dec.write(row.payload);
    } catch {
      text = '';
    }
    if (row.size > row.payload.length) {
      // a cut row leaves the decoder mid-message: start again on the message's last bytes, so a
      // character it leaves unfinished still carries into the next row
      const fresh = streamDecoder(this.encoding);
      try {
        if (row.end) fresh.write(row.end);
        this.streams.set(key, fresh);
      } catch {
        this.streams.delete(key);
      }
    }
    return text;
  }
}
