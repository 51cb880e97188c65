/**
 * The log view's row model: a fixed-row-height virtual list over the seqs
 * `firstSeq…bound` of a session (bound = lastSeq, or the seq at pause), or
 * over the matching seqs of a search. Per update it touches only the visible
 * rows (O(screen), never O(rows)); rows come from the log store's cache, and
 * those it lacks are asked for (`logs.want`) and shown as placeholders until
 * they arrive.
 *
 * Lists taller than MAX_CONTENT_PX (browsers cap element heights) are scaled:
 * one scroll pixel is then several virtual pixels, so row 1 of 10,000,000 is
 * still reachable.
 *
 * Following (auto-scroll) shows the newest rows, which the `log.tail` events
 * bring: it asks only for visible rows the tail skipped, and only once the
 * tail has been still for a moment. Scrolling back asks for the visible rows
 * plus FETCH_AHEAD rows on either side.
 */
import { computed, nextTick, ref, watch, type Ref, type ShallowRef } from 'vue';
import { LOG_READ_MAX_ROWS } from '../../../shared/protocol';
import { useLogStore } from '../stores/logs';
import type { Want } from './fetcher';
import type { LogSearch } from './search';
import type { LogRow } from './types';

/** Browsers cap element heights (~33M px in Chromium); stay well below. */
export const MAX_CONTENT_PX = 8_000_000;
const OVERSCAN = 4;
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
  rowHeight: Ref<number>;
  scrollEl: Ref<HTMLElement | null>;
}

export function useLogRows(o: LogRowsOptions) {
  const logs = useLogStore();
  const scrollTop = ref(0);
  const viewHeight = ref(400);
  /** auto-scroll: follow the newest row until the user scrolls up */
  const follow = ref(true);

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
    if (s) return s.seqAt(i);
    return i >= 0 && i < rowCount.value ? bounds.value.firstSeq + i : undefined;
  }

  const totalPx = computed(() => rowCount.value * o.rowHeight.value);
  const contentPx = computed(() => Math.min(totalPx.value, MAX_CONTENT_PX));
  /** virtual px per scroll px (1 unless the content is taller than MAX_CONTENT_PX) */
  const scale = computed(() => {
    const maxScroll = contentPx.value - viewHeight.value;
    const maxVirtual = totalPx.value - viewHeight.value;
    return maxScroll > 0 && maxVirtual > maxScroll ? maxVirtual / maxScroll : 1;
  });

  /** Indices on screen (with a small overscan); null when the list is empty. */
  const range = computed<{ first: number; last: number; virtualTop: number } | null>(() => {
    const h = o.rowHeight.value;
    const n = rowCount.value;
    if (n === 0) return null;
    const virtualTop = Math.min(scrollTop.value * scale.value, Math.max(0, totalPx.value - viewHeight.value));
    const first = Math.min(n - 1, Math.max(0, Math.floor(virtualTop / h) - OVERSCAN));
    const last = Math.min(n - 1, Math.ceil((virtualTop + viewHeight.value) / h) + OVERSCAN);
    return { first, last, virtualTop };
  });

  const visibleRows = computed<VisibleRow[]>(() => {
    void o.version.value;
    void o.searchTick.value;
    const r = range.value;
    if (!r) return [];
    const h = o.rowHeight.value;
    const id = o.sessionId.value;
    const rows: VisibleRow[] = [];
    for (let i = r.first; i <= r.last; i++) {
      const seq = seqAt(i);
      if (seq === undefined) continue;
      rows.push({ index: i, top: scrollTop.value + (i * h - r.virtualTop), seq, row: logs.row(id, seq) });
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
      const r = range.value;
      if (!r) {
        logs.want(id, null, null, follow.value);
        return;
      }
      const from = seqAt(r.first) as number;
      const to = seqAt(r.last) as number;
      const ahead = follow.value ? 0 : FETCH_AHEAD;
      let want: Want;
      if (o.search.value) {
        const lo = Math.max(0, r.first - ahead);
        const hi = Math.min(rowCount.value - 1, r.last + ahead, lo + LOG_READ_MAX_ROWS - 1);
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
    if (el) viewHeight.value = el.clientHeight || viewHeight.value;
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
  let lastOrigin = { first: bounds.value.firstSeq, dropped: o.search.value?.dropped ?? 0, search: o.search.value };
  watch([o.version, o.searchTick, o.pausedAt], () => {
    const s = o.search.value;
    const origin = { first: bounds.value.firstSeq, dropped: s?.dropped ?? 0, search: s };
    const el = o.scrollEl.value;
    if (!follow.value && el && origin.search === lastOrigin.search && rowCount.value > 0) {
      const left = s ? origin.dropped - lastOrigin.dropped : origin.first - lastOrigin.first;
      if (left > 0) {
        el.scrollTop = Math.max(0, el.scrollTop - (left * o.rowHeight.value) / scale.value);
        scrollTop.value = el.scrollTop;
      }
    }
    lastOrigin = origin;
    if (follow.value) void nextTick(scrollToBottom);
  });

  watch([o.rowHeight, o.search], () => {
    if (follow.value) void nextTick(scrollToBottom);
  });

  return {
    rowCount,
    contentPx,
    visibleRows,
    loading,
    follow,
    onScroll,
    measure,
    resumeFollow,
    scrollToBottom,
    scrollToTop,
  };
}
