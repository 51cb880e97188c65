/**
 * UDP capture and exports keep datagrams apart: one pcapng packet per
 * datagram with its real addresses, read back by tshark; one record per
 * datagram in every export format.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS } from '../../shared/protocol/recording';
import { floodUdp } from '../../test/fixtures/net-helpers';
import { udpKernelStats } from '../net/udp-kernel';
import { exportDone, makeBackend, openSession, rxMessagesReached, type TestBackend } from './recorder.test-util';

const run = promisify(execFile);

/** tshark's view of a capture: one line per packet, `src dst sport dport length`. */
async function tsharkPackets(path: string): Promise<string[]> {
  const { stdout } = await run('tshark', ['-n', '-r', path, '-T', 'fields', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'udp.length'], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout.split('\n').filter((l) => l !== '');
}

describe('UDP capture', () => {
  let t: TestBackend | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('100,000 datagrams over loopback: tshark counts one packet each with the real addresses, or the kernel reports the rest dropped', async () => {
    t = makeBackend();
    const s = await openSession(t, { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0, name: 'flood' });
    const port = s.local?.port ?? 0;
    const started = await t.call('capture.start', { sessionId: s.sessionId });
    expect(started.format).toBe('pcapng');
    expect(started.files[0]?.name).toMatch(/^flood-\d{8}-\d{6}\.pcapng$/);
    const total = 100_000;
    const senderPort = await floodUdp(port, total, 64);
    // every datagram is either read or dropped by the kernel: wait until the two add up
    let received = 0;
    let drops = 0;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const info = (await t.call('session.list', {})).find((x) => x.sessionId === s.sessionId);
      received = info?.counters.rxMessages ?? 0;
      drops = (await udpKernelStats('127.0.0.1', port, 'udp4'))?.drops ?? 0;
      if (received + drops >= total) break;
      if (Date.now() > deadline) throw new Error(`only ${received} received + ${drops} dropped of ${total}`);
      await t.view.waitFor((e) => e.type === 'counters' && e.sessionId === s.sessionId && e.counters.rxMessages > received, 1_000).catch(() => undefined);
    }
    const stopped = await t.call('capture.stop', { sessionId: s.sessionId });
    const file = stopped.files[0];
    expect(file?.packets).toBe(received);
    const packets = await tsharkPackets(file?.path ?? '');
    console.log(`UDP flood: ${total} sent, ${received} received, ${drops} dropped by the kernel, ${packets.length} packets in the capture`);
    expect(packets.length).toBe(received);
    expect(received).toBeGreaterThan(1_000);
    expect(received + drops).toBe(total);
    const expected = `127.0.0.1\t127.0.0.1\t${senderPort}\t${port}\t72`;
    expect(packets.filter((l) => l !== expected)).toEqual([]);
  }, 240_000);

  it('writes one pcapng file per source when asked, each packet carrying its payload whole', async () => {
    t = makeBackend();
    const s = await openSession(t, { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0, name: 'pp' });
    const port = s.local?.port ?? 0;
    await t.call('capture.start', { sessionId: s.sessionId, perPeer: true });
    const a = createSocket('udp4');
    const b = createSocket('udp4');
    try {
      await Promise.all([a, b].map((x) => new Promise<void>((r) => x.bind(0, '127.0.0.1', r))));
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => a.send(`a${i}\n`, port, '127.0.0.1', r));
        await new Promise((r) => b.send(Buffer.alloc(i), port, '127.0.0.1', r));
      }
      await rxMessagesReached(t, s.sessionId, 40);
    } finally {
      a.close();
      b.close();
    }
    const info = await t.call('capture.stop', { sessionId: s.sessionId });
    expect(info.files).toHaveLength(2);
    const lengths: number[][] = [];
    for (const f of info.files) {
      expect(f.packets).toBe(20);
      const packets = await tsharkPackets(f.path);
      expect(new Set(packets.map((l) => l.split('\t')[2])).size, 'one source per file').toBe(1);
      lengths.push(packets.map((l) => Number(l.split('\t')[4]) - 8));
    }
    // each datagram whole, the empty one included
    const sizes = Array.from({ length: 20 }, (_, i) => i);
    const texts = sizes.map((i) => `a${i}\n`.length);
    expect(lengths.map((l) => l.join(',')).sort()).toEqual([sizes.join(','), texts.join(',')].sort());
  }, 60_000);

  it('an export of a UDP session has one record per datagram in every format', async () => {
    t = makeBackend();
    const s = await openSession(t, { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0, name: 'ex' });
    const port = s.local?.port ?? 0;
    const c = createSocket('udp4');
    const n = 300;
    try {
      await new Promise<void>((r) => c.bind(0, '127.0.0.1', r));
      // datagrams with line breaks inside and none at the end: a line-based reader would see other counts
      for (let i = 0; i < n; i++) await new Promise((r) => c.send(`dgram ${i}\r\nsecond line,"quoted"${i % 2 ? '\n' : ''}`, port, '127.0.0.1', r));
      await rxMessagesReached(t, s.sessionId, n);
    } finally {
      c.close();
    }
    for (const format of EXPORT_FORMATS) {
      const x = await t.call('export.start', { sessionId: s.sessionId, format });
      const done = await exportDone(t, x.exportId);
      expect(done.export.error, format).toBeUndefined();
      expect(done.export.records, format).toBe(n);
      if (format === 'jsonl') expect(readFileSync(x.path, 'utf8').split('\n').filter((l) => l.startsWith('{') && l.includes('"dir":"rx"'))).toHaveLength(n);
      if (format === 'pcapng') expect(await tsharkPackets(x.path)).toHaveLength(n);
    }
  }, 60_000);
});
