/**
 * Text encoding for the engine, on top of iconv-lite.
 *
 * - Encoding is strict: a character the encoding cannot represent is refused
 *   with its position instead of being sent as '?'. Positions are 1-based and
 *   count code points (a surrogate pair such as '😀' is one character), like
 *   every other codec error in Wirebench.
 * - No byte order mark is ever added: UTF-16LE/BE output is just the units.
 * - Decoding keeps a leading BOM as the character U+FEFF (a debugger shows
 *   what arrived); invalid byte sequences decode to U+FFFD.
 * - Decoders stream: a multi-byte character split across chunks decodes once
 *   its last byte arrives.
 */
import iconv from 'iconv-lite';
import { codePointAtIndex, codePointPosition } from '../../shared/codec/hex';
import { CodecError } from '../../shared/codec/types';
import { ENCODINGS, ENCODING_LABELS, type Encoding } from '../../shared/protocol/encodings';

const SUPPORTED: ReadonlySet<string> = new Set(ENCODINGS);

export function isSupportedEncoding(e: string): e is Encoding {
  return SUPPORTED.has(e);
}

function requireEncoding(e: string): asserts e is Encoding {
  if (!isSupportedEncoding(e)) {
    throw new CodecError('UNKNOWN_ENCODING', `Wirebench does not support the text encoding '${e}'`);
  }
}

/** A Buffer view over the same memory (no copy), for iconv-lite. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const NO_BOM_ENCODE = { addBOM: false } as const;
const KEEP_BOM_DECODE = { stripBOM: false } as const;

/** The error message for a character `encoding` cannot represent. */
export function unencodableMessage(char: string, position: number, encoding: Encoding): string {
  const cp = char.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  const what = cp >= 0xd800 && cp <= 0xdfff ? `The lone surrogate U+${hex}` : `The character '${char}' (U+${hex})`;
  return `${what} at position ${position} cannot be encoded in ${ENCODING_LABELS[encoding]}`;
}

/** Lone UTF-16 surrogates are not characters in any encoding. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function roundTrips(ch: string, encoding: Encoding): boolean {
  if (LONE_SURROGATE.test(ch)) return false;
  return iconv.decode(iconv.encode(ch, encoding, NO_BOM_ENCODE), encoding, KEEP_BOM_DECODE) === ch;
}

/**
 * Encode `text`, refusing characters the encoding cannot represent.
 *
 * Detection is cheap on the common path: encode, decode back and compare. Only
 * on a mismatch is the culprit located, starting at the first place where the
 * decoded text differs. A text whose differences come only from several
 * characters sharing one byte sequence (none were found unencodable one by
 * one) is sent as encoded.
 *
 * @throws CodecError UNENCODABLE with the 1-based code-point position and the character,
 *   or UNKNOWN_ENCODING.
 */
export function encodeText(text: string, encoding: Encoding): Uint8Array {
  requireEncoding(encoding);
  const bytes = iconv.encode(text, encoding, NO_BOM_ENCODE);
  const back = iconv.decode(bytes, encoding, KEEP_BOM_DECODE);
  if (back === text && !(encoding.startsWith('utf-16') && LONE_SURROGATE.test(text))) return bytes;
  const bad = findUnencodable(text, back, encoding);
  if (bad < 0) return bytes;
  const char = codePointAtIndex(text, bad);
  const position = codePointPosition(text, bad);
  throw new CodecError('UNENCODABLE', unencodableMessage(char, position, encoding), position, char);
}

/** UTF-16 index of the first character of `text` that does not survive `encoding`, or -1. */
function findUnencodable(text: string, back: string, encoding: Encoding): number {
  let i = 0;
  while (i < text.length && i < back.length && text.charCodeAt(i) === back.charCodeAt(i)) i++;
  // start on a whole code point (back up off a low surrogate)
  const c = text.charCodeAt(i);
  if (i > 0 && c >= 0xdc00 && c <= 0xdfff) {
    const p = text.charCodeAt(i - 1);
    if (p >= 0xd800 && p <= 0xdbff) i--;
  }
  for (const from of [i, 0]) {
    for (let k = from; k < text.length; ) {
      const ch = codePointAtIndex(text, k);
      if (!roundTrips(ch, encoding)) return k;
      k += ch.length;
    }
  }
  return -1;
}

export interface StreamDecoder {
  /** decode the next chunk; bytes of an unfinished character wait for the next call */
  write(bytes: Uint8Array): string;
  /** finish: an unfinished character becomes U+FFFD; the decoder is then fresh again */
  end(): string;
}

/** A streaming decoder, one per peer and direction. */
export function createDecoder(encoding: Encoding): StreamDecoder {
  requireEncoding(encoding);
  let dec = iconv.getDecoder(encoding, KEEP_BOM_DECODE);
  return {
    write(bytes) {
      return bytes.length === 0 ? '' : dec.write(asBuffer(bytes));
    },
    end() {
      const rest = dec.end() ?? '';
      dec = iconv.getDecoder(encoding, KEEP_BOM_DECODE);
      return rest;
    },
  };
}

/** Decode a complete byte sequence. */
export function decodeText(bytes: Uint8Array, encoding: Encoding): string {
  requireEncoding(encoding);
  return iconv.decode(asBuffer(bytes), encoding, KEEP_BOM_DECODE);
}
