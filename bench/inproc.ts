/**
 * In-process figures: the engine (`Backend`, with its record on disk) in this
 * process vs a bare node:net / dgram socket in this process; load generators
 * in their own processes, over loopback.
 *
 *   tcp-rx    bytes/s a TCP server session counts (its `counters` events)
 *             vs a bare node:net server counting bytes
 *   tls-rx    the same over TLS: a TLS server session (the generated certificate) vs a bare
 *             node:tls server counting bytes, both with an ECDSA P-256 certificate
 *   udp-rx    datagrams a UDP session counts vs a bare dgram socket, same paced load
 *   tcp-echo  round trip of a TCP client session's send → echo → rx row in a
 *             `log.tail` vs a bare node:net client (hub flush interval 0)
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Backend } from '../electron/backend';
import { ensureMachineCert } from '../electron/net/cert-generate';
import type { Counters, NetEvent, Result, SessionInfo } from '../shared/protocol';
import { onCleanup, runLoad, runUdpLoad, tempDir } from './lib/proc';
import type { Report } from './lib/report';
import { fmtNum, mibps, MiB, udpRcvbufErrors, until } from './lib/util';

export interface InprocOptions {
  mb: number;
  udpRate: number;
  udpSecs: number;
  pings: number;
}

/** A Backend with a temp data dir and one attached client; `dispose` runs once (here or at cleanup). */
function backend(opts: { flushIntervalMs?: number } = {}) {
  const be = new Backend({ dataDir: tempDir('wirebench-bench-inproc-'), ...opts });
  let disposed: Promise<void> | undefined;
  const dispose = () => (disposed ??= be.dispose());
  onCleanup(dispose);
  const listeners: ((e: NetEvent[]) => void)[] = [];
  be.attach({ send: (events) => listeners.forEach((l) => l(events)), backlog: () => 0 });
  return { be, dispose, onEvents: (f: (e: NetEvent[]) => void) => void listeners.push(f) };
}

async function open(be: Backend, config: unknown): Promise<SessionInfo> {
  const r = (await be.handle('session.open', { config })) as Result<SessionInfo>;
  if (!r.ok) throw new Error(r.message);
  return r.data;
}

/** Latest counters per session, from `counters` events. */
function countersOf(on: (f: (e: NetEvent[]) => void) => void): Map<string, Counters> {
  const m = new Map<string, Counters>();
  on((events) => {
    for (const e of events) if (e.type === 'counters') m.set(e.sessionId, e.counters);
  });
  return m;
}

/** Resolves once `read()` has not changed for `quietMs`. */
async function settled(read: () => number, quietMs = 150): Promise<number> {
  let last = read();
  let since = Date.now();
  await until('the count to settle', () => {
    const v = read();
    if (v !== last) [last, since] = [v, Date.now()];
    return Date.now() - since >= quietMs;
  }, 30_000, 10);
  return last;
}

/** A bare node:net server (or node:tls with `tls`) counting bytes, timed from the connection (or its handshake). */
async function tcpBaseline(bytes: number, tls?: { cert: Buffer; key: Buffer }): Promise<number> {
  let got = 0;
  let start = 0;
  const count = (s: NodeJS.ReadableStream) => {
    start = performance.now();
    s.on('data', (d: Buffer) => (got += d.length));
  };
  const server = tls ? createTlsServer(tls, count) : createServer(count);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const load = runLoad('tcp-load', { port: (server.address() as AddressInfo).port, bytes, pattern: 'text', tls: !!tls });
  await until('the baseline to count every byte', () => got >= bytes, 600_000, 1);
  const ms = performance.now() - start;
  await load;
  server.close();
  return ms;
}

async function tcpWirebench(bytes: number, tls = false): Promise<{ ms: number; rssDelta: number }> {
  const { be, dispose, onEvents } = backend();
  const counters = countersOf(onEvents);
  let start = 0;
  onEvents((events) => {
    if (start === 0 && events.some((e) => e.type === 'peer.joined')) start = performance.now();
  });
  // a TLS server's peer joins once its handshake is done, so both sides time the same part
  const info = await open(be, { kind: 'tcp-server', host: '127.0.0.1', port: 0, ...(tls ? { tls: { generated: true } } : {}) });
  const rss0 = process.memoryUsage().rss;
  const load = runLoad('tcp-load', { port: info.local!.port, bytes, pattern: 'text', tls });
  await until('the session to count every byte', () => (counters.get(info.sessionId)?.rxBytes ?? 0) >= bytes, 600_000, 1);
  const ms = performance.now() - start;
  const rssDelta = process.memoryUsage().rss - rss0;
  await load;
  await dispose();
  return { ms, rssDelta };
}

interface UdpCount {
  got: number;
  sent: number;
  drops: number;
}

async function udpBaseline(rate: number, secs: number): Promise<UdpCount> {
  let got = 0;
  const s = createSocket('udp4');
  s.on('message', () => got++);
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const drops = udpRcvbufErrors();
  const load = await runUdpLoad({ port: s.address().port, rate, secs, size: 512 });
  await settled(() => got);
  s.close();
  return { got, sent: load.sent, drops: udpRcvbufErrors() - drops };
}

