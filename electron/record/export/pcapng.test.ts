import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Endpoint } from '../../../shared/protocol/model';
import type { ExportMessage } from './message';
import { createExportWriter } from './writers';
import {
  BLOCK_EPB,
  BLOCK_IDB,
  BLOCK_SHB,
  BYTE_ORDER_MAGIC,
  LINKTYPE_RAW,
  MAX_TCP_SEGMENT,
  PcapngEncoder,
  internetChecksum,
  parseIpAddress,
} from './pcapng';

const run = promisify(execFile);
const hasTshark = ((): boolean => {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasTshark) console.warn('tshark is not installed: skipping the pcapng checks that read files back with Wireshark');

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0, 123) + 0.456;
const v4 = (address: string, port: number): Endpoint => ({ address, port, family: 'IPv4' });
const v6 = (address: string, port: number): Endpoint => ({ address, port, family: 'IPv6' });
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** 100 KB with a pattern that shows misordering */
const BIG = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7 + (i >>> 8)) & 0xff);

// a TCP server conversation over IPv4, one over IPv6, UDP both ways, an IPv4-mapped peer
const tcp4 = { transport: 'tcp', local: v4('127.0.0.1', 40001), remote: v4('127.0.0.1', 50001) } as const;
const tcp6 = { transport: 'tcp', local: v6('::1', 40002), remote: v6('::1', 50002) } as const;
const udp4 = { transport: 'udp', local: v4('127.0.0.1', 40003), remote: v4('127.0.0.2', 50003) } as const;
const udp6 = { transport: 'udp', local: v6('fe80::1%lo', 40004), remote: v6('fe80::2%lo', 50004) } as const;
const mapped = { transport: 'tcp', local: v6('::ffff:127.0.0.1', 40005), remote: v6('::ffff:10.1.2.3', 50005) } as const;

const RECORDS: ExportMessage[] = [
  { ts: T0, dir: 'rx', ...tcp4, peerId: 'p1', bytes: enc('hello') },
  { ts: T0 + 1, dir: 'tx', ...tcp4, peerId: 'p1', bytes: enc('world!') },
  { ts: T0 + 2, dir: 'rx', ...tcp4, peerId: 'p1', bytes: enc('odd') },
  { ts: T0 + 3, dir: 'tx', ...tcp6, bytes: enc('v6 out') },
  { ts: T0 + 4, dir: 'rx', ...tcp6, bytes: enc('v6 in') },
  { ts: T0 + 5, dir: 'rx', ...udp4, bytes: Uint8Array.of(0, 1, 2, 0xff) },
  { ts: T0 + 6, dir: 'tx', ...udp4, bytes: enc('udp4 reply') },
  { ts: T0 + 7, dir: 'tx', ...udp6, bytes: enc('udp6') },
  { ts: T0 + 8, dir: 'rx', ...mapped, bytes: enc('mapped') },
  { ts: T0 + 9, dir: 'tx', ...tcp4, peerId: 'p1', bytes: BIG },
  { ts: T0 + 10, dir: 'rx', ...tcp4, peerId: 'p1', bytes: enc('after big') },
];

interface Block {
  type: number;
  length: number;
  body: Buffer;
}

/** Walk a little-endian pcapng file block by block, checking the framing. */
function parseBlocks(file: Buffer): Block[] {
  const blocks: Block[] = [];
  let off = 0;
  while (off < file.length) {
    const type = file.readUInt32LE(off);
    const length = file.readUInt32LE(off + 4);
    expect(length % 4, `block at ${off} is padded to 32 bits`).toBe(0);
    expect(length).toBeGreaterThanOrEqual(12);
    expect(file.readUInt32LE(off + length - 4), `trailing length of block at ${off}`).toBe(length);
    blocks.push({ type, length, body: file.subarray(off + 8, off + length - 4) });
    off += length;
  }
  expect(off).toBe(file.length);
  return blocks;
}

/** Options of a block body starting at `from`: code → values. */
function parseOptions(body: Buffer, from: number): Map<number, Buffer[]> {
  const opts = new Map<number, Buffer[]>();
  let o = from;
  while (o + 4 <= body.length) {
    const code = body.readUInt16LE(o);
    const len = body.readUInt16LE(o + 2);
    if (code === 0) break;
    opts.set(code, [...(opts.get(code) ?? []), body.subarray(o + 4, o + 4 + len)]);
    o += 4 + ((len + 3) & ~3);
  }
  return opts;
}

