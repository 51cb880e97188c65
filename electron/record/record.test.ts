/**
 * The session record, which is the log: its on-disk format, append and read
 * back by seq through the sparse index, huge rows, the size limit, readers
 * pinning segments, the view start (log.clear), decode on read, search, and
 * clean-up. Record-level tests drive SessionRecord directly; the rest go
 * through the backend over real loopback sockets, as clients see the log.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogDir, LogNote, LogRow, LogSearchResult } from '../../shared/protocol';
import { poll } from '../../test/fixtures/net-helpers';
import { call, LogWatcher, rowBytes, textsOf } from '../../test/fixtures/log-helpers';
import { decodeNote, encodeNote, HEADER_BYTES, noteText, parseRecords, RecordFormatError, writeHeader, type RawRecord } from './format';
import { connect, exportDone, makeBackend, openSession, rxMessagesReached, type TestBackend } from './recorder.test-util';
import { SessionRecord } from './session-record';

const KiB = 1024;
const MiB = 1024 * KiB;

// ── helpers ─────────────────────────────────────────────────────────────────

interface Row {
  dir: LogDir;
  peerRef: number;
  ts: number;
  payload: Uint8Array;
}

/** Row `seq` of a synthetic record: its seq in the first 4 bytes, then a seq-dependent filler. */
function synth(seq: number, extra = seq % 13): Row {
  const payload = new Uint8Array(4 + extra);
  new DataView(payload.buffer).setUint32(0, seq, true);
  payload.fill(seq & 0xff, 4);
  return { dir: (['rx', 'tx', 'info', 'error'] as const)[seq % 4] as LogDir, peerRef: seq % 7, ts: 1_700_000_000_000 + seq + 0.25, payload };
}

const plain = (r: { seq?: number; dir: string; peerRef: number; ts: number; payload: Uint8Array }) => ({
  ...(r.seq !== undefined ? { seq: r.seq } : {}),
  dir: r.dir,
  peerRef: r.peerRef,
  ts: r.ts,
  payload: Buffer.from(r.payload).toString('hex'),
});

async function scanAll(rec: SessionRecord, from: number, to?: number): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  // payloads are views valid until the next batch: copy them
  for await (const batch of rec.scan(from, to)) for (const r of batch) out.push({ ...r, payload: Uint8Array.from(r.payload) });
  return out;
}

const filesOf = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);
const bytesOnDisk = (dir: string): number => filesOf(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);