async function udpWirebench(rate: number, secs: number): Promise<UdpCount> {
  const { be, dispose, onEvents } = backend();
  const counters = countersOf(onEvents);
  const info = await open(be, { kind: 'udp', family: 'udp4', bindAddress: '127.0.0.1', bindPort: 0 });
  const drops = udpRcvbufErrors();
  const load = await runUdpLoad({ port: info.local!.port, rate, secs, size: 512 });
  const got = await settled(() => counters.get(info.sessionId)?.rxMessages ?? 0);
  await dispose();
  return { got, sent: load.sent, drops: udpRcvbufErrors() - drops };
}

async function echoServer(): Promise<{ port: number; close: () => void }> {
  const server = createServer({ noDelay: true }, (s) => s.on('data', (d) => s.write(d)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

async function echoBaseline(pings: number): Promise<number> {
  const echo = await echoServer();
  const s = createConnection({ host: '127.0.0.1', port: echo.port, noDelay: true });
  await new Promise((r) => s.once('connect', r));
  let pending: (() => void) | undefined;
  s.on('data', () => pending?.());
  const start = performance.now();
  for (let i = 0; i < pings; i++) {
    await new Promise<void>((r) => {
      pending = r;
      s.write('ping\n');
    });
  }
  const rtt = (performance.now() - start) / pings;
  s.destroy();
  echo.close();
  return rtt;
}

async function echoWirebench(pings: number): Promise<number> {
  const echo = await echoServer();
  const { be, dispose, onEvents } = backend({ flushIntervalMs: 0 });
  let pending: (() => void) | undefined;
  onEvents((events) => {
    if (events.some((e) => e.type === 'log.tail' && e.rows.some((r) => r.dir === 'rx'))) pending?.();
  });
  const info = await open(be, { kind: 'tcp-client', host: '127.0.0.1', port: echo.port, noDelay: true });
  const start = performance.now();
  for (let i = 0; i < pings; i++) {
    await new Promise<void>((r) => {
      pending = r;
      void be.handle('session.send', { sessionId: info.sessionId, payload: { kind: 'text', text: 'ping\n' } });
    });
  }
  const rtt = (performance.now() - start) / pings;
  await dispose();
  echo.close();
  return rtt;
}

export async function runInproc(report: Report, o: InprocOptions): Promise<void> {
  const bytes = o.mb * MiB;
  console.log(`\n[in-process] ${o.mb} MiB TCP, ${o.udpRate}/s × ${o.udpSecs} s UDP, ${o.pings} echo round trips`);

  const tb = await tcpBaseline(bytes);
  const tw = await tcpWirebench(bytes);
  report.add({
    id: 'inproc.tcp-rx',
    figure: 'in-process tcp-rx (engine vs bare net server)',
    baseline: `${fmtNum(mibps(bytes, tb))} MiB/s`,
    wirebench: `${fmtNum(mibps(bytes, tw.ms))} MiB/s`,
    value: tb / tw.ms,
    unit: '×',
    note: `RSS change across the engine's flood ${fmtNum(tw.rssDelta / MiB)} MiB`,
    raw: { bytes, baselineMs: tb, wirebenchMs: tw.ms, rssDelta: tw.rssDelta },
  });

  const machine = await ensureMachineCert(tempDir('wirebench-bench-tls-'), false);
  const tlsb = await tcpBaseline(bytes, { cert: readFileSync(machine.certPath), key: readFileSync(machine.keyPath) });
  const tlsw = await tcpWirebench(bytes, true);
  report.add({
    id: 'inproc.tls-rx',
    figure: 'in-process TLS ingest (engine vs bare tls sink)',
    baseline: `${fmtNum(mibps(bytes, tlsb))} MiB/s`,
    wirebench: `${fmtNum(mibps(bytes, tlsw.ms))} MiB/s`,
    value: tlsb / tlsw.ms,
    unit: '×',
    note: `RSS change across the engine's flood ${fmtNum(tlsw.rssDelta / MiB)} MiB`,
    raw: { bytes, baselineMs: tlsb, wirebenchMs: tlsw.ms, rssDelta: tlsw.rssDelta },
  });

  const ub = await udpBaseline(o.udpRate, o.udpSecs);
  const uw = await udpWirebench(o.udpRate, o.udpSecs);
  report.add({
    id: 'inproc.udp-rx',
    figure: 'in-process udp-rx (datagrams counted)',
    baseline: `${ub.got}/${ub.sent}`,
    wirebench: `${uw.got}/${uw.sent}`,
    value: uw.got / uw.sent / (ub.got / ub.sent),
    unit: '×',
    note: `kernel receive-buffer drops ${ub.drops} / ${uw.drops} (baseline / wirebench)`,
    raw: { baseline: ub, wirebench: uw },
  });

  const eb = await echoBaseline(o.pings);
  const ew = await echoWirebench(o.pings);
  report.add({
    id: 'inproc.tcp-echo',
    figure: 'in-process tcp-echo mean RTT (lower is better)',
    baseline: `${fmtNum(eb * 1000)} µs`,
    wirebench: `${fmtNum(ew * 1000)} µs`,
    value: ew / eb,
    unit: '×',
    raw: { baselineMs: eb, wirebenchMs: ew, pings: o.pings },
  });
}
