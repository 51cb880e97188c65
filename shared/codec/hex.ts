/**
 * Strict hex parsing and formatting, plus a `hexdump -C` style dump.
 *
 * Positions reported in errors are 1-based and count Unicode code points
 * (a surrogate pair such as '😀' is one position), the same convention as
 * every other codec in Wirebench.
 */
import { CodecError } from './types';
import { say } from '../protocol/reason-format';

/**
 * 1-based code-point position of the UTF-16 index `index` in `input`.
 * Used by every codec so all error positions mean the same thing.
 */
export function codePointPosition(input: string, index: number): number {
  let pos = 1;
  for (let i = 0; i < index && i < input.length; i++) {
    const c = input.charCodeAt(i);
    // a high surrogate followed by a low surrogate is one code point
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < index) {
      const d = input.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    pos++;
  }
  return pos;
}

/** The whole code point starting at UTF-16 index `index` (a pair stays together). */
export function codePointAtIndex(input: string, index: number): string {
  const cp = input.codePointAt(index);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

/** Value of an ASCII hex digit, or -1. */
export function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30; // 0-9
  if (code >= 0x61 && code <= 0x66) return code - 0x57; // a-f
  if (code >= 0x41 && code <= 0x46) return code - 0x37; // A-F
  return -1;
}

/**
 * Separators allowed between hex bytes: space, tab, CR, LF, and `, ; : -`.
 * A separator always ends a byte: "0 1" is two lone digits, not 0x01.
 */
function isSeparator(code: number): boolean {
  return (
    code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d ||
    code === 0x2c /* , */ || code === 0x3b /* ; */ || code === 0x3a /* : */ || code === 0x2d /* - */
  );
}

function badChar(input: string, i: number): CodecError {
  const ch = codePointAtIndex(input, i);
  const pos = codePointPosition(input, i);
  return new CodecError('BAD_HEX', say('hex.notDigit', { char: ch, pos }), pos, ch);
}

/**
 * Parse user hex strictly.
 *
 * Accepted: `01 02`, `0102`, `0x01,0x02`, `0X0A`, and any mix of the
 * separators listed at {@link isSeparator}. A `0x`/`0X` prefix is recognised
 * at the start of a group and may be followed by any even number of digits
 * (`0x0102` is two bytes). Within a group digits pair up left to right, so a
 * group with an odd number of digits is an error that names the unpaired
 * digit. Nothing is ever truncated or guessed.
 *
 * @throws CodecError BAD_HEX with a 1-based code-point position and the character.
 */
export function parseHex(input: string): Uint8Array {
  const out = new Uint8Array(input.length >>> 1);
  let n = 0;
  let hi = -1; // value of a pending first digit, -1 when none
  let hiIndex = 0;
  let groupStart = true; // at the start of a group (after a separator or the beginning)
  const len = input.length;
  for (let i = 0; i < len; i++) {
    const c = input.charCodeAt(i);
    if (isSeparator(c)) {
      if (hi >= 0) throw unpaired(input, hiIndex);
      groupStart = true;
      continue;
    }
    if (groupStart && c === 0x30 && i + 1 < len && (input.charCodeAt(i + 1) | 0x20) === 0x78) {
      // "0x" / "0X" prefix: must be followed by at least one digit
      const next = i + 2 < len ? input.charCodeAt(i + 2) : -1;
      if (next < 0 || hexValue(next) < 0) {
        const pos = codePointPosition(input, i);
        const prefix = input.slice(i, i + 2);
        throw new CodecError('BAD_HEX', say('hex.prefixAlone', { prefix, pos }), pos, prefix);
      }
      i++;
      groupStart = false;
      continue;
    }
    groupStart = false;
    const v = hexValue(c);
    if (v < 0) throw badChar(input, i);
    if (hi < 0) {
      hi = v;
      hiIndex = i;
    } else {
      out[n++] = (hi << 4) | v;
      hi = -1;
    }
  }
  if (hi >= 0) throw unpaired(input, hiIndex);
  return n === out.length ? out : out.slice(0, n);
}

