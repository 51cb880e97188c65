/**
 * Turn a send command's payload into the exact bytes that go on the wire.
 *
 * text:  escapes (when on) → each text piece encoded with the chosen encoding,
 *        each `\xHH` byte as-is → line ending → checksum
 * hex:   strict hex → checksum
 * bytes: as given
 *
 * The checksum covers everything before it, line ending included: the bytes
 * a receiver sees in front of the checksum are exactly the bytes it was
 * computed over. The line ending is encoded like text, so in UTF-16 a CRLF is
 * two 16-bit units (0D 00 0A 00 in UTF-16LE); in every other supported
 * encoding it is the bytes 0D 0A.
 *
 * Every codec problem becomes a WbError with the same code, the message in
 * the user's words and detail {position, char}; positions are 1-based code
 * points inside what the user typed (also when escapes are on).
 */
import { appendChecksum } from '../../shared/codec/checksum';
import { concatBytes } from '../../shared/codec/bytes';
import { parseEscapes } from '../../shared/codec/escapes';
import { formatCount } from '../../shared/protocol/format';
import { parseHex } from '../../shared/codec/hex';
import { lineEndingText } from '../../shared/codec/line-ending';
import { CodecError } from '../../shared/codec/types';
import { WbError, type ErrorDetail } from '../../shared/protocol/errors';
import { say } from '../../shared/protocol/reason-format';
import { MAX_SEND_BYTES, type SendPayload } from '../../shared/protocol/schemas';
import { encodeEscapedText, encodeText } from './text-codec';

/** CodecError → WbError (same code, message, position and char); WbError passes through; anything else is INTERNAL. */
export function codecErrorToWbError(e: unknown): WbError {
  if (e instanceof WbError) return e;
  if (e instanceof CodecError) {
    const detail: ErrorDetail = {};
    if (e.position !== undefined) detail.position = e.position;
    if (e.char !== undefined) detail.char = e.char;
    return new WbError(e.code, e.why ?? e.message, Object.keys(detail).length > 0 ? detail : undefined);
  }
  const message = e instanceof Error ? e.message : String(e);
  return new WbError('INTERNAL', say('payload.prepareFailed', { message }));
}

function encodeTextPayload(p: Extract<SendPayload, { kind: 'text' }>): Uint8Array {
  const parts: Uint8Array[] = [];
  if (!p.escapes) {
    parts.push(encodeText(p.text, p.encoding));
  } else {
    parseEscapes(p.text).forEach((seg, index) => {
      parts.push(seg.kind === 'bytes' ? seg.bytes : encodeEscapedText(seg.text, p.encoding, p.text, index));
    });
  }
  if (p.lineEnding !== 'none') parts.push(encodeText(lineEndingText(p.lineEnding), p.encoding));
  return concatBytes(parts);
}


/**
 * The bytes to send for `payload`.
 * @throws WbError BAD_HEX, BAD_ESCAPE, UNENCODABLE, UNKNOWN_ENCODING or PAYLOAD_TOO_LARGE.
 */
export function encodePayload(payload: SendPayload): Uint8Array {
  let bytes: Uint8Array;
  try {
    switch (payload.kind) {
      case 'text':
        bytes = encodeTextPayload(payload);
        if (payload.checksum) bytes = appendChecksum(bytes, payload.checksum);
        break;
      case 'hex':
        bytes = parseHex(payload.hex);
        if (payload.checksum) bytes = appendChecksum(bytes, payload.checksum);
        break;
      case 'bytes':
        bytes = payload.bytes;
        break;
    }
  } catch (e) {
    throw codecErrorToWbError(e);
  }
  if (bytes.length > MAX_SEND_BYTES) {
    throw new WbError(
      'PAYLOAD_TOO_LARGE',
      say('payload.tooLarge', { size: formatCount(bytes.length), max: formatCount(MAX_SEND_BYTES), mib: MAX_SEND_BYTES / (1024 * 1024) }),
    );
  }
  return bytes;
}
