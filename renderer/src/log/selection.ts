/**
 * Which rows of a log view are selected, as sorted, disjoint seq ranges.
 * A range means "the rows of the current list with a seq in it", so the same
 * value serves the whole log and a filtered list, stays right when older rows
 * leave the top, and costs O(ranges) however many rows it covers (Ctrl+A on
 * ten million rows is one range). Pure functions over plain values: the view
 * keeps one in a shallowRef.
 */

export interface SeqRange {
  from: number;
  to: number;
}

export interface Selection {
  readonly ranges: readonly SeqRange[];
  /** where a shift-click range starts */
  readonly anchor: number | null;
}

/** The list a view shows: its rows in order, and where a seq falls. */
export interface ListIndex {
  count: number;
  seqAt(i: number): number | undefined;
  /** index of the first row with a seq ≥ `seq` (count when none) */
  indexOf(seq: number): number;
}

export const EMPTY_SELECTION: Selection = { ranges: [], anchor: null };

export function isSelected(sel: Selection, seq: number): boolean {
  for (const r of sel.ranges) {
    if (seq < r.from) return false;
    if (seq <= r.to) return true;
  }
  return false;
}

/** Sorted, merged (touching ranges join). */
function normalize(ranges: SeqRange[]): SeqRange[] {
  const sorted = ranges.filter((r) => r.from <= r.to).sort((a, b) => a.from - b.from);
  const out: SeqRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

function without(ranges: readonly SeqRange[], seq: number): SeqRange[] {
  const out: SeqRange[] = [];
  for (const r of ranges) {
    if (seq < r.from || seq > r.to) out.push({ ...r });
    else {
      if (r.from < seq) out.push({ from: r.from, to: seq - 1 });
      if (seq < r.to) out.push({ from: seq + 1, to: r.to });
    }
  }
  return out;
}

/**
 * A click on a row's selection area: alone it selects just that row (or
 * clears it, when it was the only one); with `toggle` (Ctrl/⌘) it adds or
 * removes the row; with `shift` it selects from the anchor to the row (added
 * to the rest with `toggle` too).
 */
export function clickRow(sel: Selection, seq: number, mods: { shift?: boolean; toggle?: boolean } = {}): Selection {
  if (mods.shift && sel.anchor !== null) {
    const range = { from: Math.min(sel.anchor, seq), to: Math.max(sel.anchor, seq) };
    return { ranges: normalize(mods.toggle ? [...sel.ranges, range] : [range]), anchor: sel.anchor };
  }
  if (mods.toggle) {
    const ranges = isSelected(sel, seq) ? without(sel.ranges, seq) : normalize([...sel.ranges, { from: seq, to: seq }]);
    return { ranges, anchor: seq };
  }
  const only = sel.ranges.length === 1 && sel.ranges[0]!.from === seq && sel.ranges[0]!.to === seq;
  return only ? EMPTY_SELECTION : { ranges: [{ from: seq, to: seq }], anchor: seq };
}

/** Every row of the list (Ctrl+A). */
export function selectAll(list: ListIndex): Selection {
  if (list.count === 0) return EMPTY_SELECTION;
  const from = list.seqAt(0) as number;
  return { ranges: [{ from, to: list.seqAt(list.count - 1) as number }], anchor: from };
}

/** Forget rows below `firstSeq` (cleared, or dropped by the record's limit). */
export function dropBelow(sel: Selection, firstSeq: number): Selection {
  if (sel.ranges.length === 0 || (sel.ranges[0] as SeqRange).from >= firstSeq) return sel;
  const ranges = sel.ranges.filter((r) => r.to >= firstSeq).map((r) => ({ from: Math.max(r.from, firstSeq), to: r.to }));
  return { ranges, anchor: sel.anchor !== null && sel.anchor < firstSeq ? null : sel.anchor };
}

/** How many rows of the list are selected: O(ranges · log n). */
export function countSelected(sel: Selection, list: ListIndex): number {
  let n = 0;
  for (const r of sel.ranges) n += Math.max(0, list.indexOf(r.to + 1) - list.indexOf(r.from));
  return n;
}

/** The selected seqs in list order; null when there are more than `max`. */
export function selectedSeqs(sel: Selection, list: ListIndex, max: number): number[] | null {
  if (countSelected(sel, list) > max) return null;
  const out: number[] = [];
  for (const r of sel.ranges) {
    for (let i = list.indexOf(r.from); i < list.count; i++) {
      const s = list.seqAt(i) as number;
      if (s > r.to) break;
      out.push(s);
    }
  }
  return out;
}
