/**
 * The log view's row model: which rows exist (the ring, or a filtered index of
 * it), which of them are on screen, and how the scroll position maps to them.
 *
 * It is a fixed-row-height virtual list written for the ring: per update it
 * touches only the visible rows (O(screen), not O(rows)), whereas a generic
 * virtual list would rebuild an item array and key map of all 100k rows on
 * every batch. Filtering runs through FilteredIndex in time-boxed slices
 * (≤ 8 ms each, then yields), so the UI never freezes.
 */
import { computed, nextTick, onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import type { CodecError } from '../../../shared/codec/types';
import { FilteredIndex, compileFilter, type LogFilterSpec } from './filter';
import type { LogRing } from './ring';
import type { LogEntry } from './types';

/** Browsers cap element heights (~33M px in Chromium); stay well below. */
const MAX_CONTENT_PX = 8_000_000;
const SLICE_MS = 8;
const OVERSCAN = 4;

export interface VisibleRow {
  /** row index in the (filtered) list, 0-based */
  index: number;
  /** px from the top of the content box */
  top: number;
  entry: LogEntry;
}

export interface LogRowsOptions {
  ring: Ref<LogRing>;
  /** the store's version for this session; changes when rows come or go */
  version: Ref<number>;
  /** newest seq the view may show (the pause snapshot), or null for live */
  pausedAt: Ref<number | null>;
  filter: Ref<LogFilterSpec>;
  rowHeight: Ref<number>;
  scrollEl: Ref<HTMLElement | null>;
}

export function useLogRows(o: LogRowsOptions) {
  /** bumped whenever rows change in a way the non-reactive ring cannot signal */
  const tick = ref(0);
  const scrollTop = ref(0);
  const viewHeight = ref(400);
  /** auto-scroll: follow the newest row until the user scrolls up */
  const follow = ref(true);
  const index = shallowRef<FilteredIndex | null>(null);
  const filterError = shallowRef<CodecError | null>(null);
  /** rows still to be filtered (0 when the filter is caught up) */
  const filtering = ref(0);
  let pumpTimer: ReturnType<typeof setTimeout> | null = null;
  let lastFirstSeq = o.ring.value.firstSeq;

  const bound = (): number => Math.min(o.pausedAt.value ?? Number.POSITIVE_INFINITY, o.ring.value.seq);

  const rowCount = computed(() => {
    void tick.value;
    void o.version.value;
    const idx = index.value;
    if (idx) return idx.size;
    const ring = o.ring.value;
    return Math.max(0, bound() - ring.firstSeq + 1);
  });

  function rowAt(i: number): LogEntry | undefined {
    const idx = index.value;
    return idx ? idx.at(i) : o.ring.value.at(i);
  }

  const totalPx = computed(() => rowCount.value * o.rowHeight.value);
  const contentPx = computed(() => Math.min(totalPx.value, MAX_CONTENT_PX));
  /** virtual px per scroll px (1 unless the content is taller than MAX_CONTENT_PX) */
  const scale = computed(() => {
    const maxScroll = contentPx.value - viewHeight.value;
    const maxVirtual = totalPx.value - viewHeight.value;
    return maxScroll > 0 && maxVirtual > maxScroll ? maxVirtual / maxScroll : 1;
  });

  const visibleRows = computed<VisibleRow[]>(() => {
    void tick.value;
    void o.version.value;
    const h = o.rowHeight.value;
    const n = rowCount.value;
    if (n === 0) return [];
    const virtualTop = scrollTop.value * scale.value;
    const first = Math.max(0, Math.floor(virtualTop / h) - OVERSCAN);
    const last = Math.min(n - 1, Math.ceil((virtualTop + viewHeight.value) / h) + OVERSCAN);
    const rows: VisibleRow[] = [];
    for (let i = first; i <= last; i++) {
      const entry = rowAt(i);
      if (entry) rows.push({ index: i, top: scrollTop.value + (i * h - virtualTop), entry });
    }
    return rows;
  });

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

  /** Run the filter in time-boxed slices until it has caught up. */
  function pump(): void {
    pumpTimer = null;
    const idx = index.value;
    if (!idx) {
      filtering.value = 0;
      return;
    }
    const t0 = performance.now();
    let done = false;
    do done = idx.step(2000, bound());
    while (!done && performance.now() - t0 < SLICE_MS);
    filtering.value = done ? 0 : idx.pending(bound());
    tick.value++;
    if (!done) pumpTimer = setTimeout(pump, 0);
  }

  function schedulePump(): void {
    if (pumpTimer === null) pumpTimer = setTimeout(pump, 0);
  }

  function rebuildIndex(): void {
    if (pumpTimer !== null) clearTimeout(pumpTimer);
    pumpTimer = null;
    const compiled = compileFilter(o.filter.value);
    let match = compiled.ok ? compiled : compileFilter({ ...o.filter.value, query: '' });
    filterError.value = compiled.ok ? null : compiled.error;
    if (!match.ok) match = { ok: true, active: false, match: () => true };
    index.value = match.active ? new FilteredIndex(o.ring.value, match.match) : null;
    filtering.value = 0;
    if (index.value) pump();
    else tick.value++;
    if (follow.value) void nextTick(scrollToBottom);
  }

  watch([o.filter, o.ring], rebuildIndex, { immediate: true, deep: true });

  // new rows, a cleared ring, or a resume
  watch([o.version, o.pausedAt], () => {
    if (index.value) schedulePump();
    const ring = o.ring.value;
    const el = o.scrollEl.value;
    // keep the rows under the user's eyes still when old rows leave the top
    if (!follow.value && !index.value && el && ring.firstSeq > lastFirstSeq && ring.size > 0) {
      const shift = ((ring.firstSeq - lastFirstSeq) * o.rowHeight.value) / scale.value;
      el.scrollTop = Math.max(0, el.scrollTop - shift);
      scrollTop.value = el.scrollTop;
    }
    lastFirstSeq = ring.firstSeq;
    if (follow.value) void nextTick(scrollToBottom);
  });

  watch(o.rowHeight, () => {
    if (follow.value) void nextTick(scrollToBottom);
  });

  onBeforeUnmount(() => {
    if (pumpTimer !== null) clearTimeout(pumpTimer);
  });

  return {
    rowCount,
    contentPx,
    visibleRows,
    follow,
    filterError,
    filtering,
    filterActive: computed(() => index.value !== null),
    onScroll,
    measure,
    resumeFollow,
    scrollToBottom,
  };
}
