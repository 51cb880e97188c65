/**
 * Per-source statistics: sequence-number loss, duplicate and reorder counting
 * (pure), then the same over real loopback sockets through the commands,
 * the kernel's drop count, the receive buffer granted and the CSV export.
 */
import { readFileSync } from 'node:fs';
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { floodUdp } from '../../test/fixtures/net-helpers';
import { makeBackend, openSession, rxMessagesReached, type TestBackend } from '../record/recorder.test-util';
import { readSequence, SequenceTracker, UdpSourceTable } from './udp-sources';

function track(width: 1 | 2 | 4, seqs: number[]): SequenceTracker {
  const t = new SequenceTracker(width);
  for (const n of seqs) t.push(n);
  return t;
}

describe('sequence numbers', () => {
  it('counts gaps as lost, repeats as duplicates, late ones as out of order (taking a loss back)', () => {
    expect(track(4, [0, 1, 2, 4, 5, 5, 3, 7, 9, 8, 10]).stats).toEqual({ lost: 1, duplicates: 1, outOfOrder: 2, short: 0, highest: 10 });
    expect(track(4, [0, 1, 2, 3]).stats).toMatchObject({ lost: 0, duplicates: 0, outOfOrder: 0 });
    expect(track(4, [5, 105]).stats.lost).toBe(99);
    // a late duplicate of an old number is a duplicate, not out of order
    expect(track(4, [0, 1, 2, 3, 1]).stats).toMatchObject({ duplicates: 1, outOfOrder: 0 });
  });

  it('wraps at the width', () => {
    expect(track(1, [254, 255, 0, 1]).stats).toMatchObject({ lost: 0, duplicates: 0, outOfOrder: 0, highest: 1 });
    expect(track(2, [65_534, 1]).stats).toMatchObject({ lost: 2, highest: 1 });
    expect(track(1, [255, 1, 0]).stats).toMatchObject({ lost: 0, outOfOrder: 1, highest: 1 });
  });

  it('a number far behind means the sender restarted: counting goes on from it', () => {
    const t = track(4, [100_000, 100_001, 3, 4]);
    expect(t.stats).toMatchObject({ lost: 0, duplicates: 0, outOfOrder: 0, highest: 4 });
  });

  it('reads the number at its offset, width and byte order; too short is counted', () => {
    const b = Uint8Array.from([0xaa, 0x01, 0x02, 0x03, 0x04]);
    expect(readSequence(b, { offset: 1, width: 4, endian: 'be' })).toBe(0x01020304);
    expect(readSequence(b, { offset: 1, width: 4, endian: 'le' })).toBe(0x04030201);
    expect(readSequence(b, { offset: 3, width: 2, endian: 'le' })).toBe(0x0403);
    expect(readSequence(b, { offset: 4, width: 1, endian: 'be' })).toBe(4);
    expect(readSequence(b, { offset: 4, width: 2, endian: 'be' })).toBeUndefined();
    const table = new UdpSourceTable({ offset: 4, width: 2, endian: 'be' });
    table.onDatagram({ address: '10.0.0.1', port: 1, family: 'IPv4' }, b, 0);
    expect(table.list(0)[0]?.sequenceStats?.short).toBe(1);
  });

  it('keeps rate, gaps and a bounded table', () => {
    const table = new UdpSourceTable(undefined, 2);
    const at = (port: number, ts: number): void => table.onDatagram({ address: '10.0.0.1', port, family: 'IPv4' }, new Uint8Array(10), ts);
    at(1, 1_000);
    at(1, 1_100);
    at(1, 1_900);
    at(1, 2_000);
    expect(table.list(2_500)[0]).toMatchObject({ datagrams: 4, bytes: 40, rate: 3, byteRate: 30, firstSeen: 1_000, lastSeen: 2_000, maxGapMs: 800 });
    expect(table.list(3_100)[0]).toMatchObject({ rate: 1 });
    expect(table.list(9_000)[0]).toMatchObject({ rate: 0 });
    at(2, 3_000);
    at(3, 3_000);
    expect(table.list(3_000).map((s) => s.port)).toEqual([3, 2]);
    expect(table.forgottenSources).toBe(1);
  });
});

