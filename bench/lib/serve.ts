/**
 * Serve mode as a separate process (out/main/serve.js, built first when
 * missing or older than the sources) and a small WebSocket client for its
 * API: binary frames (encodeFrame/decodeFrame), `{t:'req'}` → `{t:'res'}`,
 * events in `{t:'events'}`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import type { CommandInput, CommandName, CommandResults, NetEvent, Result } from '../../shared/protocol';
import { decodeFrame, encodeFrame, type WireMessage } from '../../shared/protocol/wire';
import { onCleanup, tempDir } from './proc';

const ROOT = resolve(import.meta.dirname, '../..');
const SERVE_JS = join(ROOT, 'out/main/serve.js');
const INDEX_HTML = join(ROOT, 'out/renderer/index.html');

function newest(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n = e.name === 'node_modules' ? n : Math.max(n, newest(p));
    else if (!/\.(test|spec)(-util)?\.[cm]?[jt]s$/.test(e.name)) n = Math.max(n, statSync(p).mtimeMs);
  }
  return n;
}

/** Build unless out/ is there and newer than electron/, shared/, renderer/. */
export function ensureBuild(): void {
  let why = '';
  if (!existsSync(SERVE_JS) || !existsSync(INDEX_HTML)) why = 'out/ is missing';
  else {
    const src = Math.max(...['electron', 'shared', 'renderer'].map((d) => newest(join(ROOT, d))));
    if (src > statSync(SERVE_JS).mtimeMs) why = 'the sources are newer than out/';
  }
  if (!why) return;
  console.log(`[full] building first (${why}): npx electron-vite build`);
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`the build failed (exit ${r.status}); run "npm run build" to see why`);
}

export interface Serve {
  url: string;
  port: number;
  token: string;
  pid: number;
  proc: ChildProcess;
  dataDir: string;
  stop(): Promise<void>;
}

/** `profileDir`: run serve under --cpu-prof, the profile written there when it stops. */
export async function startServe(profileDir?: string): Promise<Serve> {
  const token = randomBytes(18).toString('base64url');
  const dataDir = tempDir('wirebench-bench-serve-');
  const prof = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const proc = spawn(process.execPath, [...prof, SERVE_JS, '--port', '0', `--token=${token}`, '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const stop = () =>
    new Promise<void>((res) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return res();
      const hard = setTimeout(() => proc.kill('SIGKILL'), 5000);
      proc.once('exit', () => {
        clearTimeout(hard);
        res();
      });
      proc.kill('SIGTERM');
    });
  onCleanup(stop);
  process.once('exit', () => proc.kill('SIGKILL'));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`serve did not print its URL in time:\n${out}`)), 20_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/\S+\?token=\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    proc.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.length > 50_000) out = out.slice(-20_000);
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  return { url, port: Number(new URL(url).port), token, pid: proc.pid!, proc, dataDir, stop };
}

/** VmRSS of a process, bytes. */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

/** CPU time (user + system) of a process so far, ms. */
export function cpuMsOf(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return ((Number(rest[11]) + Number(rest[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

export class WsClient {
  private nextId = 1;
  private readonly pending = new Map<number, (r: Result<unknown>) => void>();
  private readonly listeners = new Set<(e: NetEvent) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const msg = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as WireMessage;
      if (msg.t === 'res') {
        this.pending.get(msg.id)?.(msg.result);
        this.pending.delete(msg.id);
      } else if (msg.t === 'events') {
        for (const e of msg.events) for (const l of this.listeners) l(e);
      }
    });
    ws.on('close', () => {
      for (const r of this.pending.values()) r({ ok: false, code: 'INTERNAL', message: 'connection closed' } as Result<unknown>);
      this.pending.clear();
    });
  }

  static async connect(s: Serve): Promise<WsClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws`, [`wirebench.token.${s.token}`]);
    ws.binaryType = 'nodebuffer';
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    const c = new WsClient(ws);
    onCleanup(() => c.close());
    return c;
  }

  on(l: (e: NetEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  async call<C extends CommandName>(cmd: C, args: CommandInput<C>): Promise<CommandResults[C]> {
    const id = this.nextId++;
    const r = await new Promise<Result<unknown>>((res) => {
      this.pending.set(id, res);
      this.ws.send(encodeFrame({ t: 'req', id, cmd, args }));
    });
    if (!r.ok) throw new Error(`${cmd}: ${r.message}`);
    return r.data as CommandResults[C];
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((res) => {
      this.ws.once('close', () => res());
      this.ws.close();
      setTimeout(() => {
        this.ws.terminate();
        res();
      }, 2000).unref();
    });
  }
}

/** Open a session through the API (one short-lived client when `c` is absent). */
export async function withClient<T>(s: Serve, f: (c: WsClient) => Promise<T>): Promise<T> {
  const c = await WsClient.connect(s);
  try {
    return await f(c);
  } finally {
    await c.close();
  }
}
