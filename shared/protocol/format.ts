/**
 * How Wirebench writes addresses, durations, counts and byte sizes, everywhere
 * (engine sentences, the peer filter, exports, the UI): one copy of each
 * rule. An address holding a colon is IPv6 and gets brackets, whatever
 * family it claims.
 */
import type { Endpoint } from './model';

/** `host:port` with brackets around an IPv6 host (not added twice); just the host when there is no port. */
export function formatHostPort(host: string, port?: number | string): string {
  if (port === undefined) return host;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${bracketed}:${port}`;
}

/** `1.2.3.4:80` or `[::1]:80`; '' when there is no endpoint. */
export function formatEndpoint(ep: Endpoint | undefined): string {
  return ep ? formatHostPort(ep.address, ep.port) : '';
}

/** 5000 → "5 s", 500 → "0.5 s", 1250 → "1.25 s" */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

/** A byte count for people: `812 B`, `12.3 KiB`, `300 MiB`, `1.5 GiB` (exact below 1 KiB; one decimal below 100). */
export function formatByteSize(n: number): string {
  if (!Number.isFinite(n) || n < 1024) return `${Math.max(0, Math.round(n || 0))} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/**
 * A count with thousands separators: `1,234,567`. The same in both UI
 * languages (Chinese groups by three with commas too), whatever locale the
 * browser or OS has.
 */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
