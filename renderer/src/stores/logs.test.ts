import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { LOG_ROW_BYTES_MAX, zeroCounters } from '../../../shared/protocol';
import type { Counters, Endpoint, NetEvent, SessionInfo } from '../../../shared/protocol';
import { FakeBridge, FakeLog } from './fake-bridge.test-util';
import { useBridgeStore } from './bridge';
import { FOLLOW_MAX_WAIT_MS } from '../log/fetcher';
import { OPEN_ROWS, useLogStore } from './logs';
import { WRAP_ROW_BYTES } from '../log/full-rows';
import { sessionInfo } from './session-info.test-util';

const A: Endpoint = { address: '127.0.0.1', port: 5000, family: 'IPv4' };
const B: Endpoint = { address: '::1', port: 6000, family: 'IPv6' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 1000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end && !cond()) await sleep(2);
  expect(cond()).toBe(true);
}

function info(sessionId: string, extra: Partial<SessionInfo> = {}, rxEncoding: 'utf-8' | 'gbk' = 'utf-8'): SessionInfo {
  return sessionInfo({ kind: 'tcp-server', port: 0, rxEncoding }, { sessionId, createdAt: 1, ...extra });
}
const counters = (sessionId: string, rx: number, tx = 0): NetEvent => ({
  type: 'counters',
  ts: 1,
  sessionId,
  counters: { ...zeroCounters(), rxMessages: rx, txMessages: tx } as Counters,
  peers: {},
});

function setup() {
  const bridge = new FakeBridge();
  const record = new FakeLog(bridge);
  useBridgeStore().attach(bridge);
  const logs = useLogStore();
  // the log store knows a session from session.opened (or a re-sync)
  logs.apply([
    { type: 'session.opened', ts: 1, sessionId: 's1', info: info('s1') },
    { type: 'session.opened', ts: 1, sessionId: 's2', info: info('s2') },
  ]);
  const reads = () => bridge.callsOf('log.read') as { fromSeq?: number; seqs?: number[]; count?: number; byteLimit?: number }[];
  /** rx rows "m1", "m2", … in the fake record */
  const fill = (id: string, n: number, remote = A) => {
    const base = record.bounds(id).lastSeq;
    return record.append(id, ...Array.from({ length: n }, (_, i) => ({ dir: 'rx' as const, bytes: `m${base + i + 1}`, remote })));
  };
  return { bridge, record, logs, reads, fill };
}
const texts = (id: string, from: number, to: number) => {
  const logs = useLogStore();
  const out: (string | undefined)[] = [];
  for (let s = from; s <= to; s++) out.push(logs.row(id, s)?.text);
  return out;
};

