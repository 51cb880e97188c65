/**
 * Lazy formatting for log rows. The log view calls these only for the rows
 * that are on screen, so a 100k-row ring costs nothing until a row is shown.
 * Everything here returns plain strings that the view interpolates as text
 * (never HTML).
 */
import { formatEndpoint } from '../../../shared/protocol';
import { formatHex } from '../../../shared/codec/hex';
import type { LogDir } from './types';

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

/** Local wall-clock time `HH:MM:SS.mmm`. */
export function formatTime(ts: number): string {
  const d = new Date(ts);
  const ms = d.getMilliseconds();
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}`;
}

/** Local date `YYYY-MM-DD`. */
export function formatDate(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/**
 * Time since the previous row, always with a sign and millisecond precision:
 * `+0.012`, `+12.345` (seconds), `+1:02.345` (minutes), `+2:03:04` (hours).
 * A row older than the one before it (the clock was set back) shows `-0.500`.
 */
export function formatDelta(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const sign = ms < 0 ? '-' : '+';
  const total = Math.round(Math.abs(ms));
  const s = Math.floor(total / 1000);
  const frac = String(total % 1000).padStart(3, '0');
  if (s < 60) return `${sign}${s}.${frac}`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${sign}${m}:${pad2(s % 60)}.${frac}`;
  return `${sign}${Math.floor(m / 60)}:${pad2(m % 60)}:${pad2(s % 60)}`;
}

/** `1.2.3.4:80` or `[::1]:80` (the one rule, in shared/protocol/format.ts). */
export { formatEndpoint };

/** Key used by the peer filter; the same string the view shows. */
export const endpointKey = formatEndpoint;

/** Short upper-case label of a row's direction, as shown in the tag. */
export function dirLabel(dir: LogDir): string {
  switch (dir) {
    case 'rx':
      return 'RX';
    case 'tx':
      return 'TX';
    case 'info':
      return 'INFO';
    case 'error':
      return 'ERROR';
  }
}

/**
 * Make invisible characters visible with the send box's escape syntax, so
 * what the log shows can be pasted back and sent: CR → `\r`, LF → `\n`,
 * TAB → `\t`, NUL → `\0`, other C0 controls and DEL → `\xHH`; C1 controls,
 * bidirectional controls (which could reorder what the user reads: U+061C,
 * U+200E/F, U+202A–U+202E, U+2066–U+2069), zero-width and invisible
 * characters (U+200B, U+2060, U+FEFF) and the Unicode line and paragraph
 * separators (U+2028, U+2029) become `\uXXXX`. (Unicode control pictures
 * such as ␍ are missing from many fonts and showed as boxes.) At most `max`
 * characters of the input are looked at; a longer text ends with '…'.
 * With `lineBreaks`, a real line break follows each `\n` (wrapped rows).
 */
export function visibleText(text: string, max = 512, lineBreaks = false): string {
  const cut = text.length > max;
  const src = cut ? text.slice(0, max) : text;
  let out = '';
  let plainFrom = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    let pic = picture(c);
    if (pic === null) continue;
    if (lineBreaks && c === 0x0a && i < src.length - 1) pic += '\n';
    out += src.slice(plainFrom, i) + pic;
    plainFrom = i + 1;
  }
  out += src.slice(plainFrom);
  return cut ? out + '…' : out;
}

/**
 * A name someone typed or imported (session, rule, profile) as it may be
 * shown: bidi controls and other invisible characters as visible escapes,
 * so `invoice\u202Efdp.exe` cannot pose as "invoiceexe.pdf". Show it inside
 * `<bdi>` (or `unicode-bidi: isolate`) too, so a right-to-left name cannot
 * reorder the text around it.
 */
export function visibleName(name: string): string {
  return visibleText(name, name.length);
}

/** `visibleName` isolated with FSI … PDI, for plain-text places that cannot use `<bdi>` (the window title). */
export function isolatedName(name: string): string {
  return `\u2068${visibleName(name)}\u2069`;
}

const C0_ESCAPES: Record<number, string> = { 0x0d: '\\r', 0x0a: '\\n', 0x09: '\\t', 0x00: '\\0' };

/** Characters shown as `\uXXXX` besides the C1 range. */
export function isInvisibleFormatChar(c: number): boolean {
  return (
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0x200e ||
    c === 0x200f ||
    c === 0x061c ||
    c === 0x200b ||
    c === 0x2060 ||
    c === 0xfeff ||
    c === 0x2028 ||
    c === 0x2029
  );
}

function picture(c: number): string | null {
  if (c < 0x20 || c === 0x7f) return C0_ESCAPES[c] ?? '\\x' + c.toString(16).toUpperCase().padStart(2, '0');
  if ((c >= 0x80 && c <= 0x9f) || isInvisibleFormatChar(c)) return '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
  return null;
}

/** Hex of the first `maxBytes` bytes (`48 65 6C`), with '…' when there is more. */
export function hexPreview(bytes: Uint8Array | undefined, maxBytes = 128): string {
  if (!bytes || bytes.length === 0) return '';
  if (bytes.length <= maxBytes) return formatHex(bytes);
  return formatHex(bytes.subarray(0, maxBytes)) + ' …';
}

