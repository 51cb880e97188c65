import { createConnection, type Socket } from 'node:net';
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { NetEvent, Result, SessionInfo } from '../../shared/protocol';
import { Hub, type HubTransport } from './hub';

class RecordingTransport implements HubTransport {
  batches: NetEvent[][] = [];
  pending = 0;
  send(events: NetEvent[]): void {
    this.batches.push(events);
  }
  backlog(): number {
    return this.pending;
  }
  all(): NetEvent[] {
    return this.batches.flat();
  }
  rxBytes(): number {
    return this.all().reduce((n, e) => n + (e.type === 'data' && e.dir === 'rx' ? e.bytes.byteLength : 0), 0);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openServer(hub: Hub): Promise<SessionInfo> {
  const r = (await hub.handle('session.open', {
    config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 },
  })) as Result<SessionInfo>;
  if (!r.ok) throw new Error(r.message);
  return r.data;
}

async function connect(port: number): Promise<Socket> {
  const s = createConnection({ host: '127.0.0.1', port });
  await new Promise((r, j) => {
    s.once('connect', r);
    s.once('error', j);
  });
  return s;
}

describe('Hub', () => {
  let hub: Hub;
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await hub.dispose();
  });

  /** Attach `t` to the hub, open a TCP server and connect one client to it (all undone after the test). */
  async function attachWithClient(t: RecordingTransport): Promise<Socket> {
    cleanups.push(hub.attach(t).detach);
    const info = await openServer(hub);
    const client = await connect(info.local!.port);
    cleanups.push(() => client.destroy());
    return client;
  }

  it('answers every command with a Result and never throws', async () => {
    hub = new Hub();
    await expect(hub.handle('nope', {})).resolves.toMatchObject({ ok: false, code: 'UNKNOWN_COMMAND' });
    await expect(hub.handle('session.close', { sessionId: 'missing' })).resolves.toMatchObject({
      ok: false,
      code: 'SESSION_NOT_FOUND',
    });
    await expect(hub.handle('codec.preview', { payload: { kind: 'hex', hex: '01 0g' } })).resolves.toMatchObject({
      ok: false,
      code: 'BAD_HEX',
      detail: { position: 5, char: 'g' },
    });
  });

  it('batches a 1 ms trickle into about 60 flushes a second and loses no byte', async () => {
    hub = new Hub();
    const t = new RecordingTransport();
    const client = await attachWithClient(t);
    await expect.poll(() => t.all().some((e) => e.type === 'peer.joined')).toBe(true);
    const startBatches = t.batches.length;

    let written = 0;
    const started = Date.now();
    while (Date.now() - started < 500) {
      client.write('x');
      written += 1;
      await sleep(1);
    }
    const elapsed = Date.now() - started;
    await expect.poll(() => t.rxBytes()).toBe(written);
    const flushes = t.batches.length - startBatches;
    // ≈ elapsed/16 flushes; allow slack for timer jitter but far below one per write
    expect(flushes).toBeLessThanOrEqual(Math.ceil(elapsed / 16) + 10);
    expect(written).toBeGreaterThan(flushes * 2);
  });

  it('coalesces counters: at most one counters event per session per batch, and the last one is exact', async () => {
    hub = new Hub();
    const t = new RecordingTransport();
    const client = await attachWithClient(t);
    for (let i = 0; i < 200; i++) client.write(Buffer.alloc(100, i));
    await expect.poll(() => t.rxBytes()).toBe(20_000);
    for (const batch of t.batches) {
      const ids = batch.filter((e) => e.type === 'counters').map((e) => e.sessionId);
      expect(new Set(ids).size).toBe(ids.length);
    }
    await expect
      .poll(() => {
        const last = t.all().filter((e) => e.type === 'counters').at(-1);
        return last?.type === 'counters' ? last.counters.rxBytes : -1;
      })
      .toBe(20_000);
  });

