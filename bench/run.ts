/**
 * npm run bench — throughput and latency of the engine + hub, each reported as
 * a ratio against a baseline measured in the same run on the same machine:
 *
 *   tcp-rx     bytes/s a Wirebench TCP server session delivers to a hub client
 *              vs a bare node:net server that only counts bytes
 *   udp-rx     datagrams/s into a Wirebench UDP session vs a bare dgram socket
 *   tcp-echo   round-trip time of a Wirebench TCP client session's send → echo → rx event
 *              vs a bare node:net client doing the same
 *
 * Load generators run in a separate process, over loopback only.
 * Usage: npm run bench [-- --mb 64 --datagrams 20000 --pings 2000]
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { Hub } from '../electron/hub';
import type { NetEvent, Result, SessionInfo } from '../shared/protocol';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const MB = arg('mb', 64);
const DATAGRAMS = arg('datagrams', 20_000);
const PINGS = arg('pings', 2_000);

/** A child process that floods host:port with `bytes` over TCP, then exits. */
function tcpFlood(port: number, bytes: number): Promise<void> {
  const code = `
    const s = require('net').createConnection({ host: '127.0.0.1', port: ${port} }, () => {
      const chunk = Buffer.alloc(65536, 97); let left = ${bytes};
      const pump = () => { while (left > 0) { const n = Math.min(left, chunk.length); left -= n;
        if (!s.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return s.once('drain', pump); }
        s.end(); };
      pump();
    });
    s.on('close', () => process.exit(0));`;
  return runChild(code);
}

/** A child process that sends `n` datagrams of 512 bytes, paced in bursts of 64. */
function udpFlood(port: number, n: number): Promise<void> {
  const code = `
    const s = require('dgram').createSocket('udp4'); const b = Buffer.alloc(512, 98); let i = 0;
    const burst = () => { for (let k = 0; k < 64 && i < ${n}; k++, i++) s.send(b, ${port}, '127.0.0.1');
      if (i < ${n}) setTimeout(burst, 1); else setTimeout(() => s.close(), 50); };
    burst();`;
  return runChild(code);
}

function runChild(code: string): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['-e', code], { stdio: 'inherit' });
    child.on('exit', (c) => (c === 0 ? res() : rej(new Error(`load generator exited ${c}`))));
  });
}

const until = (cond: () => boolean, timeoutMs = 60_000) =>
  new Promise<void>((res, rej) => {
    const start = Date.now();
    const tick = () => (cond() ? res() : Date.now() - start > timeoutMs ? rej(new Error('timed out')) : setTimeout(tick, 2));
    tick();
  });

async function open(hub: Hub, config: unknown): Promise<SessionInfo> {
  const r = (await hub.handle('session.open', { config })) as Result<SessionInfo>;
  if (!r.ok) throw new Error(r.message);
  return r.data;
}

function countingTransport() {
  const t = { rxBytes: 0, rxMessages: 0, batches: 0 };
  return {
    t,
    transport: {
      send(events: NetEvent[]) {
        t.batches++;
        for (const e of events)
          if (e.type === 'data' && e.dir === 'rx') {
            t.rxBytes += e.bytes.byteLength;
            t.rxMessages++;
          }
      },
      backlog: () => 0,
    },
  };
}

