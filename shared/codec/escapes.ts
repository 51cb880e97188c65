/**
 * Text-mode escapes for the send box.
 *
 *   \r \n \t \0 \\   the characters CR, LF, TAB, NUL and backslash (text)
 *   \uHHHH           the UTF-16 code unit HHHH (text; \uD83D\uDE00 makes '😀')
 *   \xHH             the RAW BYTE HH, sent as-is whatever the text encoding
 *
 * Text is later encoded with the session's encoding; bytes never are. So
 * `\xFF` is always byte 0xFF, while `\u00FF` is 'ÿ' (0xFF in ISO-8859-1,
 * C3 BF in UTF-8). `\0` is exactly one NUL: "\012" is NUL followed by "12".
 *
 * Error positions are 1-based code-point positions of the backslash that
 * starts the escape; `char` is the escape as written (e.g. "\q", "\x4").
 */
import { codePointPosition, hexValue } from './hex';
import { CodecError } from './types';
import { say, type Reason } from '../protocol/reason-format';

export type EscapeSegment = { kind: 'text'; text: string } | { kind: 'bytes'; bytes: Uint8Array };

const SIMPLE: Record<string, string> = { r: '\r', n: '\n', t: '\t', '0': '\0', '\\': '\\' };
/** the escapes listed in an "unknown escape" message, before "(a byte)" */
const HELP_BYTES = '\\r \\n \\t \\0 \\\\ \\xHH';

/** One piece of the input: literal text, an escape that makes text, or a raw byte. */
type Token = { start: number; text: string; literal: boolean } | { start: number; byte: number };

function hexRun(input: string, from: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const d = from + k < input.length ? hexValue(input.charCodeAt(from + k)) : -1;
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

/** `why` receives the 1-based position of the backslash. */
function escapeError(input: string, i: number, written: string, why: (pos: number) => Reason): CodecError {
  const pos = codePointPosition(input, i);
  return new CodecError('BAD_ESCAPE', why(pos), pos, written);
}

/**
 * Walk `input`, calling `emit` for each literal run and each escape.
 * `start` is the UTF-16 index where the token begins in `input`.
 */
function scan(input: string, emit: (t: Token) => void): void {
  const len = input.length;
  let runStart = 0;
  let i = input.indexOf('\\');
  while (i >= 0) {
    if (i > runStart) emit({ start: runStart, text: input.slice(runStart, i), literal: true });
    if (i + 1 >= len) {
      throw escapeError(input, i, '\\', (pos) => say('escape.lone', { pos }));
    }
    const e = input.charAt(i + 1);
    const simple = SIMPLE[e];
    let next: number;
    if (simple !== undefined) {
      emit({ start: i, text: simple, literal: false });
      next = i + 2;
    } else if (e === 'x' || e === 'u') {
      const digits = e === 'x' ? 2 : 4;
      const v = hexRun(input, i + 2, digits);
      if (v < 0) {
        // show what was written, up to the digits expected (stop at a line break)
        const written = input.slice(i, i + 2 + digits).split(/[\r\n]/)[0] ?? '';
        const example = e === 'x' ? '\\x0D' : '\\u4E2D';
        throw escapeError(
          input, i, written,
          (pos) => say(digits === 2 ? 'escape.incomplete2' : 'escape.incomplete4', { written, pos, esc: `\\${e}`, example }),
        );
      }
      emit(e === 'x' ? { start: i, byte: v } : { start: i, text: String.fromCharCode(v), literal: false });
      next = i + 2 + digits;
    } else {
      const written = '\\' + String.fromCodePoint(input.codePointAt(i + 1) ?? 0);
      throw escapeError(input, i, written, (pos) => say('escape.unknown', { written, pos, list: HELP_BYTES, u: '\\uHHHH' }));
    }
    runStart = next;
    i = input.indexOf('\\', next);
  }
  if (runStart < len) emit({ start: runStart, text: input.slice(runStart), literal: true });
}

/**
 * Split user text into text and raw-byte segments. Adjacent text merges and
 * adjacent bytes merge, so segments alternate in kind. An empty input gives [].
 *
 * @throws CodecError BAD_ESCAPE for an unknown or incomplete escape or a trailing backslash.
 */
export function parseEscapes(input: string): EscapeSegment[] {
  const segments: EscapeSegment[] = [];
  let texts: string[] = [];
  let bytes: number[] = [];
  const closeText = (): void => {
    if (texts.length > 0) segments.push({ kind: 'text', text: texts.join('') });
    texts = [];
  };
  const closeBytes = (): void => {
    if (bytes.length > 0) segments.push({ kind: 'bytes', bytes: Uint8Array.from(bytes) });
    bytes = [];
  };
  scan(input, (t) => {
    if ('text' in t) {
      closeBytes();
      texts.push(t.text);
    } else {
      closeText();
      bytes.push(t.byte);
    }
  });
  closeText();
  closeBytes();
  return segments;
}

/**
 * Map a place inside a text segment back to the user's input.
 *
 * `segmentIndex` indexes the array returned by {@link parseEscapes} (it must
 * be a text segment) and `unitOffset` is a 0-based UTF-16 offset inside its
 * text. Returns the 1-based code-point position in `input` of the literal
 * character or of the escape that produced it. Used to report an
 * unencodable character where the user typed it.
 */
export function escapeSourcePosition(input: string, segmentIndex: number, unitOffset: number): number {
  let seg = -1;
  let lastKind: 'text' | 'bytes' | '' = '';
  let acc = 0; // code units of the current text segment seen so far
  let found = -1;
  const done = {};
  try {
    scan(input, (t) => {
      const kind = 'text' in t ? 'text' : 'bytes';
      if (kind !== lastKind) {
        seg++;
        lastKind = kind;
        acc = 0;
      }
      if (seg === segmentIndex && 'text' in t) {
        if (unitOffset < acc + t.text.length) {
          // a literal run maps one to one; an escape maps to its backslash
          found = t.literal ? t.start + (unitOffset - acc) : t.start;
          throw done;
        }
        acc += t.text.length;
      }
    });
  } catch (e) {
    if (e !== done) throw e;
  }
  if (found < 0) return codePointPosition(input, input.length);
  return codePointPosition(input, found);
}

const FORMAT_NAMED: Record<number, string> = { 13: '\\r', 10: '\\n', 9: '\\t', 0: '\\0', 92: '\\\\' };

/**
 * Bytes as text that {@link parseEscapes} reads back to the same bytes:
 * printable ASCII as is, CR LF TAB NUL and backslash by name, anything else
 * as \xHH (a raw byte).
 */
export function formatEscapes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    out += FORMAT_NAMED[b] ?? (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0').toUpperCase()}`);
  }
  return out;
}