  it('pauses TCP reading while a client is behind and delivers everything, in order, once it drains', async () => {
    hub = new Hub();
    const t = new RecordingTransport();
    const paused: boolean[] = [];
    const original = hub.manager.setReadPaused.bind(hub.manager);
    hub.manager.setReadPaused = (p: boolean) => {
      paused.push(p);
      original(p);
    };
    const client = await attachWithClient(t);
    await expect.poll(() => t.all().some((e) => e.type === 'peer.joined')).toBe(true);

    t.pending = 64 * 1024 * 1024; // the transport reports a huge backlog
    const payload = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = i % 251;
    client.write(payload);
    await expect.poll(() => paused).toContain(true);
    const deliveredWhileBehind = t.rxBytes();
    expect(deliveredWhileBehind).toBeLessThan(payload.length);

    t.pending = 0; // drained
    await expect.poll(() => t.rxBytes(), { timeout: 15_000 }).toBe(payload.length);
    expect(paused.at(-1)).toBe(false);
    const received = Buffer.concat(
      t.all().flatMap((e) => (e.type === 'data' && e.dir === 'rx' ? [Buffer.from(e.bytes)] : [])),
    );
    expect(received.equals(payload)).toBe(true);
  });

  it('drops UDP rows from a slow view, reports them, and keeps the counters exact', async () => {
    hub = new Hub();
    const t = new RecordingTransport();
    cleanups.push(hub.attach(t).detach);
    const r = (await hub.handle('session.open', {
      config: { kind: 'udp', family: 'udp4', bindAddress: '127.0.0.1', bindPort: 0 },
    })) as Result<SessionInfo>;
    if (!r.ok) throw new Error(r.message);
    const port = r.data.local!.port;

    t.pending = 64 * 1024 * 1024;
    await sleep(50); // let a flush notice the backlog
    const sender = createSocket('udp4');
    cleanups.push(() => sender.close());
    const N = 300;
    for (let i = 0; i < N; i++) {
      await new Promise<void>((res) => sender.send(Buffer.from(`dgram ${i}`), port, '127.0.0.1', () => res()));
      // pace the sender so the kernel's receive buffer never overflows: this test is about the view
      if (i % 25 === 24) await sleep(5);
    }
    await sleep(100);
    t.pending = 0;
    await expect
      .poll(() => {
        const last = t.all().filter((e) => e.type === 'counters').at(-1);
        return last?.type === 'counters' ? last.counters.rxMessages : -1;
      })
      .toBe(N);
    const shown = t.all().filter((e) => e.type === 'data' && e.dir === 'rx').length;
    const dropped = t
      .all()
      .reduce((n, e) => n + (e.type === 'view.dropped' ? e.messages : 0), 0);
    expect(dropped).toBeGreaterThan(0);
    expect(shown + dropped).toBe(N);
  });

  it('never queues more than its cap for a stalled client: TCP rows beyond it are dropped from the view and reported', async () => {
    hub = new Hub({ maxQueueBytes: 64 * 1024 });
    const t = new RecordingTransport();
    cleanups.push(hub.attach(t).detach);
    const info = await openServer(hub);
    const client = await connect(info.local!.port);
    cleanups.push(() => client.destroy());
    await expect.poll(() => t.all().some((e) => e.type === 'peer.joined')).toBe(true);
    t.pending = 64 * 1024 * 1024; // the client stalls
    await sleep(50);
    const N = 400;
    for (let i = 0; i < N; i++) {
      const r = await hub.handle('session.send', { sessionId: info.sessionId, payload: { kind: 'bytes', bytes: new Uint8Array(1024) } });
      expect(r.ok).toBe(true);
    }
    t.pending = 0;
    await expect
      .poll(() => {
        const last = t.all().filter((e) => e.type === 'counters').at(-1);
        return last?.type === 'counters' ? last.counters.txMessages : -1;
      })
      .toBe(N);
    const shown = t.all().filter((e) => e.type === 'data' && e.dir === 'tx').length;
    const dropped = t.all().reduce((n, e) => n + (e.type === 'view.dropped' ? e.messages : 0), 0);
    expect(dropped).toBeGreaterThan(0);
    expect(shown + dropped).toBe(N);
  });

  it('stops delivering to a detached client', async () => {
    hub = new Hub();
    const t = new RecordingTransport();
    const client = hub.attach(t);
    client.detach();
    await openServer(hub);
    await sleep(50);
    expect(t.batches).toHaveLength(0);
    expect(hub.clientCount).toBe(0);
  });
});
