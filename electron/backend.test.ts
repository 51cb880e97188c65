/**
 * The backend as a whole over real loopback sockets: a client that stops
 * reading slows no session (nothing pauses a socket for a view), every byte
 * of a flood lands in the record, and the record's disk pressure pauses only
 * its own session, announced to clients and noted in the log.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NetEvent } from '../shared/protocol';
import { LogWatcher, readLog, rowBytes } from '../test/fixtures/log-helpers';
import { floodTcp } from '../test/fixtures/net-helpers';
import { Backend } from './backend';

const MiB = 1024 * 1024;

describe('Backend', () => {
  let backend: Backend | undefined;
  let dataDir: string | undefined;
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await backend?.dispose();
    backend = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });
  const make = (): Backend => {
    dataDir = mkdtempSync(join(tmpdir(), 'wb-backend-'));
    backend = new Backend({ dataDir });
    return backend;
  };
  const connect = async (port: number): Promise<Socket> => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.on('error', () => undefined);
    cleanups.push(() => s.destroy());
    await new Promise<void>((r, j) => {
      s.once('connect', () => r());
      s.once('error', j);
    });
    return s;
  };

  it('a stalled client slows no session: 64 MiB flood into A, B’s echo still answers at once, A’s record holds every byte', async () => {
    const b = make();
    // a client whose transport never drains, attached all along
    const stalled: NetEvent[][] = [];
    cleanups.push(b.attach({ send: (batch) => stalled.push(batch), backlog: () => 64 * MiB }).detach);
    const w = new LogWatcher(b);
    cleanups.push(() => w.detach());

    const a = await w.call('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0, name: 'flooded' } });
    const echo = await w.call('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0, name: 'echo' } });
    await w.call('rules.set', { sessionId: echo.sessionId, rules: { echo: true } });
    const pinger = await connect(echo.local?.port ?? 0);
    let got = '';
    let onData = (): void => undefined;
    pinger.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      onData();
    });
    /** One round trip through B's echo rule, in ms. */
    const ping = (i: number): Promise<number> => {
      const msg = `ping ${i};`;
      const t0 = performance.now();
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no echo of ${msg}`)), 10_000);
        onData = () => {
          if (!got.endsWith(msg)) return;
          clearTimeout(timer);
          resolve(performance.now() - t0);
        };
        pinger.write(msg);
      });
    };
    await ping(0);

    const total = 64 * MiB;
    let flooding = true;
    const flood = floodTcp(a.local?.port ?? 0, total).finally(() => (flooding = false));
    // ping B all through the flood (and until A has taken in every byte)
    const rtts: number[] = [];
    for (let i = 1; flooding || b.manager.info(a.sessionId).counters.rxBytes < total; i++) {
      rtts.push(await ping(i));
      if (i > 100_000) throw new Error('the flood never ended');
    }
    const sentHash = await flood;
    await w.until(() => (b.manager.info(a.sessionId).counters.rxBytes === total ? true : undefined), 60_000, 'every byte counted');
    if (process.env['WB_DEBUG_RTT']) {
      const sorted = [...rtts].sort((x, y) => x - y);
      const q = (p: number) => (sorted[Math.floor(p * (sorted.length - 1))] as number).toFixed(1);
      console.log(`echo round trips during the flood: ${rtts.length}, median ${q(0.5)}, p90 ${q(0.9)}, p99 ${q(0.99)}, max ${q(1)} ms`);
    }
    expect(rtts.length).toBeGreaterThan(5);
    expect(got).toBe(Array.from({ length: rtts.length + 1 }, (_, i) => `ping ${i};`).join(''));
    // generous: a loaded CI machine, but far from a session held up behind the flood or the stalled client
    expect(Math.max(...rtts)).toBeLessThan(1000);

    // the stalled client was sent nothing, and slowed nothing down
    expect(stalled).toEqual([]);
    const info = b.manager.info(a.sessionId);
    expect(info.counters.rxBytes).toBe(total);
    // A's counters as clients saw them, and its record, byte for byte
    await w.untilCounters(a.sessionId, (c) => c.rxBytes === total, 10_000);
    const rows = await readLog((cmd, args) => b.handle(cmd, args), a.sessionId, { byteLimit: 256 * 1024 });
    const rx = rows.filter((r) => r.dir === 'rx');
    expect(rx.length).toBe(info.counters.rxMessages);
    expect(createHash('sha256').update(rowBytes(rows, 'rx')).digest('hex')).toBe(sentHash);
    // while B's log holds every ping and every echo
    const echoRows = await readLog((cmd, args) => b.handle(cmd, args), echo.sessionId);
    expect(rowBytes(echoRows, 'rx').toString()).toBe(got);
    expect(rowBytes(echoRows, 'tx').toString()).toBe(got);
  }, 180_000);

  it('a record behind on disk pauses reading of its own session only, says so to clients and notes it in the log', async () => {
    const b = make();
    const w = new LogWatcher(b);
    cleanups.push(() => w.detach());
    const a = await w.call('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 } });
    const other = await w.call('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 } });
    const c = await connect(a.local?.port ?? 0);
    const peer = await w.next('peer.joined', (e) => e.sessionId === a.sessionId);
    // 48 MiB of messages in one tick: more than the record lets fall behind on disk
    for (let i = 0; i < 48; i++) {
      b.records.onEvent({ type: 'data', ts: Date.now(), sessionId: a.sessionId, dir: 'rx', peerId: peer.peer.peerId, remote: peer.peer.remote, bytes: new Uint8Array(MiB).fill(i) });
    }
    const paused = await w.next('session.readPaused', (e) => e.paused);
    expect(paused.sessionId).toBe(a.sessionId);
    const resumed = await w.next('session.readPaused', (e) => !e.paused, 30_000);
    expect(resumed.sessionId).toBe(a.sessionId);
    expect(w.of('session.readPaused', other.sessionId)).toEqual([]);
    // the log says so where it happened, and the session reads again afterwards
    const rows = await readLog((cmd, args) => b.handle(cmd, args), a.sessionId, { byteLimit: 16 });
    expect(rows.filter((r) => r.note?.kind === 'paused').map((r) => r.note)).toEqual([
      { kind: 'paused', paused: true },
      { kind: 'paused', paused: false },
    ]);
    expect(rows.filter((r) => r.dir === 'rx')).toHaveLength(48);
    c.write('after');
    const after = await w.untilRows(a.sessionId, (r) => r.some((x) => x.dir === 'rx' && x.text === 'after'), 10_000);
    expect(after.at(-1)?.text).toBe('after');
  });
});
