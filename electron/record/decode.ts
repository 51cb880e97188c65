/**
 * Text for rows as they are read (never on the socket path). One streaming
 * decoder per peer and direction runs over the rows in order, so a character
 * split across two messages shows whole in the later row. A read that starts
 * in the middle of a stream decodes a few rows before it first (lookback)
 * and drops their text.
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

export class RowDecoder {
  private readonly streams = new Map<number, StreamDecoder>();

  constructor(private readonly encoding: Encoding) {}

  /** Text of an rx/tx row; '' for other rows. */
  text(row: Decodable): string {
    if (row.dir !== 'rx' && row.dir !== 'tx') return '';
    const key = row.peerRef * 2 + (row.dir === 'tx' ? 1 : 0);
    let dec = this.streams.get(key);
    if (!dec) this.streams.set(key, (dec = createDecoder(this.encoding)));
    let text: string;
    try {
      text = dec.write(row.payload);
    } catch {
      text = '';
    }
    if (row.size > row.payload.length) {
      // a cut row leaves the decoder mid-message: start again on the message's last bytes, so a
      // character it leaves unfinished still carries into the next row
      const fresh = createDecoder(this.encoding);
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