describe('useLogStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('takes rows and bounds from log.tail events; counts skipped rows; notes peers', () => {
    const { record, logs, fill } = setup();
    fill('s1', 3);
    record.append('s1', { dir: 'tx', bytes: 'ping', remote: B });
    logs.apply([record.tail('s1')]);
    expect(logs.bounds('s1')).toEqual({ firstSeq: 1, lastSeq: 4 });
    expect(texts('s1', 1, 4)).toEqual(['m1', 'm2', 'm3', 'ping']);
    expect(logs.row('s1', 4)?.dir).toBe('tx');
    expect(logs.peersOf('s1')).toEqual(['127.0.0.1:5000', '[::1]:6000']);
    fill('s1', 100);
    logs.apply([record.tail('s1', 64)]);
    expect(logs.bounds('s1').lastSeq).toBe(104);
    expect(logs.skipped('s1')).toBe(36);
    expect(logs.row('s1', 40)).toBeUndefined(); // skipped: in the record, not here
    expect(logs.row('s1', 41)?.text).toBe('m41');
  });

  it('keeps the bytes a tail row holds (at most 1024) and its full size', () => {
    const { record, logs } = setup();
    record.append('s1', { dir: 'rx', bytes: new Uint8Array(5000).fill(65) });
    logs.apply([record.tail('s1')]);
    const row = logs.row('s1', 1)!;
    expect(row.size).toBe(5000);
    expect(row.bytes!.length).toBe(1024);
  });

  it('bumps the version at most once per frame and at once on flush', async () => {
    const { record, logs, fill } = setup();
    const v0 = logs.version('s1');
    fill('s1', 1);
    logs.apply([record.tail('s1')]);
    fill('s1', 1);
    logs.apply([record.tail('s1')]);
    expect(logs.version('s1')).toBe(v0);
    logs.flush();
    expect(logs.version('s1')).toBe(v0 + 1);
    fill('s1', 1);
    logs.apply([record.tail('s1')]);
    await sleep(40);
    expect(logs.version('s1')).toBe(v0 + 2);
  });

  it('after a re-sync each view opens at the tail: bounds from SessionInfo.log and one log.read without fromSeq', async () => {
    const { record, logs, reads, fill } = setup();
    fill('s1', 500);
    logs.apply([record.tail('s1', 10)]);
    await logs.reset([info('s1', { log: record.bounds('s1') }), info('s2', { log: { firstSeq: 1, lastSeq: 0 } })]);
    expect(reads()).toEqual([
      { sessionId: 's1', count: OPEN_ROWS },
      { sessionId: 's2', count: OPEN_ROWS },
    ]);
    expect(logs.bounds('s1')).toEqual({ firstSeq: 1, lastSeq: 500 });
    expect(texts('s1', 500 - OPEN_ROWS + 1, 500).every((t, i) => t === `m${500 - OPEN_ROWS + 1 + i}`)).toBe(true);
    expect(logs.row('s1', 500 - OPEN_ROWS)).toBeUndefined();
  });

  it('reads the rows a view wants and lacks: debounced, one request in flight, the latest want next', async () => {
    const { record, logs, reads, fill } = setup();
    fill('s1', 1000);
    logs.apply([record.tail('s1', 10)]);
    record.holdReads = true;
    logs.want('s1', { from: 100, to: 110 }, { kind: 'range', from: 90, to: 120 }, false);
    logs.want('s1', { from: 101, to: 111 }, { kind: 'range', from: 91, to: 121 }, false); // same burst: one request
    await until(() => reads().length === 1);
    expect(reads()[0]).toEqual({ sessionId: 's1', fromSeq: 91, count: 31 });
    // the user scrolls on while the first request is out: nothing more goes out yet
    logs.want('s1', { from: 500, to: 510 }, { kind: 'range', from: 490, to: 520 }, false);
    logs.want('s1', { from: 600, to: 610 }, { kind: 'range', from: 590, to: 620 }, false);
    await sleep(60);
    expect(reads()).toHaveLength(1);
    record.holdReads = false;
    record.releaseReads();
    await until(() => reads().length === 2);
    expect(reads()[1]).toEqual({ sessionId: 's1', fromSeq: 590, count: 31 });
    await until(() => logs.row('s1', 620) !== undefined);
    expect(texts('s1', 590, 592)).toEqual(['m590', 'm591', 'm592']);
    // all cached: no request
    logs.want('s1', { from: 595, to: 600 }, { kind: 'range', from: 592, to: 610 }, false);
    await sleep(60);
    expect(reads()).toHaveLength(2);
  });

  it('following: no request while the tail brings the rows on screen; rows it lacks are read even while the tail keeps moving', async () => {
    const { record, logs, reads, fill } = setup();
    fill('s1', 100);
    logs.apply([record.tail('s1')]); // 37…100
    for (let i = 0; i < 10; i++) {
      fill('s1', 3);
      logs.apply([record.tail('s1')]);
      const { lastSeq } = logs.bounds('s1');
      logs.want('s1', { from: lastSeq - 20, to: lastSeq }, { kind: 'range', from: lastSeq - 20, to: lastSeq }, true);
      await sleep(20);
    }
    expect(reads()).toHaveLength(0);
    // a view taller than the tail: the top rows are missing; the want moves every 20 ms, yet they are read
    const t0 = Date.now();
    for (let i = 0; i < 40 && reads().length === 0; i++) {
      fill('s1', 3);
      logs.apply([record.tail('s1')]);
      const { lastSeq } = logs.bounds('s1');
      logs.want('s1', { from: 1, to: lastSeq }, { kind: 'range', from: 1, to: lastSeq }, true); // 1…36 never came with a tail
      await sleep(20);
    }
    expect(reads()).toHaveLength(1);
    expect(reads()[0]).toMatchObject({ fromSeq: 1, count: 36 });
    expect(Date.now() - t0).toBeLessThan(FOLLOW_MAX_WAIT_MS + 200);
  });

  it('reads only the missing part, follows a 4 MiB-capped answer with the rest, and never loops on rows that are gone', async () => {
    const { record, logs, reads, fill } = setup();
    fill('s1', 300);
    logs.apply([record.tail('s1', 50)]); // 251…300 cached
    record.answerLimitBytes = 1; // one row per answer
    logs.want('s1', { from: 245, to: 260 }, { kind: 'range', from: 245, to: 260 }, false);
    await until(() => logs.row('s1', 250) !== undefined);
    expect(reads().map((r) => r.fromSeq)).toEqual([245, 246, 247, 248, 249, 250]);
    expect(reads()[0]!.count).toBe(6);
    // rows the engine no longer has (its size limit moved past them): asked once, then left alone
    record.answerLimitBytes = 4 * 1024 * 1024;
    const n = reads().length;
    record['logs'].get('s1')!.firstSeq = 200; // the record dropped 1…199, the view does not know yet
    logs.want('s1', { from: 100, to: 110 }, { kind: 'range', from: 100, to: 110 }, false);
    await sleep(100);
    expect(reads().length).toBe(n + 1);
    expect(logs.bounds('s1').firstSeq).toBe(200); // …but the answer's bounds say so
  });

  it('reads the exact seqs of a filtered view', async () => {
    const { record, logs, reads, fill } = setup();
    fill('s1', 100);
    logs.apply([record.tail('s1', 1)]);
    logs.want('s1', { from: 10, to: 50 }, { kind: 'seqs', seqs: [10, 20, 30, 40, 50, 100] }, false);
    await until(() => logs.row('s1', 50) !== undefined);
    expect(reads()).toEqual([{ sessionId: 's1', seqs: [10, 20, 30, 40, 50], count: 5 }]);
    expect(texts('s1', 10, 10)).toEqual(['m10']);
  });

  it('a change of the receive encoding drops the cached rows and reads the window again, decoded the new way', async () => {
    const { record, logs, reads, fill } = setup();
    fill('s1', 20);
    logs.apply([record.tail('s1')]);
    logs.want('s1', { from: 1, to: 20 }, { kind: 'range', from: 1, to: 20 }, false);
    await sleep(60);
    expect(reads()).toHaveLength(0);
    record.decode = (b) => new TextDecoder().decode(b).toUpperCase();
    logs.apply([{ type: 'session.updated', ts: 2, sessionId: 's1', info: info('s1', { log: record.bounds('s1') }, 'gbk') }]);
    expect(logs.row('s1', 5)).toBeUndefined();
    await until(() => logs.row('s1', 20) !== undefined);
    expect(reads()).toEqual([{ sessionId: 's1', fromSeq: 1, count: 20 }]);
    expect(texts('s1', 1, 2)).toEqual(['M1', 'M2']);
  });

  it('drops an answer made before the cache was invalidated', async () => {
    const { record, logs, fill } = setup();
    fill('s1', 20);
    logs.apply([record.tail('s1', 1)]);
    record.holdReads = true;
    logs.want('s1', { from: 1, to: 10 }, { kind: 'range', from: 1, to: 10 }, false);
    await sleep(50);
    record.decode = (b) => `new:${new TextDecoder().decode(b)}`;
    logs.apply([{ type: 'session.updated', ts: 2, sessionId: 's1', info: info('s1', {}, 'gbk') }]);
    record.holdReads = false;
    record.releaseReads(); // decoded the new way already, but asked for before the change: dropped, read again
    await until(() => logs.row('s1', 1) !== undefined);
    expect(logs.row('s1', 1)!.text).toBe('new:m1');
  });

  it('clear asks the engine (log.clear): the view starts after the last row', async () => {
    const { bridge, record, logs, fill } = setup();
    fill('s1', 10);
    logs.apply([record.tail('s1')]);
    logs.setPaused('s1', true);
    expect(await logs.clear('s1')).toBe(true);
    expect(bridge.callsOf('log.clear')).toEqual([{ sessionId: 's1' }]);
    expect(logs.bounds('s1')).toEqual({ firstSeq: 11, lastSeq: 10 });
    expect(logs.row('s1', 10)).toBeUndefined();
    expect(logs.pausedAt('s1')).toBe(10);
    fill('s1', 2);
    logs.apply([record.tail('s1')]);
    expect(texts('s1', 11, 12)).toEqual(['m11', 'm12']);
  });

  it('the details row is read whole (up to 16 MiB), not from the cache', async () => {
    const { record, logs, reads } = setup();
    record.append('s1', { dir: 'rx', bytes: new Uint8Array(3000).fill(66) });
    logs.apply([record.tail('s1')]);
    const r = await logs.fullRow('s1', 1);
    expect(r.ok && r.data?.bytes?.length).toBe(3000);
    expect(reads()).toEqual([{ sessionId: 's1', seqs: [1], count: 1, byteLimit: LOG_ROW_BYTES_MAX }]);
    expect(logs.row('s1', 1)!.bytes!.length).toBe(1024);
  });

  it('shows the engine pausing reads; session.removed forgets everything', () => {
    const { record, logs, fill } = setup();
    fill('s1', 2);
    logs.apply([record.tail('s1'), { type: 'session.readPaused', ts: 1, sessionId: 's1', paused: true }]);
    expect(logs.readPaused('s1')).toBe(true);
    logs.apply([{ type: 'session.readPaused', ts: 2, sessionId: 's1', paused: false }]);
    expect(logs.readPaused('s1')).toBe(false);
    logs.apply([{ type: 'session.removed', ts: 3, sessionId: 's1' }]);
    expect(logs.row('s1', 1)).toBeUndefined();
    fill('s1', 1);
    logs.apply([record.tail('s1')]); // a late tail of the removed session: dropped
    expect(logs.row('s1', 3)).toBeUndefined();
    expect(logs.bounds('s1')).toEqual({ firstSeq: 1, lastSeq: 0 });
    expect(logs.cache.bytes).toBe(0);
  });

  it('counts unread messages of inactive sessions from the counters, reset on activation', () => {
    const { logs } = setup();
    logs.setActive('s1');
    logs.apply([counters('s1', 5), counters('s2', 2, 1)]);
    expect(logs.unread('s1')).toBe(0);
    expect(logs.unread('s2')).toBe(3);
    logs.apply([counters('s2', 4, 1)]);
    expect(logs.unread('s2')).toBe(5);
    logs.setActive('s2');
    expect(logs.unread('s2')).toBe(0);
    logs.apply([counters('s1', 6)]);
    expect(logs.unread('s1')).toBe(1);
    logs.apply([counters('s1', 0)]); // counters reset
    expect(logs.unread('s1')).toBe(0);
  });

  it('pause freezes the bound at the last seq while rows keep arriving', () => {
    const { record, logs, fill } = setup();
    fill('s1', 2);
    logs.apply([record.tail('s1')]);
    logs.setPaused('s1', true);
    fill('s1', 1);
    logs.apply([record.tail('s1')]);
    expect(logs.pausedAt('s1')).toBe(2);
    expect(logs.bounds('s1').lastSeq).toBe(3);
    logs.setPaused('s1', false);
    expect(logs.pausedAt('s1')).toBeNull();
  });

  it('memory does not grow with the bytes received: the cache stays under its byte cap', () => {
    const { record, logs } = setup();
    const payload = new Uint8Array(1000).fill(97);
    for (let batch = 0; batch < 400; batch++) {
      record.append('s1', ...Array.from({ length: 64 }, () => ({ dir: 'rx' as const, bytes: payload, remote: A })));
      logs.apply([record.tail('s1')]);
    }
    expect(logs.bounds('s1').lastSeq).toBe(400 * 64);
    expect(logs.cache.bytes).toBeLessThanOrEqual(logs.cache.capacity);
    expect(logs.row('s1', 400 * 64)).toBeDefined(); // the newest rows stay
    expect(logs.row('s1', 1)).toBeUndefined();
  });

  it('wrapped rows on screen are read again with up to 64 KiB, once, and never go back to their first bytes', async () => {
    const { record, logs, reads } = setup();
    record.append('s1', { dir: 'rx', bytes: new Uint8Array(3000).fill(67) }, { dir: 'rx', bytes: new Uint8Array(100_000).fill(68) });
    logs.apply([record.tail('s1')]);
    expect(logs.row('s1', 1)!.bytes!.length).toBe(1024);
    logs.wantFull('s1', [1, 2]);
    logs.wantFull('s1', [1, 2]); // the same want again: one read
    await until(() => (logs.row('s1', 2)?.bytes?.length ?? 0) > 1024);
    expect(logs.row('s1', 1)!.bytes!.length).toBe(3000);
    expect(logs.row('s1', 2)!.bytes!.length).toBe(WRAP_ROW_BYTES);
    expect(logs.row('s1', 2)!.size).toBe(100_000);
    expect(reads()).toEqual([{ sessionId: 's1', seqs: [1, 2], count: 2, byteLimit: WRAP_ROW_BYTES }]);
    // a tail or read carrying the first 1024 bytes again does not replace the whole row
    logs.apply([{ ...record.tail('s1'), rows: [{ ...logs.row('s1', 1)!, bytes: new Uint8Array(1024) }] }]);
    expect(logs.row('s1', 1)!.bytes!.length).toBe(3000);
    logs.wantFull('s1', [1, 2]);
    await sleep(60);
    expect(reads()).toHaveLength(1);
  });

  it('keeps a display mode per view', () => {
    const { logs } = setup();
    expect(logs.mode('s1')).toBe('both');
    logs.setMode('s1', 'hex');
    expect(logs.mode('s1')).toBe('hex');
    expect(logs.mode('s2')).toBe('both');
    expect(logs.wrap('s1')).toBe(false);
    logs.setWrap('s1', true);
    expect(logs.wrap('s1')).toBe(true);
    expect(logs.wrap('s2')).toBe(false);
  });
});
