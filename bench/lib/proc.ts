/**
 * Child processes and cleanup. Every child, temp dir, browser and server the
 * bench starts registers a cleanup here; `cleanupAll` runs them in reverse
 * order, and an `exit` hook SIGKILLs any child still alive, so a failed or
 * interrupted run leaves nothing behind.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const PROCS_DIR = resolve(import.meta.dirname, '../procs');

type Cleanup = () => void | Promise<void>;
const cleanups: Cleanup[] = [];
const liveChildren = new Set<ChildProcess>();

export function onCleanup(fn: Cleanup): () => void {
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

let cleaning: Promise<void> | undefined;
let interrupted = false;

/** True after SIGINT/SIGTERM: parts not yet started are skipped. */
export const isInterrupted = (): boolean => interrupted;

/** Run every registered cleanup, newest first. Concurrent callers share one pass. */
export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const fn = cleanups.pop()!;
      try {
        await fn();
      } catch (e) {
        console.error('[bench] cleanup failed:', e instanceof Error ? e.message : e);
      }
    }
  })().finally(() => (cleaning = undefined));
  return cleaning;
}

// a stray rejection (e.g. a load generator killed during cleanup) must not end the run before cleanup
process.on('unhandledRejection', (e) => console.error('[bench] unhandled rejection:', e instanceof Error ? e.message : e));
process.on('exit', () => {
  for (const c of liveChildren) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n[bench] ${sig}: cleaning up…`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A running child that speaks JSON lines on stdout. */
export class Child {
  readonly proc: ChildProcess;
  private readonly messages: Record<string, unknown>[] = [];
  private waiters: (() => void)[] = [];
  private stderr = '';
  readonly exited: Promise<number | null>;

  constructor(
    command: string,
    args: string[],
    readonly name: string,
  ) {
    this.proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    liveChildren.add(this.proc);
    const unregister = onCleanup(() => this.kill());
    this.exited = new Promise((res) =>
      this.proc.once('exit', (code) => {
        liveChildren.delete(this.proc);
        unregister();
        this.wake();
        res(code);
      }),
    );
    createInterface({ input: this.proc.stdout! }).on('line', (line) => {
      try {
        this.messages.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        this.messages.push({ line });
      }
      this.wake();
    });
    this.proc.stderr!.on('data', (d: Buffer) => {
      this.stderr += d.toString();
      if (this.stderr.length > 20_000) this.stderr = this.stderr.slice(-10_000);
    });
    this.proc.stdin!.on('error', () => undefined);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The first message (in order, consumed) that has key `key`. */
  async next<T = Record<string, unknown>>(key: string, timeoutMs = 600_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.messages.findIndex((m) => key in m);
      if (i >= 0) return this.messages.splice(i, 1)[0] as T;
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) {
        throw new Error(`${this.name} exited (${this.proc.exitCode ?? this.proc.signalCode}) before sending "${key}": ${this.stderr.trim()}`);
      }
      if (Date.now() > deadline) throw new Error(`${this.name}: no "${key}" within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  send(line: string): void {
    this.proc.stdin!.write(`${line}\n`);
  }

  get stderrText(): string {
    return this.stderr;
  }

  kill(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return Promise.resolve();
    this.proc.stdin!.end();
    this.proc.kill('SIGTERM');
    const hard = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
    return this.exited.then(() => clearTimeout(hard));
  }
}

/** Start one of bench/procs/*.mjs with a JSON argument. */
export function proc(name: string, arg?: unknown): Child {
  const file = join(PROCS_DIR, `${name}.mjs`);
  return new Child(process.execPath, arg === undefined ? [file] : [file, JSON.stringify(arg)], name);
}

let udpBinary: string | null | undefined;

/** bench/procs/udp-load.c compiled into a temp dir (once), or null without a C compiler. */
function udpLoadBinary(): string | null {
  if (udpBinary === null || (udpBinary !== undefined && existsSync(udpBinary))) return udpBinary;
  const out = join(tempDir('wirebench-bench-bin-'), 'udp-load');
  const r = spawnSync('cc', ['-O2', '-o', out, join(PROCS_DIR, 'udp-load.c')], { stdio: ['ignore', 'ignore', 'pipe'] });
  udpBinary = r.status === 0 ? out : null;
  if (!udpBinary) console.warn(`[bench] no C compiler (${r.error?.message ?? r.stderr?.toString().trim()}): UDP load from Node, which offers less than 100k/s on a small machine`);
  return udpBinary;
}

export interface UdpLoad {
  port: number;
  rate: number;
  secs: number;
  size: number;
}

/** The paced UDP load generator: the C one when it compiles, else udp-load.mjs. Resolves with its result. */
export async function runUdpLoad(o: UdpLoad): Promise<{ sent: number; ms: number; sender: string }> {
  const bin = udpLoadBinary();
  const c = bin ? new Child(bin, [o.port, o.rate, o.secs, o.size].map(String), 'udp-load (C)') : proc('udp-load', o);
  const r = await c.next<{ sent: number; ms: number }>('sent');
  await c.exited;
  return { ...r, sender: bin ? 'C sendmmsg' : 'Node dgram' };
}

/** Run a load generator to completion and return its last result line. */
export async function runLoad<T = Record<string, unknown>>(name: string, arg: unknown, key = 'ms'): Promise<T> {
  const c = proc(name, arg);
  const r = await c.next<T>(key);
  await c.exited;
  return r;
}
