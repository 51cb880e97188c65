import { describe, expect, it } from 'vitest';
import { RowCache, rowCost } from './row-cache';
import type { LogRow } from './types';

const row = (seq: number, n = 100): LogRow => ({ seq, ts: seq, dir: 'rx', size: n, bytes: new Uint8Array(n), text: 'x'.repeat(n) });
const seqsOf = (c: RowCache, id: string, from: number, to: number) => {
  const out: number[] = [];
  for (let s = from; s <= to; s++) if (c.has(id, s)) out.push(s);
  return out;
};

describe('RowCache', () => {
  it('counts a row as its bytes, two bytes per text character and an overhead', () => {
    expect(rowCost(row(1, 100))).toBe(100 + 200 + 100);
    expect(rowCost({ seq: 1, ts: 1, dir: 'info', size: 0, text: 'abc' })).toBe(6 + 100);
    const c = new RowCache(1e9);
    c.put('s1', [row(1), row(2)]);
    expect(c.bytes).toBe(2 * 400);
    c.put('s1', [row(2, 10)]); // replaced, not added
    expect(c.bytes).toBe(400 + rowCost(row(2, 10)));
    expect(c.get('s1', 2)?.size).toBe(10);
  });

  it('stays under its byte cap: evicts the rows farthest from the visible window first, down to 3/4', () => {
    const c = new RowCache(100 * 400);
    c.setWindow('s1', 500, 510);
    c.put('s1', Array.from({ length: 60 }, (_, i) => row(471 + i))); // 471…530
    c.put('s1', Array.from({ length: 60 }, (_, i) => row(531 + i))); // 531…590: over the cap
    expect(c.bytes).toBeLessThanOrEqual(75 * 400);
    // the window and its neighbours stay; the far end went first
    expect(seqsOf(c, 's1', 500, 510)).toHaveLength(11);
    expect(c.has('s1', 590)).toBe(false);
    expect(c.has('s1', 471)).toBe(true);
  });

  it('evicts the least recently viewed session first; a session never viewed keeps its newest rows', () => {
    const c = new RowCache(100 * 400);
    c.put('bg', Array.from({ length: 50 }, (_, i) => row(i + 1)));
    c.setWindow('fg', 1, 10);
    c.put('fg', Array.from({ length: 40 }, (_, i) => row(i + 1)));
    c.put('fg', Array.from({ length: 20 }, (_, i) => row(41 + i))); // over: 110 rows
    expect(c.size('fg')).toBe(60);
    expect(c.size('bg')).toBe(15);
    expect(seqsOf(c, 'bg', 1, 50)).toEqual(Array.from({ length: 15 }, (_, i) => 36 + i));
  });

  it('drops rows below a first seq, a whole session, or only its rows', () => {
    const c = new RowCache(1e9);
    c.put('s1', [row(1), row(2), row(3)]);
    c.put('s2', [row(1)]);
    c.dropBelow('s1', 3);
    expect(seqsOf(c, 's1', 1, 3)).toEqual([3]);
    expect(c.bytes).toBe(2 * 400);
    c.clearSession('s1');
    expect(c.size('s1')).toBe(0);
    c.dropSession('s2');
    expect(c.bytes).toBe(0);
  });
});
