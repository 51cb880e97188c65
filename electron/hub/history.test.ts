import { createConnection, type Socket } from 'node:net';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { DataEvent, NetEvent, Result, SessionInfo } from '../../shared/protocol';
import { SessionManager } from '../net/manager';
import { EventRing, historyModule, historyWeight } from './handlers-history';
import { Hub, type HubTransport } from './hub';

class RecordingTransport implements HubTransport {
  events: NetEvent[] = [];
  send(events: NetEvent[]): void {
    this.events.push(...events);
  }
  backlog(): number {
    return 0;
  }
  data(): DataEvent[] {
    return this.events.filter((e): e is DataEvent => e.type === 'data');
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function ev(seq: number, payload = 'x', sessionId = 's1'): DataEvent {
  return {
    type: 'data',
    ts: seq,
    sessionId,
    seq,
    dir: 'rx',
    remote: { address: '127.0.0.1', port: 1, family: 'IPv4' },
    bytes: enc.encode(payload),
    text: payload,
  };
}

async function ok<T>(p: Promise<Result<unknown>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.data as T;
}

describe('data event seq and session.history', () => {
  let hub: Hub | undefined;
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await hub?.dispose();
    hub = undefined;
  });

  it('numbers rx and tx data events 1, 2, 3… per session and answers the same events, oldest first', async () => {
    hub = new Hub();
    const t = new RecordingTransport();
    cleanups.push(hub.attach(t).detach);
    const info = await ok<SessionInfo>(
      hub.handle('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0, framing: { kind: 'fixed', length: 2 } } }),
    );
    const client: Socket = createConnection({ host: '127.0.0.1', port: info.local!.port });
    cleanups.push(() => client.destroy());
    await new Promise((r) => client.once('connect', r));
    await expect.poll(() => t.events.some((e) => e.type === 'peer.joined')).toBe(true);
    client.write('aabbcc');
    await expect.poll(() => t.data().length).toBe(3);
    await ok(hub.handle('session.send', { sessionId: info.sessionId, payload: { kind: 'text', text: 'tx' } }));
    client.write('dd');
    await expect.poll(() => t.data().length).toBe(5);

    const live = t.data();
    expect(live.map((e) => [e.seq, e.dir, e.text])).toEqual([
      [1, 'rx', 'aa'],
      [2, 'rx', 'bb'],
      [3, 'rx', 'cc'],
      [4, 'tx', 'tx'],
      [5, 'rx', 'dd'],
    ]);
    const all = await ok<{ events: DataEvent[] }>(hub.handle('session.history', { sessionId: info.sessionId }));
    expect(all.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(all.events.map((e) => dec.decode(e.bytes))).toEqual(['aa', 'bb', 'cc', 'tx', 'dd']);
    // the very arrays the clients got: kept, not copied
    expect(all.events[0]!.bytes).toBe(live[0]!.bytes);
    const last2 = await ok<{ events: DataEvent[] }>(hub.handle('session.history', { sessionId: info.sessionId, limit: 2 }));
    expect(last2.events.map((e) => e.seq)).toEqual([4, 5]);
  });

  it('numbers UDP datagrams and sends in one sequence', async () => {
    hub = new Hub();
    const t = new RecordingTransport();
    cleanups.push(hub.attach(t).detach);
    const peer: UdpSocket = createSocket('udp4');
    cleanups.push(() => peer.close());
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
    const info = await ok<SessionInfo>(
      hub.handle('session.open', {
        config: { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0, remoteHost: '127.0.0.1', remotePort: peer.address().port },
      }),
    );
    peer.send('one', info.local!.port, '127.0.0.1');
    await expect.poll(() => t.data().length).toBe(1);
    await ok(hub.handle('session.send', { sessionId: info.sessionId, payload: { kind: 'text', text: 'two' } }));
    await expect.poll(() => t.data().length).toBe(2);
    expect(t.data().map((e) => [e.seq, e.dir])).toEqual([
      [1, 'rx'],
      [2, 'tx'],
    ]);
    const h = await ok<{ events: DataEvent[] }>(hub.handle('session.history', { sessionId: info.sessionId }));
    expect(h.events.map((e) => e.text)).toEqual(['one', 'two']);
  });

  it('rejects a bad limit and an unknown session in words', async () => {
    hub = new Hub();
    await expect(hub.handle('session.history', { sessionId: 's9' })).resolves.toMatchObject({ ok: false, code: 'SESSION_NOT_FOUND' });
    for (const limit of [0, 5001, 1.5]) {
      await expect(hub.handle('session.history', { sessionId: 's9', limit })).resolves.toMatchObject({
        ok: false,
        code: 'INVALID_ARGUMENT',
        detail: { field: 'limit' },
      });
    }
  });
});

describe('history ring', () => {
  it('keeps at most maxEvents, evicting the oldest', () => {
    const ring = new EventRing(3, 1e9);
    for (let i = 1; i <= 5000; i++) ring.push(ev(i));
    expect(ring.size).toBe(3);
    expect(ring.last(10).map((e) => e.seq)).toEqual([4998, 4999, 5000]);
    expect(ring.last(1).map((e) => e.seq)).toEqual([5000]);
  });

  it('keeps at most maxBytes, evicting the oldest; an event bigger than the budget is not kept', () => {
    const w = historyWeight(ev(1, 'x'.repeat(100)));
    const ring = new EventRing(100, w * 2 + 10);
    ring.push(ev(1, 'x'.repeat(100)));
    ring.push(ev(2, 'x'.repeat(100)));
    expect(ring.size).toBe(2);
    ring.push(ev(3, 'x'.repeat(100)));
    expect(ring.last(10).map((e) => e.seq)).toEqual([2, 3]);
    expect(ring.bytes).toBe(w * 2);
    ring.push(ev(4, 'x'.repeat(10_000)));
    expect(ring.size).toBe(0);
    expect(ring.bytes).toBe(0);
    ring.push(ev(5, 'x'.repeat(100)));
    expect(ring.last(10).map((e) => e.seq)).toEqual([5]);
  });

  it('starts with session.opened, ignores data of unknown sessions and forgets a removed session', async () => {
    const manager = new SessionManager(() => {});
    const mod = historyModule({ manager, dataDir: '/nonexistent', emit: () => {} });
    mod.onEvent!(ev(1, 'x', 'ghost'));
    expect(mod.sessions()).toEqual([]);
    const info = await manager.open({
      kind: 'udp',
      family: 'udp4',
      bindAddress: '127.0.0.1',
      bindPort: 0,
      broadcast: false,
      reuseAddr: false,
      multicastTtl: 1,
      multicastLoopback: true,
      rxEncoding: 'utf-8',
      framing: { kind: 'raw' },
    });
    try {
      const id = info.sessionId;
      mod.onEvent!({ type: 'session.opened', ts: 0, sessionId: id, info });
      for (let i = 1; i <= 3; i++) mod.onEvent!(ev(i, 'x', id));
      const h = await mod.handlers['session.history']({ sessionId: id, limit: 1000 });
      expect(h.events.map((e) => e.seq)).toEqual([1, 2, 3]);
      mod.onEvent!({ type: 'session.removed', ts: 0, sessionId: id });
      expect(mod.sessions()).toEqual([]);
      expect((await mod.handlers['session.history']({ sessionId: id, limit: 1000 })).events).toEqual([]);
    } finally {
      await manager.closeAll();
    }
  });
});
