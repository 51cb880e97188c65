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
import { escapeSourcePosition } from '../../shared/codec/escapes';
import { codePointAtIndex, codePointPosition } from '../../shared/codec/hex';
import { CodecError } from '../../shared/codec/types';
import { ENCODINGS, ENCODING_LABELS, type Encoding } from '../../shared/protocol/encodings';
import { say, type Reason } from '../../shared/protocol/reason-format';

const SUPPORTED: ReadonlySet<string> = new Set(ENCODINGS);

export function isSupportedEncoding(e: string): e is Encoding {
  return SUPPORTED.has(e);
}

function requireEncoding(e: string): asserts e is Encoding {
  if (!isSupportedEncoding(e)) {
    throw new CodecError('UNKNOWN_ENCODING', say('codec.unknownEncoding', { name: e }));
  }
}

/** A Buffer view over the same memory (no copy), for iconv-lite. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const NO_BOM_ENCODE = { addBOM: false } as const;
const KEEP_BOM_DECODE = { stripBOM: false } as const;

/** Why a character `encoding` cannot represent was refused. */
export function unencodableMessage(char: string, position: number, encoding: Encoding): Reason {
  const code = char.codePointAt(0) ?? 0;
  const cp = code.toString(16).toUpperCase().padStart(4, '0');
  const label = ENCODING_LABELS[encoding];
  return code >= 0xd800 && code <= 0xdfff
    ? say('codec.unencodableSurrogate', { cp, pos: position, encoding: label })
    : say('codec.unencodable', { char, cp, pos: position, encoding: label });
}

/** Lone UTF-16 surrogates are not characters in any encoding. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What `ch` (one code point) reads as after a trip through `encoding`, or
 * undefined when the encoding cannot represent it: the encoder substituted
 * '?' or produced bytes that do not decode (U+FFFD). A character that maps
 * to the standard bytes of a look-alike is accepted: Shift_JIS sends '¥' as
 * 0x5C and '‾' as 0x7E, which read back as '\\' and '~'.
 */
function imageOf(ch: string, encoding: Encoding): string | undefined {
  if (LONE_SURROGATE.test(ch)) return undefined;
  const bytes = iconv.encode(ch, encoding, NO_BOM_ENCODE);
  const back = iconv.decode(bytes, encoding, KEEP_BOM_DECODE);
  if (back === ch) return back;
  if (!ch.includes('?') && back.includes('?')) return undefined;
  if (ch !== '\uFFFD' && back.includes('\uFFFD')) return undefined;
  return back;
}

/**
 * Encode `text`, refusing characters the encoding cannot represent.
 *
 * Detection is cheap on the common path: encode, decode back and compare. Only
 * where the two differ is a character examined on its own (see
 * {@link imageOf}); a look-alike mapping such as Shift_JIS '¥' → 0x5C is
 * sent, anything the encoder would replace is refused.
 *
 * @throws CodecError UNENCODABLE with the 1-based code-point position and the character,
 *   or UNKNOWN_ENCODING.
 */
export function encodeText(text: string, encoding: Encoding): Uint8Array {
  requireEncoding(encoding);
  const bytes = iconv.encode(text, encoding, NO_BOM_ENCODE);
  const back = iconv.decode(bytes, encoding, KEEP_BOM_DECODE);
  // UTF-16 carries a lone surrogate through unchanged, so look for one directly
  const lone = encoding.startsWith('utf-16') ? LONE_SURROGATE.exec(text) : null;
  if (back === text && lone === null) return bytes;
  const found = back === text ? -1 : findUnencodable(text, back, encoding);
  const bad = lone === null ? found : found < 0 ? lone.index : Math.min(found, lone.index);
  if (bad < 0) return bytes;
  const char = codePointAtIndex(text, bad);
  const position = codePointPosition(text, bad);
  throw new CodecError('UNENCODABLE', unencodableMessage(char, position, encoding), position, char);
}

