/** Small helpers: arguments, waiting on conditions, statistics, formatting. */
import { readFileSync } from 'node:fs';

export const argv = process.argv.slice(2);
export const flag = (name: string): boolean => argv.includes(`--${name}`);
export function num(name: string, def: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(argv[i + 1]);
  if (!Number.isFinite(v)) throw new Error(`--${name} needs a number`);
  return v;
}

export function str(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? undefined : argv[i + 1];
}

export const MiB = 1024 * 1024;

/** Poll `cond` every `everyMs` until it holds (resolves its value) or `timeoutMs` passes. */
export async function until<T>(
  what: string,
  cond: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  timeoutMs = 60_000,
  everyMs = 5,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Dist {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function dist(values: number[]): Dist {
  const v = [...values].sort((a, b) => a - b);
  const q = (p: number) => (v.length === 0 ? NaN : v[Math.min(v.length - 1, Math.floor(p * v.length))]!);
  return { n: v.length, p50: q(0.5), p99: q(0.99), max: v.length === 0 ? NaN : v[v.length - 1]! };
}

export const fmtNum = (n: number, digits?: number): string =>
  !Number.isFinite(n) ? String(n) : n.toFixed(digits ?? (Math.abs(n) < 10 ? 2 : Math.abs(n) < 1000 ? 1 : 0));

export const mibps = (bytes: number, ms: number): number => bytes / MiB / (ms / 1000);

/** The kernel's UDP receive-buffer drop counter (all sockets), from /proc/net/snmp. */
export function udpRcvbufErrors(): number {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
    const names = lines[0]!.split(/\s+/);
    const values = lines[1]!.split(/\s+/);
    return Number(values[names.indexOf('RcvbufErrors')]);
  } catch {
    return NaN;
  }
}
