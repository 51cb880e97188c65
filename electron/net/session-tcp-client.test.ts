import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sessionConfigSchema, type SessionConfigInput } from '../../shared/protocol/schemas';
import { WbError } from '../../shared/protocol/errors';
import { EventCollector, ipv6Available, pythonPeer, rawServer, rejection, sleep } from '../../test/fixtures/net-helpers';
import { LogWatcher, textsOf } from '../../test/fixtures/log-helpers';
import { Backend } from '../backend';
import { SessionManager } from './manager';

const cfg = (c: Partial<SessionConfigInput> & { port: number }) =>
  sessionConfigSchema.parse({ kind: 'tcp-client', host: '127.0.0.1', ...c });

async function freePort(host = '127.0.0.1'): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, host, r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let rec: EventCollector;
let mgr: SessionManager;
const cleanups: Array<() => Promise<void> | void> = [];

beforeEach(() => {
  rec = new EventCollector();
  mgr = new SessionManager(rec.sink);
});
afterEach(async () => {
  await mgr.closeAll();
  for (const c of cleanups.splice(0)) await c();
});

describe('tcp-client', () => {
  it('connects and records connecting → connected with the remote', async () => {
    const srv = await rawServer(() => undefined);
    cleanups.push(srv.close);
    const info = await mgr.open(cfg({ port: srv.port }));
    expect(info.state).toBe('connected');
    expect(info.statusLog.map((h) => h.state)).toEqual(['connecting', 'connected']);
    expect(info.statusLog[1]?.reason).toBe(`Connected to 127.0.0.1:${srv.port}`);
    expect(info.remote).toEqual({ address: '127.0.0.1', port: srv.port, family: 'IPv4' });
    expect(info.peers.map((p) => p.peerId)).toEqual(['conn']);
    expect(rec.of('session.opened')).toHaveLength(1);
  });

  it('exchanges exact bytes with an external program (Python server)', async () => {
    const toServer = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const reply = Buffer.from('00ff0d0a41e4bda0', 'hex');
    const py = pythonPeer(['tcp-server', '127.0.0.1', String(toServer.length), reply.toString('hex')]);
    cleanups.push(() => void py.child.kill());
    const port = Number(await py.line('PORT '));
    const { sessionId } = await mgr.open(cfg({ port }));
    const report = await mgr.sendBytes(sessionId, toServer, { kind: 'default' });
    expect(report.bytes).toBe(256);
    expect(await py.line('GOT ')).toBe(toServer.toString('hex'));
    await rec.until(() => rec.bytes(sessionId).length >= reply.length);
    expect(rec.bytes(sessionId).equals(reply)).toBe(true);
    const c = mgr.info(sessionId).counters;
    expect(c).toEqual({ rxBytes: reply.length, txBytes: 256, rxMessages: rec.of('data').filter((e) => e.dir === 'rx').length, txMessages: 1 });
  });

  it('refused connection: open throws CONNECTION_REFUSED and leaves no session', async () => {
    const port = await freePort();
    const e = await rejection(mgr.open(cfg({ port })));
    expect(e).toBeInstanceOf(WbError);
    expect(e.code).toBe('CONNECTION_REFUSED');
    expect(e.message).toBe(`Connection refused by 127.0.0.1:${port} — is anything listening there?`);
    expect(e.detail?.sysCode).toBe('ECONNREFUSED');
    expect(mgr.list()).toEqual([]);
    expect(rec.events).toEqual([]);
  });

  it('a local port already in use gives ADDRESS_IN_USE about this machine', async () => {
    const srv = await rawServer(() => undefined);
    cleanups.push(srv.close);
    const taken = await rawServer(() => undefined);
    cleanups.push(taken.close);
    const e = await rejection(mgr.open(cfg({ port: srv.port, localAddress: '127.0.0.1', localPort: taken.port })));
    expect(e.code).toBe('ADDRESS_IN_USE');
    expect(e.message).toBe(`Port ${taken.port} is already in use on 127.0.0.1`);
  });

  it('connect timeout against a server whose backlog is full', async () => {
    const py = pythonPeer(['backlog', '127.0.0.1']);
    cleanups.push(() => void py.child.kill());
    const port = Number(await py.line('PORT '));
    const t0 = Date.now();
    const e = await rejection(mgr.open(cfg({ port, connectTimeoutMs: 300 })));
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toBe(`No answer from 127.0.0.1:${port} within 0.3 s`);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('unknown host name gives HOST_NOT_FOUND', async () => {
    const e = await rejection(mgr.open(cfg({ host: 'nonexistent.invalid', port: 80, connectTimeoutMs: 20_000 })));
    expect(e.code).toBe('HOST_NOT_FOUND');
    expect(e.message).toBe("Host name 'nonexistent.invalid' could not be resolved");
    expect(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']).toContain(e.detail?.sysCode);
  });

  it('closed by the peer, then a send is reported as not sent', async () => {
    const srv = await rawServer((s) => s.end());
    cleanups.push(srv.close);
    const { sessionId } = await mgr.open(cfg({ port: srv.port }));
    await rec.next('session.status', (e) => e.status.state === 'closed');
    const info = mgr.info(sessionId);
    expect(info.state).toBe('closed');
    expect(info.statusLog.at(-1)?.reason).toBe('Closed by peer');
    const e = await rejection(mgr.sendBytes(sessionId, Uint8Array.of(1, 2, 3), { kind: 'default' }));
    expect(e.code).toBe('NOT_CONNECTED');
    expect(mgr.info(sessionId).counters.txBytes).toBe(0);
    expect(rec.of('data').filter((d) => d.dir === 'tx')).toHaveLength(0);
  });

  it('peer reset mid-stream: one error event, state closed, counters equal completed writes', async () => {
    let got = 0;
    const srv = await rawServer((s) =>
      s.on('data', (d) => {
        got += d.length;
        if (got > 256 * 1024 && !s.destroyed) s.resetAndDestroy();
      }),
    );
    cleanups.push(srv.close);
    const { sessionId } = await mgr.open(cfg({ port: srv.port }));
    const chunk = new Uint8Array(64 * 1024).fill(7);
    let sentBytes = 0;
    let sends = 0;
    let failure: WbError | undefined;
    for (let i = 0; i < 4000 && !failure; i++) {
      try {
        const r = await mgr.sendBytes(sessionId, chunk, { kind: 'default' });
        sentBytes += r.bytes;
        sends++;
      } catch (e) {
        failure = e as WbError;
      }
    }
    expect(failure).toBeDefined();
    expect(['CONNECTION_RESET', 'NOT_CONNECTED']).toContain(failure?.code);
    await rec.until(() => mgr.info(sessionId).state === 'closed', 5000, 'closed');
    await sleep(50);
    const errors = rec.of('error', sessionId);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('CONNECTION_RESET');
    const info = mgr.info(sessionId);
    expect(info.state).toBe('closed');
    expect(info.statusLog.at(-1)?.code).toBe('CONNECTION_RESET');
    expect(info.counters.txBytes).toBe(sentBytes);
    expect(info.counters.txMessages).toBe(sends);
    expect(rec.of('data').filter((d) => d.dir === 'tx')).toHaveLength(sends);
  });

  it('reconnects with exponential backoff when the server comes back on the same port', async () => {
    let srv = await rawServer(() => undefined);
    const port = srv.port;
    const { sessionId } = await mgr.open(
      cfg({ port, reconnect: { enabled: true, initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 0 } }),
    );
    await srv.close();
    await rec.until(() => rec.of('session.status').filter((e) => e.status.state === 'reconnecting').length >= 4, 10_000, 'four retries');
    const reasons = rec.of('session.status').filter((e) => e.status.state === 'reconnecting').map((e) => e.status.reason);
    expect(reasons.slice(0, 4)).toEqual([
      'Reconnecting in 0.05 s (attempt 1)',
      'Reconnecting in 0.1 s (attempt 2)',
      'Reconnecting in 0.2 s (attempt 3)',
      'Reconnecting in 0.2 s (attempt 4)',
    ]);
    const server2 = createServer((s) => s.on('error', () => undefined));
    await new Promise<void>((r) => server2.listen(port, '127.0.0.1', r));
    srv = { ...srv, close: async () => void (await new Promise<void>((r) => server2.close(() => r()))) };
    await rec.until(() => mgr.info(sessionId).state === 'connected', 10_000, 'reconnected');
    const connects = rec.of('session.status').filter((e) => e.status.state === 'connected');
    expect(connects).toHaveLength(1); // the first one was held back inside session.opened
    await mgr.stop(sessionId);
    await srv.close();
  });

  it('first attempt fails with reconnect on: open resolves in reconnecting; stop cancels the retries', async () => {
    const port = await freePort();
    const info = await mgr.open(cfg({ port, reconnect: { enabled: true, initialDelayMs: 100, maxDelayMs: 100, maxAttempts: 0 } }));
    expect(info.state).toBe('reconnecting');
    expect(info.statusLog.map((h) => h.state)).toEqual(['connecting', 'reconnecting']);
    expect(info.statusLog[1]?.code).toBe('CONNECTION_REFUSED');
    await mgr.stop(info.sessionId);
    expect(mgr.info(info.sessionId).state).toBe('closed');
    const n = rec.events.length;
    await sleep(300);
    expect(rec.events.slice(n).filter((e) => e.type === 'session.status')).toEqual([]);
  });

  it('gives up after maxAttempts retries', async () => {
    const port = await freePort();
    const info = await mgr.open(cfg({ port, reconnect: { enabled: true, initialDelayMs: 50, maxDelayMs: 50, maxAttempts: 2 } }));
    await rec.until(() => mgr.info(info.sessionId).state === 'error', 5000, 'gave up');
    expect(mgr.info(info.sessionId).statusLog.at(-1)?.reason).toMatch(/^Gave up after 2 reconnect attempts: Connection refused/);
  });

  it('a GBK character split over two writes shows whole in the log', async () => {
    // 你好 in GBK: C4 E3 BA C3; split in the middle of 好
    let peer: import('node:net').Socket | undefined;
    const srv = await rawServer((s) => {
      peer = s;
      s.write(Buffer.from('c4e3ba', 'hex'));
    });
    cleanups.push(srv.close);
    // what the user sees is the log, decoded when read: through the backend
    const dataDir = mkdtempSync(join(tmpdir(), 'wb-client-'));
    const backend = new Backend({ dataDir });
    const w = new LogWatcher(backend);
    cleanups.push(async () => {
      w.detach();
      await backend.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const { sessionId } = await w.call('session.open', { config: cfg({ port: srv.port, rxEncoding: 'gbk' }) });
    // the second half goes out only once the first has arrived: two reads, never coalesced under load
    await w.untilRows(sessionId, (r) => r.some((x) => x.dir === 'rx'));
    peer!.write(Buffer.from('c3', 'hex'));
    const rows = await w.untilRows(sessionId, (r) => Buffer.concat(r.filter((x) => x.dir === 'rx').map((x) => x.bytes ?? new Uint8Array())).length === 4);
    const rx = textsOf(rows);
    expect(rx.length).toBeGreaterThanOrEqual(2);
    expect(rx.join('')).toBe('你好');
    expect(rx.every((t) => !t.includes('\uFFFD'))).toBe(true);
    // the engine itself hands the record the exact bytes, one event per chunk
    expect(backend.manager.info(sessionId).counters).toMatchObject({ rxBytes: 4, rxMessages: rx.length });
  });

  it('connects over IPv6 ::1', async (t) => {
    if (!(await ipv6Available())) return t.skip('::1 is not available in this sandbox');
    const srv = await rawServer((s) => s.write('hi'), '::1');
    cleanups.push(srv.close);
    const info = await mgr.open(cfg({ host: '::1', port: srv.port }));
    expect(info.remote).toEqual({ address: '::1', port: srv.port, family: 'IPv6' });
    expect(info.statusLog[1]?.reason).toBe(`Connected to [::1]:${srv.port}`);
    await rec.until(() => rec.text(info.sessionId) === 'hi');
  });

  it('start() on a stopped session that cannot connect: throws and stays in error', async () => {
    const srv = await rawServer(() => undefined);
    const { sessionId } = await mgr.open(cfg({ port: srv.port }));
    await mgr.stop(sessionId);
    expect(mgr.info(sessionId).state).toBe('closed');
    await srv.close();
    const e = await rejection(mgr.start(sessionId));
    expect(e.code).toBe('CONNECTION_REFUSED');
    const info = mgr.info(sessionId);
    expect(info.state).toBe('error');
    expect(info.statusLog.at(-1)?.reason).toBe(e.message);
    expect(rec.of('error', sessionId).map((x) => x.code)).toEqual(['CONNECTION_REFUSED']);
  });

  it('update() changes live options and rejects options of another kind', async () => {
    const srv = await rawServer(() => undefined);
    cleanups.push(srv.close);
    const { sessionId } = await mgr.open(cfg({ port: srv.port }));
    const info = await mgr.update(sessionId, { noDelay: false, keepAlive: true, rxEncoding: 'gbk' });
    expect(info.config).toMatchObject({ noDelay: false, keepAlive: true, rxEncoding: 'gbk' });
    expect(rec.of('session.updated')).toHaveLength(1);
    const e = await rejection(mgr.update(sessionId, { maxClients: 3 }));
    expect(e.code).toBe('INVALID_ARGUMENT');
  });
});