function unpaired(input: string, i: number): CodecError {
  const ch = input.charAt(i);
  const pos = codePointPosition(input, i);
  return new CodecError('BAD_HEX', say('hex.unpaired', { char: ch, pos }), pos, ch);
}

const LOWER_DIGITS = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const UPPER_DIGITS = Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0));
const SPACE = 0x20;
const BAR = 0x7c; // |
const DOT = 0x2e;

/** Code units → string, in slices small enough for fromCharCode's argument limit. */
function unitsToString(units: Uint16Array, length: number): string {
  const parts: string[] = [];
  for (let i = 0; i < length; i += 8192) {
    parts.push(String.fromCharCode.apply(null, units.subarray(i, Math.min(i + 8192, length)) as unknown as number[]));
  }
  return parts.join('');
}

export interface FormatHexOptions {
  /** placed between bytes; default a single space */
  separator?: string;
  /** upper-case digits; default true ("AA BB") */
  upper?: boolean;
}

/** Format bytes as hex, by default `AA BB CC`. Always round-trips through {@link parseHex} with separators it accepts. */
export function formatHex(bytes: Uint8Array, opts: FormatHexOptions = {}): string {
  const digits = opts.upper === false ? LOWER_DIGITS : UPPER_DIGITS;
  const sep = opts.separator ?? ' ';
  const sepUnits = Array.from({ length: sep.length }, (_, k) => sep.charCodeAt(k));
  const block = 4096;
  const units = new Uint16Array(block * (2 + sepUnits.length));
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += block) {
    const end = Math.min(start + block, bytes.length);
    let j = 0;
    for (let i = start; i < end; i++) {
      if (i > 0) for (const u of sepUnits) units[j++] = u;
      const b = bytes[i]!;
      units[j++] = digits[b >>> 4]!;
      units[j++] = digits[b & 15]!;
    }
    parts.push(unitsToString(units, j));
  }
  return parts.join('');
}

export interface HexdumpOptions {
  /** address shown for the first byte; default 0 */
  offset?: number;
  /** bytes per row; default 16 */
  width?: number;
}

/**
 * `hexdump -C` style dump, one row per `width` bytes:
 *
 *     00000000  48 65 6c 6c 6f 2c 20 57  6f 72 6c 64 21 0a        |Hello, World!.|
 *
 * The address has at least 8 hex digits, an extra space splits the row in
 * half, the hex column of the last row is padded so the ASCII column lines
 * up, and bytes outside 0x20–0x7e show as '.'. Rows are joined with '\n'
 * (no trailing newline); an empty input gives ''.
 */
export function hexdump(bytes: Uint8Array, opts: HexdumpOptions = {}): string {
  const width = opts.width ?? 16;
  const offset = opts.offset ?? 0;
  if (!Number.isInteger(width) || width < 1) {
    throw new CodecError('INVALID_ARGUMENT', `hexdump width must be a whole number of at least 1, got ${width}`);
  }
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new CodecError('INVALID_ARGUMENT', `hexdump offset must be a whole number of at least 0, got ${offset}`);
  }
  const half = width > 1 ? Math.ceil(width / 2) : 0; // index before which the extra space goes
  const hexWidth = width * 3 - 1 + (half > 0 && half < width ? 1 : 0);
  const asciiAt = hexWidth + 3; // after the hex column, two spaces and '|'
  const row = new Uint16Array(asciiAt + width + 1);
  const rows: string[] = [];
  for (let start = 0; start < bytes.length; start += width) {
    const end = Math.min(start + width, bytes.length);
    row.fill(SPACE, 0, asciiAt);
    row[asciiAt - 1] = BAR;
    let j = 0;
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      const k = i - start;
      if (k > 0) j += k === half ? 2 : 1;
      row[j++] = LOWER_DIGITS[b >>> 4]!;
      row[j++] = LOWER_DIGITS[b & 15]!;
      row[asciiAt + k] = b >= 0x20 && b <= 0x7e ? b : DOT;
    }
    row[asciiAt + (end - start)] = BAR;
    const addr = (offset + start).toString(16).padStart(8, '0');
    rows.push(`${addr}  ${unitsToString(row, asciiAt + (end - start) + 1)}`);
  }
  return rows.join('\n');
}
