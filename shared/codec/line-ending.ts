/** Line endings appended after a text payload. */
import type { LineEnding } from './types';

const TEXT: Record<LineEnding, string> = { none: '', cr: '\r', lf: '\n', crlf: '\r\n' };

/** The line ending as characters ('' for none). */
export function lineEndingText(le: LineEnding): string {
  return TEXT[le];
}

/**
 * The line ending as single bytes (CR 0x0D, LF 0x0A), which is what it is in
 * every ASCII-compatible encoding. UTF-16 is the exception: there the send
 * path encodes {@link lineEndingText} with the text encoding instead, so a
 * UTF-16LE CRLF is 0D 00 0A 00. A fresh array each call, safe to mutate.
 */
export function lineEndingBytes(le: LineEnding): Uint8Array {
  const text = TEXT[le];
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
