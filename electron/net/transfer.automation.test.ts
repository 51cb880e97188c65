/**
 * File transfers through the real dispatch path (backend.handle) to real
 * sockets: a 50 MB file arrives with the same SHA-256; cancel; peer vs all;
 * a short file; a stopped session.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransferInfo } from '../../shared/protocol/automation';
import type { NetEvent } from '../../shared/protocol/events';
import type { Result } from '../../shared/protocol/errors';
import type { SessionInfo } from '../../shared/protocol/model';
import { Backend } from '../backend';
import { readLog, rowBytes } from '../../test/fixtures/log-helpers';
import { poll } from '../../test/fixtures/net-helpers';

const MiB = 1024 * 1024;

let dir: string;
let hub: Backend;
let events: NetEvent[];
const clients: Socket[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wb-transfer-'));
  hub = new Backend({ dataDir: join(dir, 'data') });
  events = [];
  // keep everything but the log tails (their rows are checked through the record)
  hub.attach({ send: (batch) => events.push(...batch.filter((e) => e.type !== 'log.tail')), backlog: () => 0 });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await hub.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function call<T>(cmd: string, args: unknown): Promise<T> {
  const r = (await hub.handle(cmd, args)) as Result<T>;
  if (!r.ok) throw new Error(`${cmd}: ${r.code} ${r.message}`);
  return r.data;
}
async function callErr(cmd: string, args: unknown): Promise<{ code: string; message: string }> {
  const r = await hub.handle(cmd, args);
  if (r.ok) throw new Error(`${cmd} should have failed`);
  return r;
}

/** A plain client that hashes and counts what it receives. */
function hashingClient(port: number): { bytes: () => number; digest: () => string; ready: Promise<void> } {
  const s = connect(port, '127.0.0.1');
  clients.push(s);
  s.on('error', () => undefined);
  const h = createHash('sha256');
  let n = 0;
  s.on('data', (d: Buffer) => {
    n += d.length;
    h.update(d);
  });
  return { bytes: () => n, digest: () => h.copy().digest('hex'), ready: new Promise((r) => s.once('connect', () => r())) };
}

