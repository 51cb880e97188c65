import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { sessionConfigSchema, type SessionConfigInput } from '../../shared/protocol/schemas';
import { EventCollector, ipv6Available, poll, pythonPeer, rejection, sleep, textOf } from '../../test/fixtures/net-helpers';
import { SessionManager } from './manager';

const cfg = (c: Partial<SessionConfigInput> = {}) =>
  sessionConfigSchema.parse({ kind: 'tcp-server', host: '127.0.0.1', port: 0, ...c });

let rec: EventCollector;
let mgr: SessionManager;
const clients = new Set<Socket>();
const cleanups: Array<() => void> = [];

function client(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, host);
    clients.add(s);
    s.on('close', () => clients.delete(s));
    s.once('error', reject);
    s.once('connect', () => {
      s.removeListener('error', reject);
      s.on('error', () => undefined);
      resolve(s);
    });
  });
}

function readAll(s: Socket): { buf: () => Buffer; ended: Promise<void> } {
  const parts: Buffer[] = [];
  s.on('data', (d: Buffer) => parts.push(d));
  const ended = new Promise<void>((r) => s.once('close', () => r()));
  return { buf: () => Buffer.concat(parts), ended };
}

beforeEach(() => {
  rec = new EventCollector();
  mgr = new SessionManager(rec.sink);
});
afterEach(async () => {
  for (const s of clients) s.destroy();
  await poll(() => clients.size === 0, 5000, 'test clients closed');
  for (const c of cleanups.splice(0)) c();
  await mgr.closeAll();
});