async function tcpBaseline(bytes: number): Promise<number> {
  let got = 0;
  const server = createServer((s) => s.on('data', (d) => (got += d.length)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const start = performance.now();
  await tcpFlood((server.address() as AddressInfo).port, bytes);
  await until(() => got >= bytes);
  const secs = (performance.now() - start) / 1000;
  server.close();
  return bytes / secs;
}

async function tcpWirebench(bytes: number): Promise<{ rate: number; batches: number }> {
  const hub = new Hub();
  const { t, transport } = countingTransport();
  hub.attach(transport);
  const info = await open(hub, { kind: 'tcp-server', host: '127.0.0.1', port: 0 });
  const start = performance.now();
  await tcpFlood(info.local!.port, bytes);
  await until(() => t.rxBytes >= bytes);
  const secs = (performance.now() - start) / 1000;
  await hub.dispose();
  return { rate: bytes / secs, batches: t.batches / secs };
}

async function udpBaseline(n: number): Promise<{ rate: number; got: number }> {
  let got = 0;
  const s = createSocket('udp4');
  s.on('message', () => got++);
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const start = performance.now();
  await udpFlood(s.address().port, n);
  await new Promise((r) => setTimeout(r, 200));
  const secs = (performance.now() - start) / 1000 - 0.2;
  s.close();
  return { rate: got / secs, got };
}

async function udpWirebench(n: number): Promise<{ rate: number; got: number }> {
  const hub = new Hub();
  const { t, transport } = countingTransport();
  hub.attach(transport);
  const info = await open(hub, { kind: 'udp', family: 'udp4', bindAddress: '127.0.0.1', bindPort: 0 });
  const start = performance.now();
  await udpFlood(info.local!.port, n);
  await new Promise((r) => setTimeout(r, 200));
  const secs = (performance.now() - start) / 1000 - 0.2;
  await hub.dispose();
  return { rate: t.rxMessages / secs, got: t.rxMessages };
}

async function echoServer(): Promise<{ port: number; close: () => void }> {
  const server = createServer((s) => s.pipe(s));
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
  const hub = new Hub({ flushIntervalMs: 0 });
  let pending: (() => void) | undefined;
  hub.attach({
    send: (events) => {
      if (events.some((e) => e.type === 'data' && e.dir === 'rx')) pending?.();
    },
    backlog: () => 0,
  });
  const info = await open(hub, { kind: 'tcp-client', host: '127.0.0.1', port: echo.port, noDelay: true });
  const start = performance.now();
  for (let i = 0; i < pings; i++) {
    await new Promise<void>((r) => {
      pending = r;
      void hub.handle('session.send', { sessionId: info.sessionId, payload: { kind: 'text', text: 'ping\n' } });
    });
  }
  const rtt = (performance.now() - start) / pings;
  await hub.dispose();
  echo.close();
  return rtt;
}

const fmt = (n: number, unit: string) => `${n.toFixed(n < 10 ? 3 : 1)} ${unit}`;

async function main() {
  const bytes = MB * 1024 * 1024;
  console.log(`Wirebench bench — ${MB} MiB TCP, ${DATAGRAMS} UDP datagrams, ${PINGS} echo round trips (loopback)\n`);
  const rows: [string, string, string, string][] = [];

  const tb = await tcpBaseline(bytes);
  const rssBefore = process.memoryUsage().rss;
  const tw = await tcpWirebench(bytes);
  const rssAfter = process.memoryUsage().rss;
  rows.push(['tcp-rx', fmt(tb / 2 ** 20, 'MiB/s'), fmt(tw.rate / 2 ** 20, 'MiB/s'), (tw.rate / tb).toFixed(2)]);

  const ub = await udpBaseline(DATAGRAMS);
  const uw = await udpWirebench(DATAGRAMS);
  rows.push(['udp-rx', fmt(ub.rate, 'dgram/s'), fmt(uw.rate, 'dgram/s'), (uw.rate / ub.rate).toFixed(2)]);

  const eb = await echoBaseline(PINGS);
  const ew = await echoWirebench(PINGS);
  rows.push(['tcp-echo rtt', fmt(eb * 1000, 'µs'), fmt(ew * 1000, 'µs'), (ew / eb).toFixed(2)]);

  console.log('metric        baseline            wirebench           ratio (wirebench/baseline)');
  for (const r of rows) console.log(`${r[0].padEnd(14)}${r[1].padEnd(20)}${r[2].padEnd(20)}${r[3]}`);
  console.log(`\nhub flushes during the TCP flood: ${tw.batches.toFixed(0)}/s (target ≤ ~60/s, more only at ≥ 64 KiB pending)`);
  console.log(`UDP datagrams received: baseline ${ub.got}/${DATAGRAMS}, wirebench ${uw.got}/${DATAGRAMS}`);
  console.log(`RSS change across the Wirebench TCP flood: ${((rssAfter - rssBefore) / 2 ** 20).toFixed(1)} MiB`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
