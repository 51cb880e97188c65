/**
 * Full-stack network measurements: the same load process against a bare Node
 * process (baseline) and against a session of the serve process (Wirebench).
 * Sessions are made through the serve process's WebSocket API.
 */
import type { SessionConfigInput, SessionInfo } from '../../shared/protocol';
import { proc, runLoad, runUdpLoad } from '../lib/proc';
import { cpuMsOf, withClient, type Serve, type WsClient } from '../lib/serve';
import { udpRcvbufErrors, until } from '../lib/util';

export type Pattern = 'text' | 'binary';

interface LoadResult {
  ms: number;
  bytes: number;
}

/** TCP ingest into a bare node:net sink in its own process: ms from connect until the sink has read all and closed. */
export async function tcpSinkIngest(pattern: Pattern, bytes: number): Promise<number> {
  const sink = proc('tcp-sink');
  const { port } = await sink.next<{ port: number }>('port', 10_000);
  const r = await runLoad<LoadResult>('tcp-load', { port, bytes, pattern });
  const got = await sink.next<{ bytes: number }>('bytes', 30_000);
  await sink.kill();
  if (got.bytes !== bytes) throw new Error(`baseline sink read ${got.bytes} of ${bytes} bytes`);
  return r.ms;
}

/** The same load into a Wirebench TCP server session (the peer closes only after the session read everything). */
export async function tcpSessionIngest(port: number, pattern: Pattern, bytes: number): Promise<number> {
  const r = await runLoad<LoadResult>('tcp-load', { port, bytes, pattern });
  return r.ms;
}

export interface Cpu<T> {
  result: T;
  wallMs: number;
  servePct: number;
  browserPct?: Record<string, number>;
}

/** CPU use (% of one core) of the serve process and, when given, Chromium's processes while `f` runs. */
export async function cpuDuring<T>(
  servePid: number,
  browser: (() => Promise<Record<string, number>>) | undefined,
  f: () => Promise<T>,
): Promise<Cpu<T>> {
  const b0 = browser ? await browser() : undefined;
  const c0 = cpuMsOf(servePid);
  const t0 = performance.now();
  const result = await f();
  const wallMs = performance.now() - t0;
  const servePct = ((cpuMsOf(servePid) - c0) / wallMs) * 100;
  if (!b0 || !browser) return { result, wallMs, servePct };
  const b1 = await browser();
  const browserPct: Record<string, number> = {};
  for (const k of Object.keys(b1)) browserPct[k] = (((b1[k] ?? 0) - (b0[k] ?? 0)) * 1000 * 100) / wallMs;
  return { result, wallMs, servePct, browserPct };
}

export const fmtCpu = (c: { servePct: number; browserPct?: Record<string, number> }): string =>
  `CPU: serve ${c.servePct.toFixed(0)}%` +
  (c.browserPct ? `, chromium ${Object.entries(c.browserPct).filter(([, v]) => v >= 1).map(([k, v]) => `${k} ${v.toFixed(0)}%`).join(' ')}` : '') +
  ' (of one core)';

export interface Needle {
  every: number;
  offset: number;
  text: string;
}

/** `rows` lines "L000000001\n"… into a port (lines i with i % every === offset get " <text>"). */
export async function tcpLines(port: number, rows: number, needle?: Needle): Promise<void> {
  await runLoad('tcp-load', { port, pattern: 'lines', lines: rows, needle });
}

export async function openSession(c: WsClient, name: string, config: SessionConfigInput): Promise<SessionInfo> {
  return c.call('session.open', { config: { ...config, name } });
}

export async function sessionInfo(c: WsClient, sessionId: string): Promise<SessionInfo> {
  const list = await c.call('session.list', {});
  const s = list.find((i) => i.sessionId === sessionId);
  if (!s) throw new Error(`session ${sessionId} is gone`);
  return s;
}

/** Wait (polling `session.list` through a short-lived client) until the session's counters satisfy `cond`. */
export async function waitCounters(
  s: Serve,
  sessionId: string,
  what: string,
  cond: (i: SessionInfo) => boolean,
  timeoutMs = 600_000,
): Promise<SessionInfo> {
  return withClient(s, (c) => until(what, async () => {
    const i = await sessionInfo(c, sessionId);
    return cond(i) ? i : undefined;
  }, timeoutMs, 100));
}

export interface UdpCount {
  sent: number;
  got: number;
  ms: number;
  /** datagrams the kernel dropped because the receiver's buffer was full */
  rcvbufDrops: number;
  sender: string;
}

/** Paced UDP load into a bare dgram socket in its own process. */
export async function udpSinkCount(rate: number, secs: number): Promise<UdpCount> {
  const sink = proc('udp-sink');
  const { port } = await sink.next<{ port: number }>('port', 10_000);
  const drops0 = udpRcvbufErrors();
  const r = await runUdpLoad({ port, rate, secs, size: 512 });
  const got = await settled(async () => {
    sink.send('report');
    return (await sink.next<{ count: number }>('count', 5000)).count;
  });
  await sink.kill();
  return { sent: r.sent, got, ms: r.ms, rcvbufDrops: udpRcvbufErrors() - drops0, sender: r.sender };
}

/** The same load into a Wirebench UDP session; counted by the session's counters. */
export async function udpSessionCount(s: Serve, sessionId: string, port: number, rate: number, secs: number): Promise<UdpCount> {
  const before = await withClient(s, async (c) => (await sessionInfo(c, sessionId)).counters.rxMessages);
  const drops0 = udpRcvbufErrors();
  const r = await runUdpLoad({ port, rate, secs, size: 512 });
  const got = await withClient(s, (c) => settled(async () => (await sessionInfo(c, sessionId)).counters.rxMessages - before));
  return { sent: r.sent, got, ms: r.ms, rcvbufDrops: udpRcvbufErrors() - drops0, sender: r.sender };
}

/** Resolves with `read()` once two reads 200 ms apart agree. */
async function settled(read: () => Promise<number>): Promise<number> {
  let last = await read();
  return until('the count to settle', async () => {
    const v = await read();
    const same = v === last;
    last = v;
    return same ? v + 1 : undefined; // +1: 0 is a real count
  }, 30_000, 200).then((v) => v - 1);
}

export interface EchoStats {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
  ms: number;
  bad: number;
}

/** Run the echo load against a port: connect every client, then (after `ready`) all rounds at once. */
export async function echoLoad(port: number, clients: number, rounds: number, ready: () => Promise<void> = async () => {}): Promise<EchoStats> {
  const load = proc('echo-load', { port, clients, rounds, size: 32 });
  const { connected } = await load.next<{ connected: number }>('connected', 120_000);
  if (connected !== clients) throw new Error(`echo load connected ${connected} of ${clients}`);
  await ready();
  load.send('go');
  const r = await load.next<EchoStats>('p99', 600_000);
  await load.exited;
  if (r.bad > 0) throw new Error(`echo load: ${r.bad} replies did not match what was sent`);
  return r;
}

export async function echoBaseline(clients: number, rounds: number): Promise<EchoStats> {
  const server = proc('echo-server');
  const { port } = await server.next<{ port: number }>('port', 10_000);
  try {
    return await echoLoad(port, clients, rounds);
  } finally {
    await server.kill();
  }
}
