/**
 * Lazy formatting for log rows. The log view calls these only for the rows
 * that are on screen, so a 100k-row ring costs nothing until a row is shown.
 * Everything here returns plain strings that the view interpolates as text
 * (never HTML).
 */
import type { Endpoint } from '../../../shared/protocol';
import { formatHex } from '../../../shared/codec/hex';
import type { LogDir } from './types';

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

/** Local wall-clock time `HH:MM:SS.mmm`. */
export function formatTime(ts: number): string {
  const d = new Date(ts);
  const ms = d.getMilliseconds();
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}`;
}

/** `1.2.3.4:80` or `[::1]:80`; '' when there is no endpoint. */
export function formatEndpoint(ep: Endpoint | undefined): string {
  if (!ep) return '';
  const v6 = ep.family === 'IPv6' || ep.address.includes(':');
  return v6 ? `[${ep.address}]:${ep.port}` : `${ep.address}:${ep.port}`;
}

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
 * TAB → `\t`, NUL → `\0`, other C0 controls and DEL → `\xHH`; C1 controls
 * and bidirectional overrides (which could reorder what the user reads)
 * become `\uXXXX`. (Unicode control pictures such as ␍ are missing from many
 * fonts and showed as boxes.) At most `max` characters of the input are looked at; a longer
 * text ends with '…'.
 */
export function visibleText(text: string, max = 512): string {
  const cut = text.length > max;
  const src = cut ? text.slice(0, max) : text;
  let out = '';
  let plainFrom = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    const pic = picture(c);
    if (pic === null) continue;
    out += src.slice(plainFrom, i) + pic;
    plainFrom = i + 1;
  }
  out += src.slice(plainFrom);
  return cut ? out + '…' : out;
}

const C0_ESCAPES: Record<number, string> = { 0x0d: '\\r', 0x0a: '\\n', 0x09: '\\t', 0x00: '\\0' };

function picture(c: number): string | null {
  if (c < 0x20 || c === 0x7f) return C0_ESCAPES[c] ?? '\\x' + c.toString(16).toUpperCase().padStart(2, '0');
  if ((c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f) {
    return '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
  }
  return null;
}

/** Hex of the first `maxBytes` bytes (`48 65 6C`), with '…' when there is more. */
export function hexPreview(bytes: Uint8Array | undefined, maxBytes = 128): string {
  if (!bytes || bytes.length === 0) return '';
  if (bytes.length <= maxBytes) return formatHex(bytes);
  return formatHex(bytes.subarray(0, maxBytes)) + ' …';
}

/** `1 byte`, `1,234 bytes` style count used by the row's length column. */
export function formatByteCount(n: number): string {
  return n.toLocaleString('en-US');
}
