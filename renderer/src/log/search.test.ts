import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Endpoint, LogFilterInput } from '../../../shared/protocol';
import { FakeBridge, FakeLog } from '../stores/fake-bridge.test-util';
import { FIRST_PAGE, LogSearch, TAIL_PAGE_MS } from './search';

const A: Endpoint = { address: '127.0.0.1', port: 5000, family: 'IPv4' };
const B: Endpoint = { address: '::1', port: 6000, family: 'IPv6' };

function setup(n: number, scanPerCall = 100) {
  const bridge = new FakeBridge();
  const log = new FakeLog(bridge);
  log.scanPerCall = scanPerCall;
  for (let i = 1; i <= n; i++) log.append('s1', { dir: i % 2 ? 'rx' : 'tx', bytes: i % 10 === 0 ? `hit-${i}` : `row-${i}`, remote: i % 3 ? A : B });
  const changes = vi.fn();
  const make = (filter: LogFilterInput, maxKept?: number) =>
    new LogSearch('s1', filter, (a) => bridge.request('log.search', a), changes, maxKept);
  return { bridge, log, changes, make };
}

const until = async (cond: () => boolean, ms = 300) => {
  const end = Date.now() + ms;
  while (Date.now() < end && !cond()) await new Promise((r) => setTimeout(r, 1));
  expect(cond()).toBe(true);
};
const all = (s: LogSearch) => Array.from({ length: s.count }, (_, i) => s.seqAt(i));

describe('LogSearch', () => {
  afterEach(() => vi.useRealTimers());

  it('pages through the record in the engine until done: a quick first page, then the rest', async () => {
    const { bridge, make } = setup(1000);
    const s = make({ query: 'HIT', mode: 'text' });
    s.begin();
    await until(() => s.done);
    expect(all(s)).toEqual(Array.from({ length: 100 }, (_, i) => (i + 1) * 10));
    expect(s.scanned).toBe(1000);
    const calls = bridge.callsOf('log.search') as { fromSeq?: number; maxMatches: number; budgetMs: number }[];
    expect(calls.length).toBe(10);
    expect(calls[0]).toMatchObject({ maxMatches: FIRST_PAGE.maxMatches, budgetMs: FIRST_PAGE.budgetMs });
    expect(calls[0]!.fromSeq).toBeUndefined();
    expect(calls.slice(1).map((c) => c.fromSeq)).toEqual([101, 201, 301, 401, 501, 601, 701, 801, 901]);
  });

  it('sends directions and the peer as the engine compares them; counts matches up to a bound', async () => {
    const { make } = setup(30, 1000);
    const s = make({ query: '', mode: 'text', dirs: ['tx'], peer: '[::1]:6000' });
    s.begin();
    await until(() => s.done);
    expect(all(s)).toEqual([6, 12, 18, 24, 30]);
    expect(s.countUpTo(17)).toBe(2);
    expect(s.countUpTo(18)).toBe(3);
  });

  it('searches bytes in hex mode', async () => {
    const { make } = setup(30, 1000);
    const s = make({ query: '68 69 74 2D 32', mode: 'hex' }); // "hit-2"
    s.begin();
    await until(() => s.done);
    expect(all(s)).toEqual([20]);
  });

  it('follows a growing log with a new page from nextSeq, at most every TAIL_PAGE_MS', async () => {
    const { bridge, log, make } = setup(100, 1000);
    const s = make({ query: 'hit', mode: 'text' });
    s.begin();
    await until(() => s.done);
    const calls = () => bridge.callsOf('log.search').length;
    const before = calls();
    log.append('s1', { dir: 'rx', bytes: 'hit-new' });
    vi.useFakeTimers();
    s.poke(101);
    s.poke(101);
    await vi.advanceTimersByTimeAsync(TAIL_PAGE_MS);
    vi.useRealTimers();
    await until(() => s.count === 11);
    expect(calls()).toBe(before + 1);
    expect((bridge.callsOf('log.search').at(-1) as { fromSeq: number }).fromSeq).toBe(101);
    expect(s.seqAt(10)).toBe(101);
  });

  it('keeps at most maxKept matches and says it is capped', async () => {
    const { make } = setup(200, 1000);
    const s = make({ query: 'row', mode: 'text' }, 50);
    s.begin();
    await until(() => s.capped);
    expect(s.count).toBe(50);
    expect(s.done).toBe(false);
  });

  it('drops matches below the first seq; a stopped search ignores late answers', async () => {
    const { make } = setup(100, 1000);
    const s = make({ query: 'hit', mode: 'text' });
    s.begin();
    await until(() => s.done);
    expect(s.dropBelow(35)).toBe(3);
    expect(s.seqAt(0)).toBe(40);
    expect(s.dropped).toBe(3);
    const t = make({ query: 'hit', mode: 'text' });
    t.begin();
    t.stop();
    await new Promise((r) => setTimeout(r, 5));
    expect(t.count).toBe(0);
  });

  it('reports a failed page and retries when poked', async () => {
    const { bridge, log } = setup(10, 1000);
    let fail = true;
    const real = bridge.request.bind(bridge);
    const request = (a: Parameters<typeof real<'log.search'>>[1]) =>
      fail ? Promise.resolve({ ok: false as const, code: 'INTERNAL' as const, message: 'disk gone' }) : real('log.search', a);
    const s = new LogSearch('s1', { query: 'row', mode: 'text' }, request, () => {});
    s.begin();
    await until(() => s.error === 'disk gone');
    fail = false;
    log.append('s1', { dir: 'rx', bytes: 'row-11' });
    s.poke(11);
    await until(() => s.done, TAIL_PAGE_MS + 500);
    expect(s.error).toBeNull();
    expect(s.count).toBe(10); // row-1…row-9 (row 10 is "hit-10") and row-11
  });
});