const dirs: string[] = [];
const records: SessionRecord[] = [];
afterEach(async () => {
  for (const r of records.splice(0)) await r.remove();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function newRecord(limit?: number, onPressure?: (p: boolean) => void): { rec: SessionRecord; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wb-record-'));
  dirs.push(dir);
  const rec = new SessionRecord(dir, 's1-test', limit, onPressure);
  records.push(rec);
  return { rec, dir };
}

// ── format ──────────────────────────────────────────────────────────────────

describe('record format', () => {
  const encode = (r: Row): Buffer => {
    const buf = Buffer.alloc(HEADER_BYTES + r.payload.length);
    writeHeader(buf, 0, r.dir, r.peerRef, r.ts, r.payload.length);
    buf.set(r.payload, HEADER_BYTES);
    return buf;
  };

  it('round-trips every field, seqs counted from the first, and says where it stopped', () => {
    const rows = [synth(1), synth(2, 0), synth(3, 500), { dir: 'error' as const, peerRef: 2 ** 32 - 1, ts: 0.5, payload: new Uint8Array() }];
    const all = Buffer.concat(rows.map(encode));
    expect(all.readUInt32LE(0)).toBe(encode(rows[0] as Row).length - 4);
    const out: RawRecord[] = [];
    const end = parseRecords(all, 0, 41, (r) => (out.push(r), true));
    expect(end).toEqual({ at: all.length, seq: 45 });
    expect(out.map(plain)).toEqual(rows.map((r, i) => plain({ ...r, seq: 41 + i })));
    // a callback that declines a record stops before it
    const two = parseRecords(all, 0, 1, (r) => r.seq < 3);
    expect(two).toEqual({ at: encode(rows[0] as Row).length + encode(rows[1] as Row).length, seq: 3 });
  });

  it('parses records split anywhere across chunks', () => {
    const rows = Array.from({ length: 20 }, (_, i) => synth(i + 1, (i * 37) % 300));
    const all = Buffer.concat(rows.map(encode));
    for (const step of [1, 3, 7, 18, 19, 100, all.length]) {
      const out: ReturnType<typeof plain>[] = [];
      let carry = Buffer.alloc(0);
      let seq = 1;
      for (let i = 0; i < all.length; i += step) {
        const buf = Buffer.concat([carry, all.subarray(i, i + step)]);
        const end = parseRecords(buf, 0, seq, (r) => (out.push(plain(r)), true));
        seq = end.seq;
        carry = buf.subarray(end.at);
      }
      expect(carry.length, `step ${step}`).toBe(0);
      expect(out, `step ${step}`).toEqual(rows.map((r, i) => plain({ ...r, seq: i + 1 })));
    }
  });

  it('refuses a damaged record', () => {
    const bad = Buffer.alloc(HEADER_BYTES);
    bad.writeUInt32LE(3, 0);
    expect(() => parseRecords(bad, 0, 1, () => true)).toThrow(RecordFormatError);
    const dir = encode(synth(1));
    dir[4] = 9;
    expect(() => parseRecords(dir, 0, 1, () => true)).toThrow(RecordFormatError);
  });

  it('keeps notes as JSON and words them for API clients', () => {
    const notes: LogNote[] = [
      { kind: 'status', state: 'listening', reason: 'Listening on 127.0.0.1:5000' },
      { kind: 'peer.joined' },
      { kind: 'peer.left', reason: 'Closed by peer' },
      { kind: 'error', code: 'CONNECTION_RESET', message: 'Connection reset', sysCode: 'ECONNRESET' },
      { kind: 'paused', paused: true },
    ];
    for (const n of notes) expect(decodeNote(encodeNote(n))).toEqual(n);
    expect(notes.map((n) => noteText(n, '127.0.0.1:4000'))).toEqual([
      'Listening on 127.0.0.1:5000',
      '127.0.0.1:4000 connected',
      '127.0.0.1:4000 disconnected: Closed by peer',
      'Connection reset (ECONNRESET)',
      'Reading paused: the record is catching up on disk',
    ]);
    expect(decodeNote(Uint8Array.of(0xff, 0x00))).toBeUndefined();
    expect(noteText(undefined, 'x')).toBe('');
  });
});

// ── SessionRecord ───────────────────────────────────────────────────────────

describe('SessionRecord', () => {
  it('reads back what was appended, from memory and from disk, every field exact', async () => {
    const { rec, dir } = newRecord();
    expect([rec.firstSeq, rec.lastSeq]).toEqual([1, 0]);
    expect(await rec.rows(1, 10, 100)).toEqual([]);
    const n = 1000; // more than memory keeps, so the oldest are read from disk
    const rows = Array.from({ length: n }, (_, i) => synth(i + 1));
    rows.forEach((r, i) => expect(rec.append(r.dir, r.peerRef, r.ts, r.payload)).toBe(i + 1));
    expect([rec.firstSeq, rec.lastSeq, rec.oldestSeq]).toEqual([1, n, 1]);
    const expected = rows.map((r, i) => ({ ...plain({ ...r, seq: i + 1 }), size: r.payload.length }));
    // memory (the newest) and disk (all), before and after the bytes reached the disk
    const newest = await rec.rows(n - 9, n, 64);
    expect(newest.map((r) => ({ ...plain(r), size: r.size }))).toEqual(expected.slice(n - 10));
    const all = await rec.rows(1, n, 64);
    expect(all.map((r) => ({ ...plain(r), size: r.size }))).toEqual(expected);
    await rec.sync();
    expect((await scanAll(rec, 1)).map(plain)).toEqual(expected.map(({ size: _s, ...r }) => r));
    // a byte limit cuts the payload, not the size
    const cut = await rec.rows(13, 13, 2);
    expect(cut.map((r) => [r.seq, r.size, [...r.payload]])).toEqual([[13, 4, [13, 0]]]);
    // the stats count messages (rx/tx) only; the files hold exactly the bytes appended
    const st = rec.stats();
    expect(st.records).toBe(rows.filter((r) => r.dir === 'rx' || r.dir === 'tx').length);
    expect(st.droppedRecords).toBe(0);
    expect(bytesOnDisk(dir)).toBe(st.bytes);
    expect(st.bytes).toBe(rows.reduce((s, r) => s + HEADER_BYTES + r.payload.length, 0));
    // the live tail: the newest rows after a seq, at most `max`
    expect(rec.tail(n - 3, 10).map((r) => r.seq)).toEqual([n - 2, n - 1, n]);
    expect(rec.tail(0, 5).map((r) => r.seq)).toEqual([n - 4, n - 3, n - 2, n - 1, n]);
  });

  it('finds any one of 200,000 small rows exactly, over several segments', async () => {
    // 8 MiB limit: segments of 1 MiB, the ~5.6 MB of rows fill six of them and none is dropped
    const { rec } = newRecord(8 * MiB);
    const n = 200_000;
    for (let s = 1; s <= n; s++) {
      const r = synth(s);
      rec.append(r.dir, r.peerRef, r.ts, r.payload);
    }
    await rec.sync();
    expect(rec.stats().droppedRecords).toBe(0);
    expect(rec.firstSeq).toBe(1);
    const edges = [1, 2, 63, 64, 65, 66, 127, 128, 129, 4096, 99_999, 100_000, 100_001, n - 512, n - 511, n - 1, n];
    let x = 12345;
    const random = Array.from({ length: 400 }, () => ((x = (x * 1103515245 + 12345) % 2 ** 31) % n) + 1);
    for (const s of [...edges, ...random]) {
      const got = await rec.rows(s, s, 64);
      expect(got.map(plain), `seq ${s}`).toEqual([plain({ ...synth(s), seq: s })]);
    }
    // a window across index entries and segment ends comes back whole and in order
    for (const [from, to] of [
      [60, 200],
      [37_000, 41_000],
      [n - 700, n],
    ] as const) {
      const got = await scanAll(rec, from, to);
      expect(got.length).toBe(to - from + 1);
      got.forEach((r, i) => expect(plain(r)).toEqual(plain({ ...synth(from + i), seq: from + i })));
    }
  }, 60_000);

  it('keeps rows larger than a read chunk (256 KiB) and than a staging buffer whole', async () => {
    const { rec } = newRecord();
    const sizes = [10, 262_100, 262_144, 262_145, 300_000, 10, 524_288, 1_048_558, 1_048_576, 1_048_577, 1_500_000, 3 * MiB, 10];
    const big = sizes.map((size) => randomBytes(size));
    big.forEach((b, i) => rec.append(i % 2 ? 'tx' : 'rx', 1, 1000 + i, b));
    // enough small rows after them that the big ones are read from disk, not memory
    for (let i = 0; i < 600; i++) rec.append('rx', 2, 5000 + i, Uint8Array.of(i & 0xff));
    const hash = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    const want = big.map((b, i) => ({ seq: i + 1, size: b.length, sha: hash(b) }));
    const got = await rec.rows(1, sizes.length, 16 * MiB);
    expect(got.map((r) => ({ seq: r.seq, size: r.size, sha: hash(r.payload) }))).toEqual(want);
    // starting in the middle of the huge rows, and reading on into the small ones
    const from = 8;
    const scanned = await scanAll(rec, from, sizes.length + 5);
    expect(scanned.map((r) => ({ seq: r.seq, size: r.payload.length, sha: hash(r.payload) }))).toEqual([
      ...want.slice(from - 1),
      ...[0, 1, 2, 3, 4].map((i) => ({ seq: sizes.length + 1 + i, size: 1, sha: hash(Uint8Array.of(i)) })),
    ]);
    // a byte limit still cuts a huge row read from disk
    const cut = await rec.rows(12, 12, 100);
    expect(cut[0]?.size).toBe(3 * MiB);
    expect(Buffer.from(cut[0]?.payload ?? []).equals(big[11]?.subarray(0, 100) ?? Buffer.alloc(1))).toBe(true);
    // a huge row that is the record's last, read from disk
    const last = randomBytes(700_000);
    const seq = rec.append('tx', 3, 9999, last);
    const tail = await scanAll(rec, seq - 1);
    expect(tail.map((r) => [r.seq, r.payload.length, hash(r.payload)])).toEqual([
      [seq - 1, 1, hash(Uint8Array.of(599 & 0xff))],
      [seq, last.length, hash(last)],
    ]);
  });

  it('drops the oldest segment over the size limit: firstSeq moves on, droppedRecords counts messages only', async () => {
    const limit = MiB; // segments of 128 KiB
    const { rec, dir } = newRecord(limit);
    const dirOf = (s: number): LogDir => (s % 5 === 0 ? 'info' : s % 7 === 0 ? 'error' : s % 2 ? 'rx' : 'tx');
    const n = 3000;
    for (let s = 1; s <= n; s++) rec.append(dirOf(s), 0, s, new Uint8Array(1000).fill(s & 0xff));
    await rec.sync();
    const first = rec.firstSeq;
    expect(first).toBeGreaterThan(1);
    expect(rec.oldestSeq).toBe(first);
    const isMsg = (s: number) => dirOf(s) === 'rx' || dirOf(s) === 'tx';
    const seqs = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    const st = rec.stats();
    expect(st.droppedRecords).toBe(seqs(1, first - 1).filter(isMsg).length);
    expect(st.records).toBe(seqs(first, n).filter(isMsg).length);
    expect(st.bytes).toBeLessThanOrEqual(limit);
    expect(st.bytes).toBe((n - first + 1) * (HEADER_BYTES + 1000));
    // rows before firstSeq are gone; the first one left reads back
    expect((await rec.rows(1, first, 10)).map((r) => r.seq)).toEqual([first]);
    expect((await scanAll(rec, 1)).length).toBe(n - first + 1);
    // the dropped segments' files go too
    await poll(() => bytesOnDisk(dir) === st.bytes, 5000, 'dropped segment files deleted');
    // a smaller limit drops more at once
    rec.setLimit(256 * KiB);
    expect(rec.firstSeq).toBeGreaterThan(first);
    expect(rec.stats().bytes).toBeLessThanOrEqual(256 * KiB);
  });

  it('keeps a segment a reader is reading while the limit rolls it away, and deletes it after', async () => {
    const { rec, dir } = newRecord(MiB);
    const big = (i: number) => new Uint8Array(10_000).fill(i & 0xff);
    for (let i = 0; i < 50; i++) rec.append('rx', 1, i, big(i));
    const reader = rec.scan(1, 50);
    const seen: number[] = [];
    const first = await reader.next();
    for (const r of first.value ?? []) seen.push(r.payload[0] as number);
    expect(seen.length).toBeGreaterThan(0);
    const pinned = filesOf(dir).sort()[0] as string;
    for (let i = 50; i < 400; i++) rec.append('rx', 1, i, big(i));
    await rec.sync();
    expect(rec.stats().droppedRecords).toBeGreaterThan(50);
    expect(rec.firstSeq).toBeGreaterThan(50);
    expect(filesOf(dir)).toContain(pinned);
    for (;;) {
      const r = await reader.next();
      if (r.done) break;
      for (const row of r.value) seen.push(row.payload[0] as number);
    }
    expect(seen).toEqual([...Array(50).keys()]);
    await poll(() => !filesOf(dir).includes(pinned) && bytesOnDisk(dir) === rec.stats().bytes, 5000, 'the pinned segment deleted');
    expect(bytesOnDisk(dir)).toBeLessThanOrEqual(MiB);
    await rec.remove();
    expect(filesOf(dir)).toEqual([]);
  });

  it('a read straight after appends over many segments returns every row (none skipped while still being written)', async () => {
    for (let round = 0; round < 5; round++) {
      const { rec } = newRecord(64 * MiB); // segments of 8 MiB
      const n = 40;
      // 40 rows of 1 MiB: five segments, each handed to its own write stream
      for (let i = 0; i < n; i++) rec.append('rx', 1, i, new Uint8Array(MiB).fill(i));
      const got = (await scanAll(rec, 1)).map((r) => [r.seq, r.payload.length, r.payload[0], r.payload[MiB - 1]]);
      expect(got, `round ${round}`).toEqual(Array.from({ length: n }, (_, i) => [i + 1, MiB, i, i]));
    }
  });

  it('clearView moves firstSeq past the end; older rows stay in the record', async () => {
    const { rec } = newRecord();
    for (let s = 1; s <= 10; s++) rec.append('rx', 0, s, Uint8Array.of(s));
    rec.clearView();
    expect([rec.firstSeq, rec.lastSeq, rec.oldestSeq]).toEqual([11, 10, 1]);
    expect(rec.stats().records).toBe(10);
    expect((await scanAll(rec, rec.oldestSeq)).length).toBe(10);
    rec.append('tx', 0, 11, Uint8Array.of(11));
    expect([rec.firstSeq, rec.lastSeq]).toEqual([11, 11]);
  });

  it('asks to pause reading while the disk is behind, and to resume once it caught up', async () => {
    const calls: boolean[] = [];
    const { rec } = newRecord(undefined, (p) => calls.push(p));
    // 48 MiB handed to the disk in one tick: more than the 32 MiB the record lets fall behind
    for (let i = 0; i < 48; i++) rec.append('rx', 1, i, new Uint8Array(MiB).fill(i));
    await rec.sync();
    await poll(() => calls.at(-1) === false, 10_000, 'resume');
    expect(calls[0]).toBe(true);
    expect(calls).toEqual([true, false]);
    const back = await rec.rows(1, 48, 1);
    expect(back.map((r) => r.payload[0])).toEqual([...Array(48).keys()]);
  });
});

// ── through the backend ─────────────────────────────────────────────────────

const lines = { kind: 'delimiter', delimiter: Uint8Array.of(0x0a), keep: false } as const;

describe('the log through the backend', () => {
  let t: TestBackend | undefined;
  let w: LogWatcher | undefined;
  const sockets: { destroy(): void }[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    w?.detach();
    w = undefined;
    await t?.close();
    t = undefined;
  });

  async function setup(config: Record<string, unknown> = {}) {
    t = makeBackend();
    w = new LogWatcher(t.backend);
    const s = await openSession(t, { kind: 'tcp-server', host: '127.0.0.1', port: 0, ...config } as never);
    return { t, w, s, sid: s.sessionId, port: s.local?.port ?? 0 };
  }
  async function client(port: number) {
    const c = await connect(port);
    sockets.push(c);
    return c;
  }
  const rxRows = (w: LogWatcher, sid: string) => w.tailRows(sid).filter((r) => r.dir === 'rx');

  it('log.clear starts every view after the current end; exports still hold everything', async () => {
    const { t, w, sid, port } = await setup({ framing: lines });
    const c = await client(port);
    c.write('one\ntwo\n');
    await w.untilRows(sid, (rows) => textsOf(rows).length === 2);
    const before = await call(w.handle, 'log.read', { sessionId: sid });
    const cleared = await w.call('log.clear', { sessionId: sid });
    expect(cleared).toEqual({ firstSeq: before.lastSeq + 1, lastSeq: before.lastSeq });
    // every kind of read is empty now, and the clients are told where views start
    expect((await w.call('log.read', { sessionId: sid })).rows).toEqual([]);
    expect((await w.call('log.read', { sessionId: sid, fromSeq: 1 })).rows).toEqual([]);
    expect((await w.call('log.read', { sessionId: sid, seqs: [1, 2, before.lastSeq] })).rows).toEqual([]);
    expect(await w.call('log.search', { sessionId: sid, filter: { query: 'o' } })).toMatchObject({ seqs: [], done: true });
    await w.until(() => w.tails(sid).find((e) => e.firstSeq === cleared.firstSeq), 5000, 'a tail with the new firstSeq');
    const listed = await w.call('session.list', {});
    expect(listed[0]?.log).toEqual(cleared);
    // new rows show; the record (exports) kept the old ones
    c.write('three\n');
    const after = await w.untilRows(sid, (rows) => textsOf(rows).length === 1);
    expect(after[0]?.seq).toBe(cleared.firstSeq);
    expect(textsOf(after)).toEqual(['three']);
    const start = await t.call('export.start', { sessionId: sid, format: 'jsonl' });
    expect(start.totalRecords).toBe(3);
    const end = (await exportDone(t, start.exportId)).export;
    const texts = readFileSync(end.path, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { text: string }).text);
    expect(texts).toEqual(['one', 'two', 'three']);
  });

  it('a GBK character split across two rows shows whole in the later row: read, read from that row, and live tail', async () => {
    const { w, sid, port } = await setup({ rxEncoding: 'gbk' });
    const c = await client(port);
    // 你好 in GBK is C4 E3 BA C3: the first write ends in the middle of 好
    c.write(Buffer.from('c4e3ba', 'hex'));
    const r1 = await w.until(() => rxRows(w, sid)[0], 5000, 'the first rx row in a tail');
    c.write(Buffer.from('c341', 'hex'));
    const r2 = await w.until(() => rxRows(w, sid)[1], 5000, 'the second rx row in a tail');
    expect([r1.text, r2.text]).toEqual(['你', '好A']);
    // the tail that carried the later row did not carry the earlier one: it decoded it as lookback
    const carrier = w.tails(sid).find((e) => e.rows.some((r) => r.seq === r2.seq));
    expect(carrier?.rows.some((r) => r.seq === r1.seq)).toBe(false);
    expect(textsOf(await w.read(sid))).toEqual(['你', '好A']);
    // reads that start at the later row decode the rows before it first
    const from = await w.call('log.read', { sessionId: sid, fromSeq: r2.seq, count: 1 });
    expect(from.rows.map((r) => r.text)).toEqual(['好A']);
    const exact = await w.call('log.read', { sessionId: sid, seqs: [r2.seq] });
    expect(exact.rows.map((r) => r.text)).toEqual(['好A']);
    const newest = await w.call('log.read', { sessionId: sid, count: 1 });
    expect(newest.rows.map((r) => [r.seq, r.text])).toEqual([[r2.seq, '好A']]);
    // never a replacement character, and the bytes are the bytes received
    expect(rowBytes(await w.read(sid)).toString('hex')).toBe('c4e3bac341');
  });

  it('UTF-8 characters (3 and 4 bytes) split across rows show whole in the later row', async () => {
    const { w, sid, port } = await setup();
    const c = await client(port);
    const parts = ['78e2', '82acf09f', '9880' + '79'];
    for (let i = 0; i < parts.length; i++) {
      c.write(Buffer.from(parts[i] as string, 'hex'));
      await w.until(() => rxRows(w, sid)[i], 5000, `rx row ${i + 1}`);
    }
    expect(rxRows(w, sid).map((r) => r.text)).toEqual(['x', '€', '😀y']);
    const rows = await w.read(sid);
    expect(textsOf(rows)).toEqual(['x', '€', '😀y']);
    const last = rowsAt(rows, 'rx', 2);
    expect((await w.call('log.read', { sessionId: sid, fromSeq: last, count: 1 })).rows[0]?.text).toBe('😀y');
    expect((await w.call('log.read', { sessionId: sid, seqs: [last] })).rows[0]?.text).toBe('😀y');
  });

  it('decodes each peer on its own: interleaved splits of two clients both show whole', async () => {
    const { w, sid, port } = await setup({ rxEncoding: 'gbk' });
    const a = await client(port);
    const b = await client(port);
    const steps: [typeof a, string][] = [
      [a, 'c4e3ba'], // 你 + half of 好
      [b, 'c4'], // half of 你
      [a, 'c3'],
      [b, 'e3'],
    ];
    for (let i = 0; i < steps.length; i++) {
      const [s, hex] = steps[i] as [typeof a, string];
      s.write(Buffer.from(hex, 'hex'));
      await w.until(() => rxRows(w, sid)[i], 5000, `rx row ${i + 1}`);
    }
    const rows = await w.read(sid);
    expect(textsOf(rows)).toEqual(['你', '', '好', '你']);
    const aSecond = rowsAt(rows, 'rx', 2);
    const bSecond = rowsAt(rows, 'rx', 3);
    expect((await w.call('log.read', { sessionId: sid, seqs: [aSecond, bSecond] })).rows.map((r) => r.text)).toEqual(['好', '你']);
    expect(rxRows(w, sid).map((r) => r.text)).toEqual(['你', '', '好', '你']);
  });

  it('a byte limit cuts messages, never the note of an info or error row (read and live tail)', async () => {
    const { t, w, sid, port } = await setup();
    const c = await client(port);
    c.write('abcdef');
    await w.untilRows(sid, (rows) => textsOf(rows).length === 1);
    // an error whose words are longer than a tail row's bytes
    const long = `Something failed: ${'x'.repeat(3000)}`;
    t.backend.records.onEvent({ type: 'error', ts: Date.now(), sessionId: sid, code: 'INTERNAL', message: long });
    const tailed = await w.until(() => w.tailRows(sid).find((r) => r.dir === 'error'), 5000, 'the error row in a tail');
    expect(tailed.note).toEqual({ kind: 'error', code: 'INTERNAL', message: long });
    expect(tailed.text).toBe(long);
    for (const byteLimit of [0, 2]) {
      const rows = (await w.call('log.read', { sessionId: sid, fromSeq: 1, count: 100, byteLimit })).rows;
      const rx = rows.find((r) => r.dir === 'rx');
      expect(rx).toMatchObject({ size: 6, text: 'abcdef'.slice(0, byteLimit) });
      expect(rx?.bytes?.length).toBe(byteLimit);
      const joined = rows.find((r) => r.note?.kind === 'peer.joined');
      expect(joined?.text).toBe(`127.0.0.1:${c.localPort} connected`);
      expect(rows.find((r) => r.dir === 'error')).toMatchObject({ size: 0, text: long, note: { kind: 'error', message: long } });
      expect(rows.filter((r) => r.dir === 'info').every((r) => r.note !== undefined && r.text !== '')).toBe(true);
    }
  });

  it('changing the session’s receive encoding re-decodes the rows already received', async () => {
    const { w, sid, port } = await setup();
    const c = await client(port);
    c.write(Buffer.from('c4e3bac3', 'hex')); // 你好 in GBK
    const utf8 = await w.untilRows(sid, (rows) => textsOf(rows).length === 1);
    expect(textsOf(utf8)[0]).toContain('\ufffd');
    const updated = await w.call('session.update', { sessionId: sid, options: { rxEncoding: 'gbk' } });
    expect(updated.config.rxEncoding).toBe('gbk');
    expect(textsOf(await w.read(sid))).toEqual(['你好']);
    const seq = rowsAt(utf8, 'rx', 0);
    expect((await w.call('log.read', { sessionId: sid, seqs: [seq] })).rows[0]?.text).toBe('你好');
  });

  it('log.search: text ignoring case, hex, directions, peer, paging with nextSeq/done, maxMatches', async () => {
    const { w, sid, port } = await setup({ framing: lines });
    const a = await client(port);
    const b = await client(port);
    await w.untilRows(sid, (rows) => rows.filter((r) => r.note?.kind === 'peer.joined').length === 2);
    a.write('Hello World\nfoo\n');
    await w.untilRows(sid, (rows) => textsOf(rows).length === 2);
    b.write(Buffer.concat([Buffer.from('hello from b\n'), Buffer.from([1, 2, 3, 0x68, 10])]));
    await w.untilRows(sid, (rows) => textsOf(rows).length === 4);
    a.write('HELLO again\n');
    await w.untilRows(sid, (rows) => textsOf(rows).length === 5);
    await w.call('session.send', { sessionId: sid, payload: { kind: 'text', text: 'hello tx' } });
    const rows = await w.untilRows(sid, (r) => textsOf(r, 'tx').length === 2);
    const seqOf = (text: string, dir: LogRow['dir'] = 'rx') => rows.filter((r) => r.dir === dir && r.text === text).map((r) => r.seq);
    const search = (filter: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      w!.call('log.search', { sessionId: sid, filter, budgetMs: 5000, ...extra });

    const hello = await search({ query: 'hELLo' });
    expect(hello).toMatchObject({ done: true, nextSeq: rows.at(-1)!.seq + 1, scanned: rows.length });
    expect(hello.seqs).toEqual([...seqOf('Hello World'), ...seqOf('hello from b'), ...seqOf('HELLO again'), ...seqOf('hello tx', 'tx')]);
    expect(hello.seqs).toHaveLength(5);
    // hex: a byte sequence inside a message
    expect((await search({ query: '02 03 68', mode: 'hex' })).seqs).toEqual(seqOf('\u0001\u0002\u0003h'));
    expect((await search({ query: '6f6f', mode: 'hex' })).seqs).toEqual(seqOf('foo'));
    // directions
    expect((await search({ query: 'hello', dirs: ['tx'] })).seqs).toEqual(seqOf('hello tx', 'tx'));
    const info = await search({ query: '', dirs: ['info'] });
    expect(info.seqs).toEqual(rows.filter((r) => r.dir === 'info').map((r) => r.seq));
    expect(info.seqs.length).toBeGreaterThanOrEqual(3); // listening, two peers joined
    expect((await search({ query: 'connected', dirs: ['info'] })).seqs).toHaveLength(2);
    // one peer: its rx, the tx to it and its note
    const peerA = `127.0.0.1:${a.localPort}`;
    const ofA = await search({ query: '', peer: peerA });
    expect(ofA.seqs).toEqual(rows.filter((r) => r.remote?.port === a.localPort).map((r) => r.seq));
    expect(ofA.seqs).toHaveLength(5); // joined, 3 rx, 1 tx
    expect((await search({ query: 'hello', dirs: ['rx'], peer: peerA })).seqs).toEqual([...seqOf('Hello World'), ...seqOf('HELLO again')]);
    expect((await search({ query: '', peer: '127.0.0.1:1' })).seqs).toEqual([]);
    // paging: one match a page, each page continues from nextSeq until done
    const paged: number[] = [];
    let page: LogSearchResult | undefined;
    let from: number | undefined;
    let pages = 0;
    do {
      page = await search({ query: 'hello' }, { maxMatches: 1, ...(from !== undefined ? { fromSeq: from } : {}) });
      paged.push(...page.seqs);
      expect(page.seqs.length).toBeLessThanOrEqual(1);
      if (!page.done) expect(page.nextSeq).toBe((page.seqs.at(-1) as number) + 1);
      from = page.nextSeq;
      pages++;
    } while (!page.done && pages < 20);
    expect(paged).toEqual(hello.seqs);
    expect(pages).toBeLessThanOrEqual(6);
    // maxMatches stops early and says so
    const two = await search({ query: 'hello' }, { maxMatches: 2 });
    expect(two).toMatchObject({ seqs: hello.seqs.slice(0, 2), done: false, nextSeq: (hello.seqs[1] as number) + 1 });
    // past the end there is nothing, and it is done
    expect(await search({ query: 'hello' }, { fromSeq: rows.at(-1)!.seq + 1 })).toMatchObject({ seqs: [], done: true });
    // a bad hex query names the field
    const bad = await w.handle('log.search', { sessionId: sid, filter: { query: '0G', mode: 'hex' } });
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(bad.ok ? '' : bad.message).toMatch(/^filter\.query: /);
    expect(await w.handle('log.search', { sessionId: 'nope', filter: {} })).toMatchObject({ ok: false, code: 'SESSION_NOT_FOUND' });
  });

  it('searching 200,000 rows keeps the event loop responsive', async () => {
    const { w, sid, port } = await setup({ framing: lines });
    const c = await client(port);
    const n = 200_000;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(`row ${String(i).padStart(6, '0')}\n`);
    c.write(parts.join(''));
    await rxMessagesReached(t!, sid, n, 60_000);
    const { lastSeq, firstSeq } = await w.call('log.read', { sessionId: sid, count: 1, byteLimit: 0 });
    expect(lastSeq - firstSeq + 1).toBeGreaterThanOrEqual(n);

    // The longest the event loop went without running a setImmediate callback while searching.
    // Other processes share this machine's CPUs: a gap is counted as the CPU time this process
    // used in it (never more than its wall time), so being descheduled does not count as blocking.
    let maxGap = 0;
    let maxWall = 0;
    let last = performance.now();
    let lastCpu = process.cpuUsage();
    let watching = true;
    const tick = () => {
      const now = performance.now();
      const cpu = process.cpuUsage(lastCpu);
      const wall = now - last;
      maxWall = Math.max(maxWall, wall);
      maxGap = Math.max(maxGap, Math.min(wall, (cpu.user + cpu.system) / 1000));
      last = now;
      lastCpu = process.cpuUsage();
      if (watching) setImmediate(tick);
    };
    setImmediate(tick);
    const searchAll = async (query: string) => {
      const seqs: number[] = [];
      let scanned = 0;
      let from: number | undefined;
      for (;;) {
        const r = await w.call('log.search', {
          sessionId: sid,
          filter: { query },
          maxMatches: 100_000,
          budgetMs: 5000,
          ...(from !== undefined ? { fromSeq: from } : {}),
        });
        seqs.push(...r.seqs);
        scanned += r.scanned;
        if (r.done) return { seqs, scanned };
        from = r.nextSeq;
      }
    };
    const none = await searchAll('no such text');
    const some = await searchAll('ROW 1999');
    watching = false;
    expect(none).toEqual({ seqs: [], scanned: lastSeq - firstSeq + 1 });
    expect(some.seqs).toHaveLength(100); // row 199900 … row 199999
    if (process.env['WB_DEBUG_GAP']) console.log(`event-loop gap while searching: ${maxGap.toFixed(1)} ms busy, ${maxWall.toFixed(1)} ms wall`);
    expect(maxGap).toBeLessThan(100);
  }, 60_000);

  it('with a 1 MiB limit drops the oldest segments, reports droppedRecords, and exports the newest', async () => {
    const { t, w, sid, port } = await setup({ framing: lines });
    expect(await t.call('spill.configure', { limitBytes: MiB })).toEqual({ limitBytes: MiB });
    const c = await client(port);
    const n = 3000;
    const pad = 'x'.repeat(1000);
    let all = '';
    for (let i = 0; i < n; i++) all += `${String(i).padStart(5, '0')} ${pad}\n`;
    c.write(all);
    await rxMessagesReached(t, sid, n);
    const start = await t.call('export.start', { sessionId: sid, format: 'jsonl' });
    expect(start.droppedRecords).toBeGreaterThan(0);
    expect(start.totalRecords + (start.droppedRecords ?? 0)).toBe(n);
    const end = (await exportDone(t, start.exportId)).export;
    expect(end).toMatchObject({ done: true, records: start.totalRecords });
    const rows = readFileSync(end.path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { text: string });
    // what is left is the newest part, contiguous up to the last message
    expect(rows.at(-1)?.text.slice(0, 5)).toBe(String(n - 1).padStart(5, '0'));
    expect(rows[0]?.text.slice(0, 5)).toBe(String(start.droppedRecords).padStart(5, '0'));
    // the log's views start where the record does, and say what the limit dropped
    const listed = (await t.call('session.list', {}))[0];
    expect(listed?.spill).toMatchObject({ limitBytes: MiB, droppedRecords: start.droppedRecords, records: start.totalRecords });
    const log = await w.read(sid);
    expect(log[0]?.seq).toBe(listed?.log?.firstSeq);
    expect(textsOf(log)[0]?.slice(0, 5)).toBe(String(start.droppedRecords).padStart(5, '0'));
    expect(textsOf(log)).toHaveLength(start.totalRecords);
    const spillDir = join(t.dataDir, 'spill');
    await poll(() => bytesOnDisk(spillDir) <= MiB, 5000, 'the record within its limit on disk');
  });

  it('deletes a session’s record when the session is removed, and all of them on dispose', async () => {
    t = makeBackend();
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
    const files = (): string[] => filesOf(spillDir);
    await poll(() => files().some((f) => f.startsWith(`${a.sessionId}-${process.pid}`)), 5000, 'a record file');
    await t.call('session.close', { sessionId: a.sessionId });
    await poll(() => !files().some((f) => f.startsWith(`${a.sessionId}-`)), 5000, 'the closed session’s record deleted');
    expect(files().some((f) => f.startsWith(`${b.sessionId}-`))).toBe(true);
    expect(await t.raw('log.read', { sessionId: a.sessionId })).toMatchObject({ ok: false, code: 'SESSION_NOT_FOUND' });
    await t.backend.dispose();
    expect(files()).toEqual([]);
  });
});

/** The seq of the `i`-th row in `dir` of `rows`. */
function rowsAt(rows: LogRow[], dir: LogRow['dir'], i: number): number {
  const r = rows.filter((x) => x.dir === dir)[i];
  if (!r) throw new Error(`no ${dir} row ${i}`);
  return r.seq;
}
