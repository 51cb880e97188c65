import { describe, expect, it } from 'vitest';
import { clickRow, countSelected, dropBelow, EMPTY_SELECTION, isSelected, selectAll, selectedSeqs, type ListIndex } from './selection';

/** A list of the given seqs (ascending). */
function list(seqs: number[]): ListIndex {
  return {
    count: seqs.length,
    seqAt: (i) => seqs[i],
    indexOf: (seq) => {
      const i = seqs.findIndex((s) => s >= seq);
      return i < 0 ? seqs.length : i;
    },
  };
}

describe('row selection', () => {
  it('click selects one row, a second click on it clears; ctrl toggles; shift extends from the anchor', () => {
    let s = clickRow(EMPTY_SELECTION, 5);
    expect(s.ranges).toEqual([{ from: 5, to: 5 }]);
    expect(clickRow(s, 5).ranges).toEqual([]);
    s = clickRow(s, 9, { toggle: true });
    expect(s.ranges).toEqual([{ from: 5, to: 5 }, { from: 9, to: 9 }]);
    s = clickRow(s, 12, { shift: true }); // anchor 9 → 9…12, replacing the rest
    expect(s.ranges).toEqual([{ from: 9, to: 12 }]);
    s = clickRow(s, 10, { toggle: true }); // punch a hole
    expect(s.ranges).toEqual([{ from: 9, to: 9 }, { from: 11, to: 12 }]);
    expect(isSelected(s, 10)).toBe(false);
    expect(isSelected(s, 11)).toBe(true);
    s = clickRow(s, 3, { shift: true, toggle: true }); // ctrl+shift adds 3…10
    expect(s.ranges).toEqual([{ from: 3, to: 12 }]);
  });

  it('counts and lists the selected rows of a filtered list by seq ranges', () => {
    const l = list([2, 4, 6, 8, 10, 12]);
    let s = clickRow(EMPTY_SELECTION, 4);
    s = clickRow(s, 10, { shift: true });
    expect(countSelected(s, l)).toBe(4);
    expect(selectedSeqs(s, l, 100)).toEqual([4, 6, 8, 10]);
    expect(selectedSeqs(s, l, 3)).toBeNull();
    const all = selectAll(l);
    expect(countSelected(all, l)).toBe(6);
    expect(selectedSeqs(all, l, 10)).toEqual([2, 4, 6, 8, 10, 12]);
  });

  it('Ctrl+A on ten million rows is one range, counted without walking them', () => {
    const n = 10_000_000;
    const big: ListIndex = { count: n, seqAt: (i) => (i >= 0 && i < n ? i + 1 : undefined), indexOf: (seq) => Math.min(n, Math.max(0, seq - 1)) };
    const s = selectAll(big);
    expect(s.ranges).toEqual([{ from: 1, to: n }]);
    expect(countSelected(s, big)).toBe(n);
    expect(selectedSeqs(s, big, 100_000)).toBeNull();
  });

  it('rows leaving the top leave the selection', () => {
    let s = clickRow(EMPTY_SELECTION, 3);
    s = clickRow(s, 8, { shift: true });
    s = dropBelow(s, 6);
    expect(s.ranges).toEqual([{ from: 6, to: 8 }]);
    expect(s.anchor).toBeNull();
    expect(dropBelow(s, 20).ranges).toEqual([]);
  });
});