describe('UDP per-source statistics over loopback', () => {
  let t: TestBackend | undefined;
  const socks: Socket[] = [];
  afterEach(async () => {
    for (const s of socks.splice(0)) s.close();
    await t?.close();
    t = undefined;
  });

  async function sender(): Promise<Socket> {
    const s = createSocket('udp4');
    socks.push(s);
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    return s;
  }
  const send = (s: Socket, b: Uint8Array, port: number): Promise<unknown> => new Promise((r) => s.send(b, port, '127.0.0.1', r));

  it('reports each source with its deliberate gaps, duplicates and reordering, in session.list and as CSV', async () => {
    t = makeBackend();
    const info = await openSession(t, { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0, name: 'seq', sequence: { offset: 0, width: 4, endian: 'be' } });
    const port = info.local?.port ?? 0;
    const a = await sender();
    const b = await sender();
    const order = [0, 1, 2, 4, 5, 5, 3, 7, 9, 8, 10];
    for (const n of order) {
      const d = Buffer.alloc(16);
      d.writeUInt32BE(n, 0);
      await send(a, d, port);
    }
    // source b: little-endian numbers would read as huge big-endian ones; it sends 3 in order, then nothing lost
    for (const n of [0, 1, 2]) {
      const d = Buffer.alloc(4);
      d.writeUInt32BE(n, 0);
      await send(b, d, port);
    }
    await rxMessagesReached(t, info.sessionId, order.length + 3);
    const [listed] = (await t.call('session.list', {})).filter((x) => x.sessionId === info.sessionId);
    const sources = listed?.udp?.sources ?? [];
    expect(sources).toHaveLength(2);
    const sa = sources.find((s) => s.port === a.address().port);
    const sb = sources.find((s) => s.port === b.address().port);
    expect(sa).toMatchObject({ address: '127.0.0.1', datagrams: order.length, bytes: order.length * 16, sequenceStats: { lost: 1, duplicates: 1, outOfOrder: 2, highest: 10 } });
    expect(sb).toMatchObject({ datagrams: 3, bytes: 12, sequenceStats: { lost: 0, duplicates: 0, outOfOrder: 0, highest: 2 } });
    expect(sa?.lastSeen).toBeGreaterThanOrEqual(sa?.firstSeen ?? Infinity);
    expect(listed?.udp?.recvBuffer?.granted).toBeGreaterThan(0);

    // udp.stats reads the kernel's figures now (session.list shows the last once-a-second reading)
    const stats = await t.call('udp.stats', { sessionId: info.sessionId });
    expect(stats.sources).toHaveLength(2);
    expect(stats.kernelDrops).toBe(0);
    const file = await t.call('udp.exportSources', { sessionId: info.sessionId });
    expect(file.name).toMatch(/^seq-\d{8}-\d{6}-sources\.csv$/);
    const lines = readFileSync(file.path, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('source,port,datagrams,bytes,datagrams_per_s,bytes_per_s,first_seen,last_seen,largest_gap_ms,seq_lost,seq_duplicates,seq_out_of_order,seq_short,seq_highest');
    expect(lines.find((l) => l.startsWith(`127.0.0.1,${a.address().port},${order.length},`))).toMatch(/,1,1,2,0,10$/);
    expect(lines.at(-1)).toMatch(/^# kernel_drops=0 recv_buffer_granted=\d+/);
  }, 60_000);

  it('tells a TCP session has no per-source statistics', async () => {
    t = makeBackend();
    const info = await openSession(t, { kind: 'tcp-server', host: '127.0.0.1', port: 0 });
    const r = await t.raw('udp.stats', { sessionId: info.sessionId });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', why: { key: 'udp.statsUdpOnly' } });
  });

  it('reports the receive buffer the OS granted, and the kernel drops of a flood into a tiny buffer', async () => {
    t = makeBackend();
    const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
    const big = await openSession(t, { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0, recvBufferSize: rmemMax * 4 });
    // Linux caps a request at rmem_max and doubles it for bookkeeping
    expect(big.udp?.recvBuffer).toEqual({ requested: rmemMax * 4, granted: rmemMax * 2 });

    const tiny = await openSession(t, { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0, recvBufferSize: 4096 });
    expect(tiny.udp?.recvBuffer?.granted).toBeLessThan(64 * 1024);
    const total = 20_000;
    await floodUdp(tiny.local?.port ?? 0, total, 200);
    // every datagram was read or dropped by the kernel: wait until the two add up
    let seen = 0;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const s = await t.call('udp.stats', { sessionId: tiny.sessionId });
      seen = (s.sources[0]?.datagrams ?? 0) + (s.kernelDrops ?? 0);
      if (seen >= total || Date.now() > deadline) {
        console.log(`tiny buffer flood: ${s.sources[0]?.datagrams} read, ${s.kernelDrops} dropped by the kernel`);
        expect(s.kernelDrops).toBeGreaterThan(0);
        break;
      }
      await t.view.waitFor((e) => e.type === 'counters' && e.sessionId === tiny.sessionId, 500).catch(() => undefined);
    }
    expect(seen).toBe(total);
  }, 90_000);
});
