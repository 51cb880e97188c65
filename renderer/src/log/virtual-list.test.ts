import { describe, expect, it } from 'vitest';
import { RowHeights } from './row-heights';
import { MAX_CONTENT_PX, OVERSCAN, VirtualList, type Geometry } from './virtual-list';

/** A list whose row i is heights(i) px high, with a counter of how many heights were asked. */
function geometry(count: number, heightOf: (i: number) => number, o: { fixed?: boolean; estimate?: number; view?: number } = {}) {
  let asked = 0;
  const g: Geometry = {
    count,
    viewHeight: o.view ?? 400,
    heightOf: (i) => {
      asked++;
      return heightOf(i);
    },
    estimate: o.estimate ?? heightOf(0),
    fixed: o.fixed ?? false,
  };
  return { g, asked: () => asked, reset: () => (asked = 0) };
}

const visible = (placed: { index: number; top: number }[], st: number, view: number, h: (i: number) => number) =>
  placed.filter((p) => p.top + h(p.index) > st && p.top < st + view).map((p) => p.index);

describe('VirtualList, fixed rows', () => {
  it('maps the scroll position straight to rows', () => {
    const { g } = geometry(1000, () => 20, { fixed: true });
    const v = new VirtualList();
    expect(v.contentPx(g)).toBe(20_000);
    const placed = v.layout(g, 2000, false);
    expect(visible(placed, 2000, 400, () => 20)).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
    expect(placed.find((p) => p.index === 100)!.top).toBe(2000);
    expect(placed[0]!.index).toBe(100 - OVERSCAN);
  });

  it('scales ten million rows under the browser cap; both ends reachable', () => {
    const { g } = geometry(10_000_000, () => 24, { fixed: true });
    const v = new VirtualList();
    expect(v.contentPx(g)).toBe(MAX_CONTENT_PX);
    expect(v.layout(g, 0, false)[0]!.index).toBe(0);
    const end = v.layout(g, MAX_CONTENT_PX - 400, false);
    expect(end.at(-1)!.index).toBe(9_999_999);
    expect(end.at(-1)!.top + 24).toBeCloseTo(MAX_CONTENT_PX, 3);
  });
});

describe('VirtualList, wrapped rows', () => {
  const h = (i: number) => (i % 3 === 0 ? 60 : 20); // every third row wraps to three lines

  it('follows the newest rows: the last row sits at the bottom of the viewport', () => {
    const { g } = geometry(10_000, h, { estimate: 33 });
    const v = new VirtualList();
    const placed = v.layout(g, 0, true);
    const last = placed.at(-1)!;
    expect(last.index).toBe(9999);
    expect(last.top + h(9999)).toBe(400); // st 0 + view 400, since following places from the bottom
    // rows are contiguous
    for (let k = 1; k < placed.length; k++) expect(placed[k]!.top).toBe(placed[k - 1]!.top + h(placed[k - 1]!.index));
  });

  it('a small scroll moves the rows by exactly that many pixels through their real heights', () => {
    const { g } = geometry(10_000, h, { estimate: 33 });
    const v = new VirtualList();
    v.scrollToRow(g, 5001);
    const st0 = 5001 * 33;
    const a = v.layout(g, st0, false);
    const rowA = a.find((p) => p.index === 5002)!;
    const b = v.layout(g, st0 + 50, false);
    const rowB = b.find((p) => p.index === 5002)!;
    // in content px the row did not move; the viewport moved 50 px down
    expect(rowB.top).toBe(rowA.top);
    expect(v.topRow).toBe(5001); // row 5001 is 60 px high: still the top row after 50 px
    v.layout(g, st0 + 70, false);
    expect(v.topRow).toBe(5002);
    v.layout(g, st0 - 20, false); // back up past the top row
    expect(v.topRow).toBe(5000);
  });

  it('is O(visible): one layout asks for a bounded number of heights, however long the list', () => {
    for (const count of [100_000, 50_000_000]) {
      const { g, asked, reset } = geometry(count, h, { estimate: 33 });
      const v = new VirtualList();
      v.layout(g, 1_000_000, false);
      reset();
      v.layout(g, 1_000_100, false); // a wheel step (a jump when the list is scaled)
      expect(asked()).toBeLessThan(200);
      reset();
      v.layout(g, 2_500_000, false); // dragging the scrollbar
      expect(asked()).toBeLessThan(200);
    }
  });

  it('the top and the bottom of the scroll range are the first and the last row', () => {
    const { g } = geometry(10_000, h, { estimate: 25 }); // estimate off on purpose
    const v = new VirtualList();
    const content = v.contentPx(g);
    const bottom = v.layout(g, content - 400, false);
    expect(bottom.at(-1)!.index).toBe(9999);
    expect(bottom.at(-1)!.top + h(9999)).toBe(content);
    const top = v.layout(g, 0, false);
    expect(top[0]!.index).toBe(0);
    expect(top[0]!.top).toBe(0);
  });

  it('scrolling past the last row keeps it at the bottom instead of showing blank space', () => {
    const { g } = geometry(10_000, () => 100, { estimate: 20 }); // rows much taller than estimated
    const v = new VirtualList();
    const st = v.scrollToRow(g, 9998) - 10; // by the estimate the end is still far; by the real heights it is here
    const placed = v.layout(g, st, false);
    const last = placed.at(-1)!;
    expect(last.index).toBe(9999);
    expect(last.top + 100).toBe(st + 400);
  });

  it('a short list gets its exact height and starts at the top', () => {
    const { g } = geometry(3, h, { estimate: 33 });
    const v = new VirtualList();
    expect(v.contentPx(g)).toBe(100);
    const placed = v.layout(g, 0, true);
    expect(placed.map((p) => [p.index, p.top])).toEqual([[0, 0], [1, 60], [2, 80]]);
  });

  it('rows leaving the top keep the rows on screen in place', () => {
    const { g } = geometry(10_000, () => 30, { estimate: 30 });
    const v = new VirtualList();
    v.scrollToRow(g, 5000);
    v.layout(g, 150_000, false);
    expect(v.topRow).toBe(5000);
    const st = v.shift(g, 100, 150_000);
    expect(st).toBe(147_000);
    const placed = v.layout({ ...g, count: 9900 }, st, false);
    expect(v.topRow).toBe(4900);
    expect(placed.find((p) => p.index === 4900)!.top).toBe(st);
  });
});

describe('RowHeights', () => {
  it('keeps measured heights by seq, averages them, forgets them for a new layout', () => {
    const r = new RowHeights(24, 3);
    expect(r.estimate).toBe(24);
    expect(r.set(10, 40)).toBe(true);
    expect(r.set(10, 40.4)).toBe(false); // under a pixel: no change
    r.set(11, 20);
    expect(r.estimate).toBe(30);
    expect(r.of(10)).toBe(40);
    expect(r.of(99)).toBe(30);
    r.set(12, 30);
    r.set(13, 50); // over the bound: the oldest (10) goes
    expect(r.get(10)).toBeUndefined();
    expect(r.size).toBe(3);
    expect(r.estimate).toBeCloseTo((20 + 30 + 50) / 3);
    expect(r.setKey('w=800', 24)).toBe(true);
    expect(r.size).toBe(0);
    expect(r.setKey('w=800', 24)).toBe(false);
  });
});