let dir = '';
let file = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wirebench-pcapng-'));
  file = join(dir, 'capture.pcapng');
  const w = createExportWriter('pcapng', createWriteStream(file));
  for (const r of RECORDS) await w.write(r);
  await w.end();
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('pcapng structure (own parser)', () => {
  it('has an SHB, one raw-IP IDB with microsecond timestamps, and one EPB per packet', async () => {
    const blocks = parseBlocks(await readFile(file));
    expect(blocks.map((b) => b.type).slice(0, 2)).toEqual([BLOCK_SHB, BLOCK_IDB]);
    const shb = blocks[0]!.body;
    expect(shb.readUInt32LE(0)).toBe(BYTE_ORDER_MAGIC);
    expect([shb.readUInt16LE(4), shb.readUInt16LE(6)]).toEqual([1, 0]);
    expect(shb.readBigInt64LE(8)).toBe(-1n);
    const idb = blocks[1]!.body;
    expect(idb.readUInt16LE(0)).toBe(LINKTYPE_RAW);
    expect(parseOptions(idb, 8).get(9)).toEqual([Buffer.of(6)]);
    const epbs = blocks.slice(2);
    // 100,000 bytes of TCP need 2 segments; everything else is one packet
    expect(epbs).toHaveLength(RECORDS.length + 1);
    expect(epbs.every((b) => b.type === BLOCK_EPB)).toBe(true);
  });

  it('writes microsecond timestamps and valid IPv4 header checksums', async () => {
    const epbs = parseBlocks(await readFile(file)).slice(2);
    const first = epbs[0]!.body;
    const us = first.readUInt32LE(4) * 2 ** 32 + first.readUInt32LE(8);
    expect(us).toBe(Math.round(T0 * 1000));
    for (const b of epbs) {
      const caplen = b.body.readUInt32LE(12);
      expect(b.body.readUInt32LE(16)).toBe(caplen);
      const pkt = b.body.subarray(20, 20 + caplen);
      if (pkt[0]! >> 4 === 4) {
        expect(internetChecksum(pkt, 0, 20)).toBe(0);
        expect(pkt.readUInt16BE(2)).toBe(caplen);
        expect(pkt[8]).toBe(64);
      } else {
        expect(pkt[0]! >> 4).toBe(6);
        expect(pkt.readUInt16BE(4)).toBe(caplen - 40);
      }
    }
  });

  it('splits an oversized UDP datagram and says so in a comment', () => {
    const enc6 = new PcapngEncoder();
    const blocks = enc6.encode({ ts: T0, dir: 'rx', ...udp4, bytes: new Uint8Array(70_000) });
    expect(blocks).toHaveLength(2);
    const opts = parseOptions(blocks[0]!.subarray(8), 20 + ((blocks[0]!.readUInt32LE(20) + 3) & ~3));
    expect(opts.get(1)?.[0]?.toString()).toBe('Part 1 of 2 of one 70000-byte datagram, split by Wirebench to fit IP packets');
  });

  it('writes a dual-stack socket\'s IPv4-mapped peer as IPv4, and "::" as 0.0.0.0', () => {
    const [epb] = new PcapngEncoder().encode({
      ts: T0,
      dir: 'rx',
      transport: 'udp',
      local: v6('::', 40006),
      remote: v6('::ffff:192.0.2.1', 50006),
      bytes: enc('x'),
    });
    const pkt = epb!.subarray(28, 28 + epb!.readUInt32LE(20));
    expect(pkt[0]! >> 4).toBe(4);
    expect([...pkt.subarray(12, 16)]).toEqual([192, 0, 2, 1]);
    expect([...pkt.subarray(16, 20)]).toEqual([0, 0, 0, 0]);
    expect([pkt.readUInt16BE(20), pkt.readUInt16BE(22)]).toEqual([50006, 40006]);
  });

  it('rejects a record whose time cannot be written', () => {
    expect(() => new PcapngEncoder().encode({ ts: Number.NaN, dir: 'rx', ...udp4, bytes: new Uint8Array(1) })).toThrow(
      'A captured message has an invalid time (NaN), so it cannot be exported',
    );
  });
});

describe('parseIpAddress', () => {
  it('reads IPv4, IPv6, zones and IPv4-mapped addresses', () => {
    expect(parseIpAddress('10.1.2.3')).toEqual(Uint8Array.of(10, 1, 2, 3));
    expect(parseIpAddress('::ffff:10.1.2.3')).toEqual(Uint8Array.of(10, 1, 2, 3));
    expect(parseIpAddress('::ffff:a01:203')).toEqual(Uint8Array.of(10, 1, 2, 3));
    expect(hex(parseIpAddress('::1')!)).toBe('00000000000000000000000000000001');
    expect(hex(parseIpAddress('fe80::1:2%eth0')!)).toBe('fe800000000000000000000000010002');
    expect(hex(parseIpAddress('[2001:db8::]')!)).toBe('20010db8000000000000000000000000');
    expect(hex(parseIpAddress('1:2:3:4:5:6:7:8')!)).toBe('00010002000300040005000600070008');
    expect(parseIpAddress('localhost')).toBeNull();
  });
});

