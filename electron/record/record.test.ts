/** The spill log: record format, size limit with dropped records, clean-up. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaptureRecord } from './export/record';
import { SpillLog } from './spill';
import { decodeRecord, encodeRecord, RecordParser } from './spill-format';
import { connect, exportDone, makeHub, openSession, rxMessagesReached, type TestHub } from './recorder.test-util';

const MiB = 1024 * 1024;
const v4 = (address: string, port: number) => ({ address, port, family: 'IPv4' as const });

const rec = (i: number, extra: Partial<CaptureRecord> = {}): CaptureRecord => ({
  ts: 1_700_000_000_123.456 + i,
  dir: i % 2 === 0 ? 'rx' : 'tx',
  transport: 'tcp',
  local: v4('127.0.0.1', 5000),
  remote: { address: '::1', port: 40000 + i, family: 'IPv6' },
  peerId: `p${i}`,
  bytes: new TextEncoder().encode(`message ${i}`),
  text: `message ${i}`,
  ...extra,
});

describe('spill record format', () => {
  it('round-trips every field, ASCII text without storing it twice, other text as UTF-8', () => {
    const plain = rec(1);
    const gbk = rec(2, { bytes: new Uint8Array([0xc4, 0xe3, 0xba, 0xc3]), text: '你好' });
    const noText = rec(3, { text: undefined, peerId: undefined, transport: 'udp' });
    for (const r of [plain, gbk, noText]) {
      const buf = encodeRecord(r);
      expect(buf.readUInt32LE(0)).toBe(buf.length - 4);
      const back = decodeRecord(buf.subarray(4));
      expect({ ...back, bytes: [...back.bytes] }).toEqual({ ...r, bytes: [...r.bytes] });
    }
    expect(encodeRecord(plain).length).toBeLessThan(encodeRecord(rec(1, { text: 'message 1!' })).length - 9);
  });

  it('parses records split anywhere across chunks', () => {
    const all = Buffer.concat([rec(0), rec(1), rec(2)].map(encodeRecord));
    for (const step of [1, 3, 7, all.length]) {
      const p = new RecordParser();
      const out: CaptureRecord[] = [];
      for (let i = 0; i < all.length; i += step) out.push(...p.push(all.subarray(i, i + step)));
      expect(out.map((r) => r.peerId)).toEqual(['p0', 'p1', 'p2']);
      expect(p.leftover).toBe(0);
    }
  });
});

describe('SpillLog', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tmp = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'wb-spill-'));
    dirs.push(d);
    return d;
  };

  it('keeps a pinned snapshot readable while the log rolls its segments away, then deletes them', async () => {
    const dir = tmp();
    const log = new SpillLog(dir, 's1-test', 1 * MiB);
    const big = (i: number): CaptureRecord => rec(i, { bytes: new Uint8Array(10_000).fill(i & 0xff), text: undefined });
    for (let i = 0; i < 50; i++) log.append(big(i));
    const snap = await log.snapshot();
    expect(snap.records).toBe(50);
    for (let i = 50; i < 400; i++) log.append(big(i));
    await log.sync();
    expect(log.info().droppedRecords).toBeGreaterThan(50);
    const seen: number[] = [];
    for await (const r of snap.read()) seen.push(r.bytes[0] as number);
    expect(seen).toEqual([...Array(50).keys()]);
    snap.release();
    await new Promise((r) => setTimeout(r, 50));
    const total = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    expect(total).toBe(log.info().bytes);
    expect(total).toBeLessThanOrEqual(1 * MiB);
    await log.remove();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('spill log through the hub', () => {
  let t: TestHub | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('with a 1 MiB limit drops the oldest segments, reports droppedRecords, and exports the newest', async () => {
    t = makeHub();
    expect(await t.call('spill.configure', { limitBytes: MiB })).toEqual({ limitBytes: MiB });
    const s = await openSession(t, {
      kind: 'tcp-server',
      host: '127.0.0.1',
      port: 0,
      framing: { kind: 'delimiter', delimiter: new Uint8Array([0x0a]) },
    });
    const c = await connect(s.local?.port ?? 0);
    const n = 3000;
    const pad = 'x'.repeat(1000);
    let all = '';
    for (let i = 0; i < n; i++) all += `${String(i).padStart(5, '0')} ${pad}\n`;
    c.write(all);
    await rxMessagesReached(t, s.sessionId, n);
    const start = await t.call('export.start', { sessionId: s.sessionId, format: 'jsonl' });
    expect(start.droppedRecords).toBeGreaterThan(0);
    expect(start.totalRecords + (start.droppedRecords ?? 0)).toBe(n);
    const end = (await exportDone(t, start.exportId)).export;
    expect(end).toMatchObject({ done: true, records: start.totalRecords });
    const rows = readFileSync(end.path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { text: string });
    // what is left is the newest part, contiguous up to the last message
    expect(rows.at(-1)?.text.slice(0, 5)).toBe(String(n - 1).padStart(5, '0'));
    expect(rows[0]?.text.slice(0, 5)).toBe(String(start.droppedRecords).padStart(5, '0'));
    const spillDir = join(t.dataDir, 'spill');
    const onDisk = readdirSync(spillDir).reduce((sum, f) => sum + statSync(join(spillDir, f)).size, 0);
    expect(onDisk).toBeLessThanOrEqual(MiB);
    c.destroy();
  });

  it('deletes a session’s spill log when the session is removed, and all of them on dispose', async () => {
    t = makeHub();
    const a = await openSession(t, { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0 });
    const b = await openSession(t, { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0 });
    for (const s of [a, b]) {
      await t.call('session.send', {
        sessionId: s.sessionId,
        payload: { kind: 'text', text: 'x' },
        target: { kind: 'address', host: '127.0.0.1', port: s.local?.port ?? 1 },
      });
    }
    await rxMessagesReached(t, b.sessionId, 1);
    const spillDir = join(t.dataDir, 'spill');
    await new Promise((r) => setTimeout(r, 50));
    const files = (): string[] => readdirSync(spillDir);
    expect(files().some((f) => f.startsWith(`${a.sessionId}-${process.pid}`))).toBe(true);
    await t.call('session.close', { sessionId: a.sessionId });
    await new Promise((r) => setTimeout(r, 50));
    expect(files().some((f) => f.startsWith(`${a.sessionId}-`))).toBe(false);
    expect(files().some((f) => f.startsWith(`${b.sessionId}-`))).toBe(true);
    await t.hub.dispose();
    expect(existsSync(spillDir) ? files() : []).toEqual([]);
  });
});