/** UTF-16 offset of the code point at 0-based code-point offset `codePoints` in `text`. */
function unitOffsetOfCodePoint(text: string, codePoints: number): number {
  let i = 0;
  for (let n = 0; n < codePoints && i < text.length; n++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return i;
}

/**
 * Encode `text`, the text segment number `segment` of parseEscapes(`source`).
 * An unencodable character is reported where the user typed it in `source`,
 * not where it sits in the unescaped text.
 *
 * @throws CodecError UNENCODABLE with the 1-based code-point position in `source`
 *   and the character, or UNKNOWN_ENCODING.
 */
export function encodeEscapedText(text: string, encoding: Encoding, source: string, segment: number): Uint8Array {
  try {
    return encodeText(text, encoding);
  } catch (e) {
    if (!(e instanceof CodecError) || e.code !== 'UNENCODABLE' || e.position === undefined) throw e;
    const position = escapeSourcePosition(source, segment, unitOffsetOfCodePoint(text, e.position - 1));
    const char = e.char ?? '';
    throw new CodecError('UNENCODABLE', unencodableMessage(char, position, encoding), position, char);
  }
}

/**
 * UTF-16 index of the first character of `text` that `encoding` cannot
 * represent, or -1. `back` is decode(encode(text)). None of the supported
 * encodings is stateful, so `back` is the characters' images one after the
 * other: walk both strings together and look closely only where they differ.
 */
function findUnencodable(text: string, back: string, encoding: Encoding): number {
  let ti = 0;
  let bi = 0;
  for (;;) {
    while (ti < text.length && bi < back.length && text.charCodeAt(ti) === back.charCodeAt(bi)) {
      ti++;
      bi++;
    }
    if (ti >= text.length) return -1;
    // start on a whole code point (back up off a low surrogate)
    if (ti > 0 && (text.charCodeAt(ti) & 0xfc00) === 0xdc00 && (text.charCodeAt(ti - 1) & 0xfc00) === 0xd800) {
      ti--;
      bi--;
    }
    const ch = codePointAtIndex(text, ti);
    const image = imageOf(ch, encoding);
    if (image === undefined) return ti;
    ti += ch.length;
    bi += image.length;
  }
}

export interface StreamDecoder {
  /**
   * Decode the next chunk. Bytes of an unfinished character wait for the next
   * call, and the result never ends in half a surrogate pair, so each piece of
   * text can be shown on its own.
   */
  write(bytes: Uint8Array): string;
  /**
   * Finish: an unfinished multi-byte character becomes U+FFFD (a dangling
   * UTF-16 high surrogate is returned as it is, as decodeText does); the
   * decoder is then fresh again.
   */
  end(): string;
}

/** iconv-lite's multi-byte (DBCS) codecs. */
const DBCS: ReadonlySet<Encoding> = new Set<Encoding>(['gbk', 'gb18030', 'big5', 'shift_jis', 'euc-kr']);
const EMPTY = new Uint8Array(0);

/** Bytes of the unfinished sequence an iconv-lite DBCS decoder holds, or undefined if it hides them. */
function heldBytes(dec: object): number[] | undefined {
  const held = (dec as { prevBytes?: unknown }).prevBytes;
  return Array.isArray(held) && held.every((b) => typeof b === 'number') ? (held as number[]) : undefined;
}

/**
 * iconv-lite 0.7's DBCS decoder sizes its output for the bytes of the current
 * chunk only, so when a chunk completes a sequence begun in the previous one
 * (a GB18030 four-byte emoji, a Big5-HKSCS supplementary character, an
 * invalid sequence being re-read) the last UTF-16 units of that chunk are
 * silently dropped. A decoder that starts empty never overflows, so the
 * workaround keeps the unfinished bytes itself and decodes each chunk with a
 * fresh decoder. Checked once at start-up; if the library ever stops exposing
 * its held bytes, the plain streaming decoder is used.
 */
const DBCS_WORKAROUND = ((): boolean => {
  const probe = iconv.getDecoder('gb18030');
  probe.write(Buffer.from([0x81, 0x30]));
  const held = heldBytes(probe);
  return held !== undefined && held.length === 2 && held[0] === 0x81 && held[1] === 0x30;
})();

type RawDecoder = { write(bytes: Uint8Array): string; end(): string };

function dbcsDecoder(encoding: Encoding): RawDecoder {
  let pending: Uint8Array = EMPTY;
  return {
    write(bytes) {
      let data = bytes;
      if (pending.length > 0) {
        data = new Uint8Array(pending.length + bytes.length);
        data.set(pending);
        data.set(bytes, pending.length);
      }
      const dec = iconv.getDecoder(encoding, KEEP_BOM_DECODE);
      const text = dec.write(asBuffer(data));
      pending = Uint8Array.from(heldBytes(dec) ?? []);
      return text;
    },
    end() {
      const rest = pending.length > 0 ? iconv.decode(asBuffer(pending), encoding, KEEP_BOM_DECODE) : '';
      pending = EMPTY;
      return rest;
    },
  };
}

function iconvDecoder(encoding: Encoding): RawDecoder {
  let dec = iconv.getDecoder(encoding, KEEP_BOM_DECODE);
  return {
    write: (bytes) => dec.write(asBuffer(bytes)),
    end() {
      const rest = dec.end() ?? '';
      dec = iconv.getDecoder(encoding, KEEP_BOM_DECODE);
      return rest;
    },
  };
}

/** A streaming decoder, one per peer and direction. */
export function createDecoder(encoding: Encoding): StreamDecoder {
  requireEncoding(encoding);
  const raw = DBCS_WORKAROUND && DBCS.has(encoding) ? dbcsDecoder(encoding) : iconvDecoder(encoding);
  let high = ''; // a high surrogate held back until its partner arrives
  return {
    write(bytes) {
      if (bytes.length === 0) return '';
      let text = high + raw.write(bytes);
      high = '';
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        high = text.slice(-1);
        text = text.slice(0, -1);
      }
      return text;
    },
    end() {
      const rest = raw.end();
      // a high surrogate left at the very end stays as it is, like decodeText
      const text = high + rest;
      high = '';
      return text;
    },
  };
}

/** Decode a complete byte sequence. */
export function decodeText(bytes: Uint8Array, encoding: Encoding): string {
  requireEncoding(encoding);
  return iconv.decode(asBuffer(bytes), encoding, KEEP_BOM_DECODE);
}
