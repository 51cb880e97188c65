/**
 * Pure helpers for the session UI: input validation, addresses a server can be
 * reached at, delimiter text ⇄ bytes, rate formatting. No Vue, easy to test.
 */
import { formatEscapes, formatHex, parseEscapes, parseHex } from '../../../shared/codec';
import type { NetInterfaceAddress } from '../../../shared/protocol';


export type PortProblem = 'empty' | 'digits' | 'range';

/** Validate a port typed by the user. `min` is 1 for a remote port, 0 for a bind port. */
export function checkPort(text: string, min: 0 | 1): { port: number } | { problem: PortProblem } {
  const s = text.trim();
  if (s === '') return { problem: 'empty' };
  if (!/^\d+$/.test(s)) return { problem: 'digits' };
  const n = Number(s);
  if (n < min || n > 65535) return { problem: 'range' };
  return { port: n };
}

export type HostProblem = 'empty' | 'bad';

export function checkHost(text: string): HostProblem | null {
  const s = text.trim();
  if (s === '') return 'empty';
  if (/[\s/\\]/.test(s)) return 'bad';
  return null;
}

const WILDCARD4 = '0.0.0.0';
const WILDCARD6 = '::';

/**
 * Addresses a client can use to reach a server bound to `bind`: every IPv4
 * address for 0.0.0.0, every address for ::, else the address itself.
 * Link-local IPv6 addresses get their %scope.
 */
export function reachableAddresses(ifaces: readonly NetInterfaceAddress[], bind: string): string[] {
  const b = bind.trim() || WILDCARD4;
  const fmt = (a: NetInterfaceAddress) =>
    a.family === 'IPv6' && a.scopeId ? `${a.address}%${a.name || a.scopeId}` : a.address;
  let list: NetInterfaceAddress[];
  if (b === WILDCARD4) list = ifaces.filter((a) => a.family === 'IPv4');
  else if (b === WILDCARD6) list = [...ifaces];
  else return [b];
  // external first, loopback last: the ones people usually want
  const sorted = [...list].sort((x, y) => Number(x.internal) - Number(y.internal) || (x.family < y.family ? -1 : 1));
  return [...new Set(sorted.map(fmt))];
}

// ---- delimiters: the same byte grammar as every other box (shared/codec) ----

export type DelimiterMode = 'text' | 'hex';

/** A delimiter that is empty or longer than 64 bytes (bad hex or a bad escape throw shared/codec's CodecError). */
export class DelimiterError extends Error {
  constructor() {
    super('a delimiter is 1–64 bytes');
  }
}

/**
 * The bytes a delimiter box means: hex as the send box reads it (`0D 0A`, `0x0D,0x0A`), or text with the send
 * box's escapes (`\r\n`, `END\x00`, `\u00FF`), text as UTF-8.
 * @throws CodecError (bad hex digit or escape, with its position) or DelimiterError (empty, over 64 bytes)
 */
export function parseDelimiter(input: string, mode: DelimiterMode): Uint8Array<ArrayBuffer> {
  const parts = mode === 'hex' ? [parseHex(input)] : parseEscapes(input).map((p) => (p.kind === 'text' ? new TextEncoder().encode(p.text) : p.bytes));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  if (bytes.length === 0 || bytes.length > 64) throw new DelimiterError();
  return bytes;
}

/** Bytes as spaced upper-case hex: `0D 0A`. */
export const toHex = (bytes: Uint8Array): string => formatHex(bytes);

/** Bytes as text the delimiter box reads back: printable ASCII as is, the rest as \r \n \t \0 \\ or \xHH. */
export const toEscaped = (bytes: Uint8Array): string => formatEscapes(bytes);

/** Bytes per second, short: `0 B/s`, `12.3 KiB/s`, `1.05 MiB/s`. */
export function formatRate(bps: number): string {
  if (!Number.isFinite(bps) || bps < 1) return '0 B/s';
  if (bps < 1024) return `${Math.round(bps)} B/s`;
  if (bps < 1024 * 1024) return `${(bps / 1024).toFixed(1)} KiB/s`;
  return `${(bps / 1024 / 1024).toFixed(2)} MiB/s`;
}

/** Keep only digits while typing a number field. */
export const digitsOnly = (s: string): boolean => /^\d*$/.test(s);

/** An IPv4 multicast group (224.0.0.0–239.255.255.255) or an IPv6 one (ff00::/8), as typed. */
export function isMulticastGroup(text: string): boolean {
  const s = text.trim();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) return v4.slice(1).every((p) => Number(p) <= 255) && Number(v4[1]) >= 224 && Number(v4[1]) <= 239;
  return /^ff[0-9a-f]{0,2}:[0-9a-f:]*(%[\w.-]+)?$/i.test(s) && s.includes(':');
}