async function server(): Promise<SessionInfo> {
  return call<SessionInfo>('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 } });
}

async function peers(sid: string, n: number): Promise<void> {
  await poll(() => hub.manager.info(sid).peers.length === n);
}

describe('automation commands through the backend', () => {
  it('rules.set, rules.stats, periodic.start, schedule.list and schedule.stop answer Results', async () => {
    const info = await server();
    const sid = info.sessionId;
    const set = await call<SessionInfo>('rules.set', { sessionId: sid, rules: { rules: [{ id: 'r', match: { kind: 'text-equals', text: 'x' }, reply: { template: 'y' } }] } });
    expect(set.rules?.rules[0]?.id).toBe('r');
    expect(await call('rules.stats', { sessionId: sid })).toEqual([{ ruleId: 'r', hits: 0, errors: 0 }]);
    const bad = await callErr('rules.set', { sessionId: sid, rules: { rules: [{ id: 'r', match: { kind: 'regex', pattern: '(' }, reply: { template: '' } }] } });
    expect(bad.code).toBe('INVALID_ARGUMENT');
    const noPeer = await call<{ scheduleId: string }>('periodic.start', { sessionId: sid, payload: { kind: 'text', text: 'x' }, intervalMs: 1000 });
    await poll(() => events.some((e) => e.type === 'schedule.progress' && e.schedule.endReason !== undefined));
    const list = await call<{ scheduleId: string; endReason?: string }[]>('schedule.list', {});
    expect(list).toEqual([expect.objectContaining({ scheduleId: noPeer.scheduleId, endReason: 'Stopped: no client is connected to this server' })]);
    expect((await call<{ running: boolean }>('schedule.stop', { sessionId: sid, scheduleId: noPeer.scheduleId })).running).toBe(false);
  });
});

describe('file transfers', () => {
  it('a 50 MB file arrives with the same SHA-256', async () => {
    const size = 50 * MiB;
    const file = join(dir, 'big.bin');
    const fileHash = createHash('sha256');
    const w = await open(file, 'w');
    for (let i = 0; i < size / MiB; i++) {
      const b = randomBytes(MiB);
      fileHash.update(b);
      await w.write(b);
    }
    await w.close();
    const expected = fileHash.digest('hex');

    const info = await server();
    const sid = info.sessionId;
    const c = hashingClient(info.local?.port as number);
    await c.ready;
    await peers(sid, 1);

    const t = await call<TransferInfo>('transfer.begin', { sessionId: sid, target: { kind: 'peer', peerId: 'p1' }, name: 'big.bin', size });
    const r = await open(file, 'r');
    const buf = Buffer.alloc(MiB);
    let chunks = 0;
    for (;;) {
      const { bytesRead } = await r.read(buf, 0, MiB, null);
      if (bytesRead === 0) break;
      const chunk = new Uint8Array(bytesRead);
      chunk.set(buf.subarray(0, bytesRead));
      await call<TransferInfo>('transfer.chunk', { transferId: t.transferId, bytes: chunk });
      chunks++;
    }
    await r.close();
    const end = await call<TransferInfo>('transfer.end', { transferId: t.transferId });
    expect(end).toMatchObject({ sent: size, size, done: true, cancelled: false });
    expect(end.error).toBeUndefined();

    await poll(() => c.bytes() >= size, 30_000, 'the whole file');
    expect(c.bytes()).toBe(size);
    expect(c.digest()).toBe(expected);
    expect(chunks).toBe(50);
    expect(hub.manager.info(sid).counters).toMatchObject({ txBytes: size, txMessages: 50 });
    await poll(() => events.some((e) => e.type === 'transfer.progress' && e.transfer.done));
    // the log holds every chunk as one tx row, whole: the file again
    const rows = (await readLog((cmd, args) => hub.handle(cmd, args), sid, { byteLimit: MiB })).filter((r) => r.dir === 'tx');
    expect(rows.map((r) => r.size)).toEqual(Array.from({ length: 50 }, () => MiB));
    expect(createHash('sha256').update(rowBytes(rows, 'tx')).digest('hex')).toBe(expected);
  });

  it('cancel mid-way: later chunks are refused, what was sent stays sent', async () => {
    const info = await server();
    const c = hashingClient(info.local?.port as number);
    await c.ready;
    await peers(info.sessionId, 1);
    const t = await call<TransferInfo>('transfer.begin', { sessionId: info.sessionId, name: 'f.bin', size: 4 * MiB });
    for (let i = 0; i < 2; i++) await call('transfer.chunk', { transferId: t.transferId, bytes: new Uint8Array(MiB).fill(i) });
    const cancelled = await call<TransferInfo>('transfer.cancel', { transferId: t.transferId });
    expect(cancelled).toMatchObject({ cancelled: true, done: false, sent: 2 * MiB });
    const e = await callErr('transfer.chunk', { transferId: t.transferId, bytes: new Uint8Array(10) });
    expect(e.message).toBe('The transfer of f.bin was cancelled');
    await poll(() => c.bytes() === 2 * MiB);
  });

  it("to one of a server's peers, or to all of them", async () => {
    const info = await server();
    const port = info.local?.port as number;
    const a = hashingClient(port);
    const b = hashingClient(port);
    await Promise.all([a.ready, b.ready]);
    await peers(info.sessionId, 2);
    const data = randomBytes(300_000);
    const hash = createHash('sha256').update(data).digest('hex');

    const one = await call<TransferInfo>('transfer.begin', { sessionId: info.sessionId, target: { kind: 'peer', peerId: 'p2' }, name: 'one', size: data.length });
    await call('transfer.chunk', { transferId: one.transferId, bytes: new Uint8Array(data) });
    await call('transfer.end', { transferId: one.transferId });
    await poll(() => b.bytes() === data.length);
    expect(a.bytes()).toBe(0);
    expect(b.digest()).toBe(hash);

    const all = await call<TransferInfo>('transfer.begin', { sessionId: info.sessionId, name: 'all', size: data.length });
    await call('transfer.chunk', { transferId: all.transferId, bytes: new Uint8Array(data.subarray(0, 100_000)) });
    await call('transfer.chunk', { transferId: all.transferId, bytes: new Uint8Array(data.subarray(100_000)) });
    const end = await call<TransferInfo>('transfer.end', { transferId: all.transferId });
    expect(end.sent).toBe(data.length); // file bytes, not times the peers
    await poll(() => a.bytes() === data.length && b.bytes() === 2 * data.length);
    expect(a.digest()).toBe(hash);
    expect(hub.manager.info(info.sessionId).counters.txBytes).toBe(3 * data.length);
  });

  it('a file that ends early is an error in words', async () => {
    const info = await server();
    const c = hashingClient(info.local?.port as number);
    await c.ready;
    await peers(info.sessionId, 1);
    const t = await call<TransferInfo>('transfer.begin', { sessionId: info.sessionId, name: 'short', size: 2000 });
    await call('transfer.chunk', { transferId: t.transferId, bytes: new Uint8Array(1000) });
    const e = await callErr('transfer.end', { transferId: t.transferId });
    expect(e.message).toBe('The file ended early: 1,000 of 2,000 bytes sent');
    const long = await call<TransferInfo>('transfer.begin', { sessionId: info.sessionId, name: 'long', size: 10 });
    expect((await callErr('transfer.chunk', { transferId: long.transferId, bytes: new Uint8Array(11) })).message).toBe(
      'The file is longer than announced: 11 of 10 bytes',
    );
  });

  it('a stopped session refuses a transfer and fails the running ones cleanly', async () => {
    const info = await server();
    const c = hashingClient(info.local?.port as number);
    await c.ready;
    await peers(info.sessionId, 1);
    const t = await call<TransferInfo>('transfer.begin', { sessionId: info.sessionId, name: 'f', size: 3 * MiB });
    await call('transfer.chunk', { transferId: t.transferId, bytes: new Uint8Array(MiB) });
    const pending = hub.handle('transfer.chunk', { transferId: t.transferId, bytes: new Uint8Array(MiB) });
    await call('session.stop', { sessionId: info.sessionId });
    const r = await pending; // written before the stop, or failed by it: never hangs
    if (!r.ok) expect(r.message).toBe('The session stopped before the file was sent');
    const e = await callErr('transfer.chunk', { transferId: t.transferId, bytes: new Uint8Array(1) });
    expect(e.message).toBe('The session stopped before the file was sent');
    const refused = await callErr('transfer.begin', { sessionId: info.sessionId, name: 'g', size: 1 });
    expect(refused.code).toBe('NOT_CONNECTED');
    await poll(() => events.some((ev) => ev.type === 'transfer.progress' && ev.transfer.error === 'The session stopped before the file was sent'));
  });
});
