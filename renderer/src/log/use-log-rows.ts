/**
 * The log view's row model: a virtual list over the seqs `firstSeq…bound`
 * of a session (bound = lastSeq, or the seq at pause), or over the matching
 * seqs of a search. Per update it touches only the visible rows (O(screen),
 * never O(rows)); rows come from the log store's cache, and those it lacks
 * are asked for (`logs.want`) and shown as placeholders until they arrive.
 *
 * Rows have one fixed height, or with word wrap the height their content
 * takes: each row on screen is measured after it is drawn and its height
 * kept by seq (RowHeights); rows never drawn count as the average. Where the
 * rows go is VirtualList's job (log/virtual-list.ts): exact positions for
 * fixed rows, an anchor row for wrapped ones.
 *
 * Following (auto-scroll) shows the newest rows, which the `log.tail` events
 * bring: it asks only for visible rows the tail skipped, and only once the
 * tail has been still for a moment. Scrolling back asks for the visible rows
 * plus FETCH_AHEAD rows on either side.
 */
import { computed, nextTick, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { LOG_READ_MAX_ROWS } from '../../../shared/protocol';
import { useLogStore } from '../stores/logs';
import type { Want } from './fetcher';
import { RowHeights } from './row-heights';
import type { LogSearch } from './search';
import type { ListIndex } from './selection';
import type { LogRow } from './types';
import { VirtualList, type Geometry } from './virtual-list';

export { MAX_CONTENT_PX } from './virtual-list';
/** rows read beyond the visible ones when scrolling back */
export const FETCH_AHEAD = 100;

export interface VisibleRow {
  /** row index in the (filtered) list, 0-based */
  index: number;
  /** px from the top of the content box */
  top: number;
  seq: number;
  /** undefined while it is being read */
  row: LogRow | undefined;
}

export interface LogRowsOptions {
  sessionId: Ref<string>;
  /** the store's version for this session; changes when rows or bounds change */
  version: Ref<number>;
  /** newest seq the view may show (the pause snapshot), or null for live */
  pausedAt: Ref<number | null>;
  /** the active search, or null for every row */
  search: ShallowRef<LogSearch | null>;
  /** bumped when the search found more */
  searchTick: Ref<number>;
  /** the height of an unwrapped row (and the first guess for a wrapped one) */
  rowHeight: Ref<number>;
  /** rows wrap to their content's height */
  wrap: Ref<boolean>;
  /** what a wrapped row's height depends on besides its content (mode, columns); a change measures again */
  layoutKey: Ref<string>;
  scrollEl: Ref<HTMLElement | null>;
}

export function useLogRows(o: LogRowsOptions) {
  const logs = useLogStore();
  const scrollTop = ref(0);
  const viewHeight = ref(400);
  const viewWidth = ref(0);
  /** auto-scroll: follow the newest row until the user scrolls up */
  const follow = ref(true);
  const list = new VirtualList();
  const heights = new RowHeights(o.rowHeight.value);
  /** bumped when measured heights changed */
  const heightsTick = ref(0);

  const bounds = computed(() => {
    void o.version.value;
    return logs.bounds(o.sessionId.value);
  });
  const bound = computed(() => Math.min(o.pausedAt.value ?? Number.POSITIVE_INFINITY, bounds.value.lastSeq));

  const rowCount = computed(() => {
    void o.searchTick.value;
    const s = o.search.value;
    if (s) return s.countUpTo(bound.value);
    return Math.max(0, bound.value - bounds.value.firstSeq + 1);
  });

  function seqAt(i: number): number | undefined {
    const s = o.search.value;
    if (s) return i < rowCount.value ? s.seqAt(i) : undefined;
    return i >= 0 && i < rowCount.value ? bounds.value.firstSeq + i : undefined;
  }

  /** The list as the selection sees it (not reactive: read it in an action). */
  const listIndex: ListIndex = {
    get count() {
      return rowCount.value;
    },
    seqAt,
    indexOf(seq: number): number {
      const s = o.search.value;
      if (s) return Math.min(rowCount.value, s.indexOf(seq));
      return Math.min(rowCount.value, Math.max(0, seq - bounds.value.firstSeq));
    },
  };

  const layoutKey = computed(() => `${o.wrap.value ? 'wrap' : 'fixed'}|${o.rowHeight.value}|${o.layoutKey.value}|${viewWidth.value}`);
  watch(
    layoutKey,
    () => {
      if (heights.setKey(layoutKey.value, o.rowHeight.value)) heightsTick.value++;
    },
    { immediate: true },
  );

  const geometry = computed<Geometry>(() => {
    void heightsTick.value;
    const count = rowCount.value;
    const fixed = !o.wrap.value;
    return {
      count,
      viewHeight: viewHeight.value,
      fixed,
      estimate: fixed ? o.rowHeight.value : heights.estimate,
      heightOf: fixed ? () => o.rowHeight.value : (i) => heights.of(seqAt(i)),
    };
  });
  const contentPx = computed(() => list.contentPx(geometry.value));

  const visibleRows = computed<VisibleRow[]>(() => {
    void o.version.value;
    void o.searchTick.value;
    const g = geometry.value;
    const id = o.sessionId.value;
    const rows: VisibleRow[] = [];
    for (const p of list.layout(g, scrollTop.value, follow.value)) {
      const seq = seqAt(p.index);
      if (seq === undefined) continue;
      rows.push({ index: p.index, top: p.top, seq, row: logs.row(id, seq) });
    }
    return rows;
  });

  /** Rows on screen still being read. */
  const loading = computed(() => visibleRows.value.some((r) => r.row === undefined));

  // ask the store for what is on screen (and some ahead); it reads what its cache lacks
  watch(
    [visibleRows, follow],
    () => {
      const id = o.sessionId.value;
      const vis = visibleRows.value;
      if (vis.length === 0) {
        logs.want(id, null, null, follow.value);
        return;
      }
      const firstI = (vis[0] as VisibleRow).index;
      const lastI = (vis[vis.length - 1] as VisibleRow).index;
      const from = (vis[0] as VisibleRow).seq;
      const to = (vis[vis.length - 1] as VisibleRow).seq;
      const ahead = follow.value ? 0 : FETCH_AHEAD;
      let want: Want;
      if (o.search.value) {
        const lo = Math.max(0, firstI - ahead);
        const hi = Math.min(rowCount.value - 1, lastI + ahead, lo + LOG_READ_MAX_ROWS - 1);
        const seqs: number[] = [];
        for (let i = lo; i <= hi; i++) seqs.push(seqAt(i) as number);
        want = { kind: 'seqs', seqs };
      } else {
        want = { kind: 'range', from: from - ahead, to: Math.min(to + ahead, bound.value) };
      }
      logs.want(id, { from, to }, want, follow.value);
    },
    { flush: 'post' },
  );

  /** Wrapped rows: measure the rows just drawn; a height that changed lays the list out again (before paint). */
  function measureRendered(): void {
    const el = o.scrollEl.value;
    if (!o.wrap.value || !el) return;
    let changed = false;
    for (const row of el.querySelectorAll<HTMLElement>('[data-seq]')) {
      if (row.dataset['measure'] !== '1') continue;
      if (heights.set(Number(row.dataset['seq']), row.offsetHeight)) changed = true;
    }
    if (changed) heightsTick.value++;
  }
  watch([visibleRows, o.wrap], measureRendered, { flush: 'post' });

  function scrollToBottom(): void {
    const el = o.scrollEl.value;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    scrollTop.value = el.scrollTop;
  }

  function onScroll(): void {
    const el = o.scrollEl.value;
    if (!el) return;
    scrollTop.value = el.scrollTop;
    viewHeight.value = el.clientHeight || viewHeight.value;
    follow.value = el.scrollTop + el.clientHeight >= el.scrollHeight - o.rowHeight.value / 2;
  }

  function measure(): void {
    const el = o.scrollEl.value;
    if (!el) return;
    viewHeight.value = el.clientHeight || viewHeight.value;
    // widths in steps of 8 px: a few px of scrollbar do not measure every row again
    viewWidth.value = Math.round((el.clientWidth || 0) / 8) * 8;
  }

  function resumeFollow(): void {
    follow.value = true;
    void nextTick(scrollToBottom);
  }

  /** Jump to the top of the list (and stop following). */
  function scrollToTop(): void {
    follow.value = false;
    const el = o.scrollEl.value;
    if (el) el.scrollTop = 0;
    scrollTop.value = 0;
  }

  // rows leaving the top (a clear, the record's size limit, matches below the first seq)
  // must not move the rows under the user's eyes
  const origin = shallowRef({ first: bounds.value.firstSeq, dropped: o.search.value?.dropped ?? 0, search: o.search.value });
  watch([o.version, o.searchTick, o.pausedAt], () => {
    const s = o.search.value;
    const next = { first: bounds.value.firstSeq, dropped: s?.dropped ?? 0, search: s };
    const last = origin.value;
    const el = o.scrollEl.value;
    if (!follow.value && el && next.search === last.search && rowCount.value > 0) {
      const left = s ? next.dropped - last.dropped : next.first - last.first;
      if (left > 0) {
        el.scrollTop = list.shift(geometry.value, left, el.scrollTop);
        scrollTop.value = el.scrollTop;
      }
    }
    origin.value = next;
    if (follow.value) void nextTick(scrollToBottom);
  });

  // a new list (another search): place it by the scroll fraction, or at its end when following
  watch(o.search, () => {
    list.invalidate();
    if (follow.value) void nextTick(scrollToBottom);
  });

  // wrapping on or off, another mode: the row at the top stays at the top
  watch([o.wrap, o.rowHeight], () => {
    if (follow.value) {
      void nextTick(scrollToBottom);
      return;
    }
    const top = list.topRow;
    void nextTick(() => {
      const el = o.scrollEl.value;
      if (!el) return;
      el.scrollTop = list.scrollToRow(geometry.value, top);
      scrollTop.value = el.scrollTop;
    });
  });

  return {
    rowCount,
    contentPx,
    visibleRows,
    loading,
    follow,
    listIndex,
    onScroll,
    measure,
    resumeFollow,
    scrollToBottom,
    scrollToTop,
  };
}