interface Row {
  frame: number;
  src: string;
  port: string;
  seq: string;
  len: string;
  data: string;
}

async function tshark(args: string[]): Promise<string[][]> {
  const { stdout } = await run('tshark', ['-r', file, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

describe.skipIf(!hasTshark)('pcapng read back with tshark', () => {
  let rows: Row[] = [];
  beforeAll(async () => {
    const fields = ['frame.number', 'ip.src', 'ipv6.src', 'tcp.srcport', 'udp.srcport', 'tcp.seq_raw', 'tcp.len', 'data.data'];
    const out = await tshark(['-o', 'tcp.desegment_tcp_streams:FALSE', '-T', 'fields', ...fields.flatMap((f) => ['-e', f])]);
    rows = out.map(([frame, ip, ip6, tport, uport, seq, len, data]) => ({
      frame: Number(frame),
      src: ip || ip6 || '',
      port: tport || uport || '',
      seq: seq ?? '',
      len: len ?? '',
      data: data ?? '',
    }));
  });

  it('shows every payload in order, with the right addresses and ports', () => {
    expect(rows.map((r) => r.frame)).toEqual(Array.from({ length: RECORDS.length + 1 }, (_, i) => i + 1));
    const expected = [
      ['127.0.0.1', '50001', 'hello'],
      ['127.0.0.1', '40001', 'world!'],
      ['127.0.0.1', '50001', 'odd'],
      ['::1', '40002', 'v6 out'],
      ['::1', '50002', 'v6 in'],
      ['127.0.0.2', '50003', '\x00\x01\x02\xff'],
      ['127.0.0.1', '40003', 'udp4 reply'],
      ['fe80::1', '40004', 'udp6'],
      ['10.1.2.3', '50005', 'mapped'],
    ];
    expected.forEach(([src, port, payload], i) => {
      expect({ src: rows[i]?.src, port: rows[i]?.port, data: rows[i]?.data }).toEqual({
        src,
        port,
        data: Buffer.from(payload!, 'latin1').toString('hex'),
      });
    });
    expect(rows.at(-1)).toMatchObject({ src: '127.0.0.1', port: '50001', data: hex(enc('after big')) });
  });

  it('splits the 100 KB payload into full segments that reassemble exactly', () => {
    const big = rows.slice(9, 11);
    expect(big.map((r) => Number(r.len))).toEqual([MAX_TCP_SEGMENT, BIG.length - MAX_TCP_SEGMENT]);
    expect(big.map((r) => r.data).join('')).toBe(hex(BIG));
    expect(Number(big[1]!.seq)).toBe((Number(big[0]!.seq) + MAX_TCP_SEGMENT) >>> 0);
  });

  it('advances TCP sequence numbers by payload length per direction', () => {
    const tcpRows = rows.filter((r) => r.seq !== '' && (r.port === '50001' || r.port === '40001'));
    for (const port of ['50001', '40001']) {
      const dirRows = tcpRows.filter((r) => r.port === port);
      for (let i = 1; i < dirRows.length; i++) {
        expect(Number(dirRows[i]!.seq)).toBe((Number(dirRows[i - 1]!.seq) + Number(dirRows[i - 1]!.len)) >>> 0);
      }
    }
  });

  it('acknowledges what the other direction sent', async () => {
    const out = await tshark(['-T', 'fields', '-e', 'tcp.srcport', '-e', 'tcp.seq_raw', '-e', 'tcp.ack_raw', '-e', 'tcp.len', '-Y', 'tcp.port == 40001']);
    const next = new Map<string, number>();
    for (const [port, seq, ack, len] of out) {
      const other = port === '40001' ? '50001' : '40001';
      if (next.has(other)) expect(Number(ack)).toBe(next.get(other));
      next.set(port!, (Number(seq) + Number(len)) >>> 0);
    }
  });

  it('has good checksums and no malformed packets', async () => {
    const out = await tshark([
      '-o', 'ip.check_checksum:TRUE',
      '-o', 'tcp.check_checksum:TRUE',
      '-o', 'udp.check_checksum:TRUE',
      '-T', 'fields',
      '-e', 'frame.number', '-e', 'ip.checksum.status', '-e', 'tcp.checksum.status', '-e', 'udp.checksum.status', '-e', '_ws.expert.message',
    ]);
    expect(out).toHaveLength(RECORDS.length + 1);
    for (const [frame, ipStatus, tcpStatus, udpStatus, expert] of out) {
      const where = `frame ${frame}`;
      // 1 = Good (0 = Bad, 2 = Unverified); IPv6 has no header checksum
      if (ipStatus) expect(ipStatus, where).toBe('1');
      expect(tcpStatus || udpStatus, where).toBe('1');
      expect(expert ?? '', where).not.toMatch(/malformed|bad checksum|incorrect|exception|invalid/i);
    }
  });
});