describe('tcp-server', () => {
  it('listens on port 0 and reports the real port', async () => {
    const info = await mgr.open(cfg());
    expect(info.state).toBe('listening');
    expect(info.local?.port).toBeGreaterThan(0);
    expect(info.local?.address).toBe('127.0.0.1');
    expect(info.statusLog.at(-1)?.reason).toBe(`Listening on 127.0.0.1:${info.local?.port}`);
  });

  it('port already in use: ADDRESS_IN_USE and no session', async () => {
    const first = await mgr.open(cfg());
    const port = first.local?.port as number;
    const e = await rejection(mgr.open(cfg({ port })));
    expect(e.code).toBe('ADDRESS_IN_USE');
    expect(e.message).toBe(`Port ${port} is already in use on 127.0.0.1`);
    expect(e.detail?.sysCode).toBe('EADDRINUSE');
    expect(mgr.list().map((s) => s.sessionId)).toEqual([first.sessionId]);
  });

  it('exchanges exact bytes with an external program (Python client)', async () => {
    const info = await mgr.open(cfg());
    const toServer = Buffer.from('wirebench\x00\xff\r\n', 'latin1');
    const reply = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
    const py = pythonPeer(['tcp-client', '127.0.0.1', String(info.local?.port), toServer.toString('hex'), String(reply.length)]);
    cleanups.push(() => void py.child.kill());
    const joined = await rec.next('peer.joined');
    await rec.until(() => rec.bytes(info.sessionId).length === toServer.length);
    expect(rec.bytes(info.sessionId).equals(toServer)).toBe(true);
    await mgr.sendBytes(info.sessionId, reply, { kind: 'peer', peerId: joined.peer.peerId });
    expect(await py.line('GOT ')).toBe(reply.toString('hex'));
    const left = await rec.next('peer.left');
    expect(left.reason).toBe('Closed by peer');
    const c = mgr.info(info.sessionId).counters;
    expect(c.rxBytes).toBe(toServer.length);
    expect(c.txBytes).toBe(256);
    expect(c.txMessages).toBe(1);
  });

  it('maxClients: the extra connection is refused with an error and never counted', async () => {
    const info = await mgr.open(cfg({ maxClients: 2 }));
    const port = info.local?.port as number;
    await client(port);
    await client(port);
    await rec.until(() => rec.of('peer.joined').length === 2);
    const third = await client(port);
    const closed = new Promise<void>((r) => third.once('close', () => r()));
    const err = await rec.next('error');
    expect(err.code).toBe('MAX_CLIENTS');
    expect(err.message).toBe(`Max clients (2) reached: refused 127.0.0.1:${third.localPort}`);
    await closed;
    expect(mgr.info(info.sessionId).peers).toHaveLength(2);
    expect(rec.of('peer.joined')).toHaveLength(2);
    expect(rec.of('peer.left')).toHaveLength(0);
  });

  it('sends to one peer or to all peers', async () => {
    const info = await mgr.open(cfg());
    const port = info.local?.port as number;
    const a = readAll(await client(port));
    const b = readAll(await client(port));
    await rec.until(() => rec.of('peer.joined').length === 2);
    const [pa, pb] = mgr.info(info.sessionId).peers;
    await mgr.sendBytes(info.sessionId, Buffer.from('one'), { kind: 'peer', peerId: pa?.peerId as string });
    const all = await mgr.sendBytes(info.sessionId, Buffer.from('all'), { kind: 'all' });
    expect(all).toMatchObject({ bytes: 6, targets: 2 });
    await sleep(100);
    // the peer order follows accept order; accept order follows connect order here
    const bufs = [a.buf().toString(), b.buf().toString()].sort();
    expect(bufs).toEqual(['all', 'oneall']);
    const now = mgr.info(info.sessionId);
    expect(now.counters).toMatchObject({ txBytes: 9, txMessages: 3 });
    expect(now.peers.find((p) => p.peerId === pa?.peerId)?.counters.txMessages).toBe(2);
    expect(now.peers.find((p) => p.peerId === pb?.peerId)?.counters.txMessages).toBe(1);
  });

  it('send errors: no clients → NO_TARGET, unknown peer → PEER_NOT_FOUND', async () => {
    const { sessionId } = await mgr.open(cfg());
    expect((await rejection(mgr.sendBytes(sessionId, Uint8Array.of(1), { kind: 'all' }))).code).toBe('NO_TARGET');
    expect((await rejection(mgr.sendBytes(sessionId, Uint8Array.of(1), { kind: 'peer', peerId: 'p9' }))).code).toBe('PEER_NOT_FOUND');
  });

  it('a client reset mid-stream: one error event, peer.left, counters equal completed writes', async () => {
    const info = await mgr.open(cfg());
    const c = await client(info.local?.port as number);
    let got = 0;
    c.on('data', (d: Buffer) => {
      got += d.length;
      if (got > 256 * 1024 && !c.destroyed) c.resetAndDestroy();
    });
    const { peer } = await rec.next('peer.joined');
    const chunk = new Uint8Array(64 * 1024).fill(3);
    let sent = 0;
    let sends = 0;
    for (let i = 0; i < 4000; i++) {
      try {
        sent += (await mgr.sendBytes(info.sessionId, chunk, { kind: 'peer', peerId: peer.peerId })).bytes;
        sends++;
      } catch (e) {
        expect(['CONNECTION_RESET', 'NOT_CONNECTED', 'PEER_NOT_FOUND']).toContain((e as { code: string }).code);
        break;
      }
    }
    const left = await rec.next('peer.left');
    await sleep(50);
    const errors = rec.of('error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'CONNECTION_RESET', peerId: peer.peerId });
    expect(left.reason).toBe(errors[0]?.message);
    expect(mgr.info(info.sessionId).counters).toMatchObject({ txBytes: sent, txMessages: sends });
  });

  it('disconnectPeer closes that client with a reason', async () => {
    const info = await mgr.open(cfg());
    const c = readAll(await client(info.local?.port as number));
    const joined = await rec.next('peer.joined');
    await mgr.disconnectPeer(info.sessionId, joined.peer.peerId);
    await c.ended;
    const left = await rec.next('peer.left');
    expect(left.reason).toBe('Disconnected by you');
    expect(mgr.info(info.sessionId).peers).toEqual([]);
    expect((await rejection(mgr.disconnectPeer(info.sessionId, joined.peer.peerId))).code).toBe('PEER_NOT_FOUND');
  });

  it('frames by delimiter per peer and flushes the rest when the peer leaves', async () => {
    const info = await mgr.open(cfg({ framing: { kind: 'delimiter', delimiter: Uint8Array.of(10), keep: false } }));
    const c = await client(info.local?.port as number);
    c.write('a\nbb\nc');
    await rec.until(() => mgr.info(info.sessionId).counters.rxMessages === 2);
    c.end();
    await rec.next('peer.left');
    expect(rec.of('data').map((d) => textOf(d))).toEqual(['a', 'bb', 'c']);
    expect(mgr.info(info.sessionId).counters).toMatchObject({ rxBytes: 6, rxMessages: 3 });
  });

  it('idle framing cuts a message after the gap', async () => {
    const info = await mgr.open(cfg({ framing: { kind: 'idle', gapMs: 80 } }));
    const c = await client(info.local?.port as number);
    c.write('ab');
    await sleep(10);
    c.write('cd');
    await rec.until(() => rec.of('data').length === 1, 2000, 'idle flush');
    expect(rec.of('data').map((d) => textOf(d))).toEqual(['abcd']);
  });

  it('200 clients connect at once: all listed and all echoed', async () => {
    const info = await mgr.open(cfg());
    const port = info.local?.port as number;
    const socks = await Promise.all(Array.from({ length: 200 }, () => client(port)));
    await rec.until(() => mgr.info(info.sessionId).peers.length === 200, 15_000, '200 peers');
    const got = socks.map((s) => readAll(s));
    socks.forEach((s, i) => s.write(`hello ${i}`));
    await rec.until(() => rec.of('data').filter((d) => d.dir === 'rx').length >= 200, 15_000, '200 messages');
    // echo every message back to its sender through the engine
    await Promise.all(
      rec.of('data').filter((d) => d.dir === 'rx').map((d) => mgr.sendBytes(info.sessionId, d.bytes, { kind: 'peer', peerId: d.peerId as string })),
    );
    await poll(() => got.every((g, i) => g.buf().toString() === `hello ${i}`), 15_000, 'all echoes');
    expect(mgr.info(info.sessionId).counters).toMatchObject({ txMessages: 200, rxMessages: 200 });
  });

  it('1,000 connect/disconnect cycles end with zero peers and no leaked handles', async () => {
    const info = await mgr.open(cfg());
    const port = info.local?.port as number;
    const count = (): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
      return out;
    };
    const before = count();
    for (let round = 0; round < 50; round++) {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const s = await client(port);
          await new Promise<void>((r) => {
            s.once('close', () => r());
            s.end();
          });
        }),
      );
    }
    await rec.until(() => rec.of('peer.left').length === 1000, 20_000, '1000 peer.left');
    expect(rec.of('peer.joined')).toHaveLength(1000);
    expect(mgr.info(info.sessionId).peers).toEqual([]);
    await sleep(50);
    const after = count();
    expect(after.TCPSocketWrap ?? 0).toBe(before.TCPSocketWrap ?? 0);
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0);
  });

  it('backpressure: 8 MiB to a slow-reading client arrives complete with exact counters', async () => {
    const info = await mgr.open(cfg());
    const c = await client(info.local?.port as number);
    c.pause();
    const joined = await rec.next('peer.joined');
    const big = new Uint8Array(8 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const small = Buffer.from('tail');
    const sending = mgr.sendBytes(info.sessionId, big, { kind: 'peer', peerId: joined.peer.peerId });
    const sending2 = mgr.sendBytes(info.sessionId, small, { kind: 'peer', peerId: joined.peer.peerId });
    const parts: Buffer[] = [];
    let total = 0;
    c.on('data', (d: Buffer) => {
      parts.push(d);
      total += d.length;
    });
    // read slowly: a little at a time
    const slow = setInterval(() => {
      c.resume();
      setTimeout(() => c.pause(), 2);
    }, 10);
    cleanups.push(() => clearInterval(slow));
    await sleep(100);
    const r1 = await sending;
    const r2 = await sending2;
    c.resume();
    await poll(() => total >= big.length + small.length, 20_000, 'all bytes');
    const all = Buffer.concat(parts);
    expect(all.length).toBe(big.length + small.length);
    expect(all.subarray(0, big.length).equals(Buffer.from(big))).toBe(true);
    expect(all.subarray(big.length).toString()).toBe('tail');
    expect(r1.bytes + r2.bytes).toBe(big.length + 4);
    expect(mgr.info(info.sessionId).counters).toMatchObject({ txBytes: big.length + 4, txMessages: 2 });
  });

  it('stop() closes every peer with a reason; start() listens again', async () => {
    const info = await mgr.open(cfg());
    await client(info.local?.port as number);
    await rec.next('peer.joined');
    const stopped = await mgr.stop(info.sessionId);
    expect(stopped.state).toBe('closed');
    expect(stopped.peers).toEqual([]);
    expect((await rec.next('peer.left')).reason).toBe('Server stopped');
    const again = await mgr.start(info.sessionId);
    expect(again.state).toBe('listening');
  });

  it('setReadPaused holds reading of that session only until resumed, and says so', async () => {
    const info = await mgr.open(cfg());
    const other = await mgr.open(cfg());
    const c = await client(info.local?.port as number);
    const d = await client(other.local?.port as number);
    await rec.until(() => rec.of('peer.joined').length === 2);
    mgr.setReadPaused(info.sessionId, true);
    expect(rec.of('session.readPaused')).toEqual([{ type: 'session.readPaused', ts: expect.any(Number), sessionId: info.sessionId, paused: true }]);
    c.write('held');
    // the other session keeps reading meanwhile
    d.write('flows');
    await rec.until(() => rec.text(other.sessionId) === 'flows');
    await sleep(100);
    expect(rec.of('data', info.sessionId)).toHaveLength(0);
    // a peer that connects while paused is paused too
    const late = await client(info.local?.port as number);
    await rec.until(() => rec.of('peer.joined', info.sessionId).length === 2);
    late.write('late');
    await sleep(50);
    expect(rec.of('data', info.sessionId)).toHaveLength(0);
    mgr.setReadPaused(info.sessionId, false);
    expect(rec.of('session.readPaused', info.sessionId).map((e) => e.paused)).toEqual([true, false]);
    await rec.until(() => rec.text(info.sessionId).length === 8);
    expect(rec.of('data', info.sessionId).map((e) => textOf(e)).sort()).toEqual(['held', 'late']);
    // an unknown session is ignored
    mgr.setReadPaused('nope', true);
    expect(rec.of('session.readPaused')).toHaveLength(2);
  });

  it('works on IPv6 ::1', async (t) => {
    if (!(await ipv6Available())) return t.skip('::1 is not available in this sandbox');
    const info = await mgr.open(cfg({ host: '::1' }));
    expect(info.local).toMatchObject({ address: '::1', family: 'IPv6' });
    const c = await client(info.local?.port as number, '::1');
    const joined = await rec.next('peer.joined');
    expect(joined.peer.remote).toMatchObject({ address: '::1', family: 'IPv6', port: c.localPort });
    c.write('v6');
    await rec.until(() => rec.text(info.sessionId) === 'v6');
  });
});
