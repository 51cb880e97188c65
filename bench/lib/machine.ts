/**
 * How busy the machine is with work that is not the bench's: total CPU time
 * (/proc/stat) minus the CPU time of this process and all its descendants
 * (serve, Chromium, load generators; exited children count through cutime).
 * On a shared 2-core box other people's test runs skew every figure, so the
 * bench waits for a quiet spell before each part and reports what it saw.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const HZ = 100; // USER_HZ on Linux
export const CORES = cpus().length;

interface Snap {
  at: number;
  /** busy jiffies of the whole machine */
  busy: number;
  /** jiffies of this process tree */
  ours: number;
}

function machineBusy(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
  return v.slice(0, 8).reduce((a, b) => a + b, 0) - idle;
}

function treeJiffies(root: number): number {
  const parent = new Map<number, number>();
  const time = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(d), Number(f[1]));
      // utime stime cutime cstime
      time.set(Number(d), Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]));
    } catch {
      // gone
    }
  }
  let sum = 0;
  for (const [pid, t] of time) {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; p = parent.get(p), hops++) {
      if (p === root) {
        sum += t;
        break;
      }
    }
  }
  return sum;
}

export function snap(): Snap {
  return { at: Date.now(), busy: machineBusy(), ours: treeJiffies(process.pid) };
}

/** CPU other processes used between two snapshots, in % of one core. */
export function foreignPct(a: Snap, b: Snap): number {
  const ms = b.at - a.at;
  if (ms <= 0) return 0;
  const foreign = Math.max(0, b.busy - a.busy - (b.ours - a.ours));
  return ((foreign * 1000) / HZ / ms) * 100;
}

/**
 * Wait until other processes used less than `maxPct` of one core over a
 * 1-second window, for at most `maxWaitMs`. Returns the last window's figure
 * and how long it waited.
 */
export async function awaitQuiet(maxPct = 15, maxWaitMs = 30_000): Promise<{ pct: number; waitedMs: number }> {
  const start = Date.now();
  for (;;) {
    const a = snap();
    await new Promise((r) => setTimeout(r, 1000));
    const pct = foreignPct(a, snap());
    if (pct < maxPct || Date.now() - start >= maxWaitMs) return { pct, waitedMs: Date.now() - start };
  }
}
