/**
 * Row selection and "Copy as …" for a log view. Rows are selected from their
 * selection area (the left edge: click, Shift-click, Ctrl/⌘-click), with
 * Ctrl+A in the grid, or from the context menu; text inside rows stays
 * selectable as ordinary text. Copying reads what the cache lacks
 * (copy-rows.ts) and writes the clipboard; the outcome shows as a status note.
 */
import { computed, onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import { formatByteSize, formatCount } from '../../../shared/protocol';
import { useBridgeStore } from '../stores/bridge';
import { useLogStore } from '../stores/logs';
import { COPY_FORMATS, type CopyFormat } from './copy-formats';
import { COPY_MAX_CHARS, COPY_MAX_ROWS, copyRows } from './copy-rows';
import { rowText, type Translate } from './notes';
import { clickRow, countSelected, dropBelow, EMPTY_SELECTION, isSelected, selectAll, selectedSeqs, type ListIndex, type Selection } from './selection';

type TranslateN = (key: string, params: Record<string, unknown>, plural: number) => string;

export interface CopyStatus {
  tone: 'ok' | 'error' | 'busy';
  text: string;
}

/** Write the clipboard; falls back to a hidden textarea where the async API is refused. */
export async function writeClipboard(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch (e) {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.cssText = 'position:fixed;left:-9999px;top:0;opacity:0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    if (!ok) throw e;
  }
}

export function useLogCopy(o: {
  sessionId: Ref<string>;
  list: ListIndex;
  /** changes when rows or bounds change */
  version: Ref<number>;
  /** changes when the list itself changes (another filter): the selection goes */
  listKey: Ref<unknown>;
  t: Translate;
  tn: TranslateN;
}) {
  const logs = useLogStore();
  const bridge = useBridgeStore();
  const selection = shallowRef<Selection>(EMPTY_SELECTION);
  const status = ref<CopyStatus | null>(null);
  const busy = ref(false);
  let statusTimer: ReturnType<typeof setTimeout> | null = null;

  const selectedCount = computed(() => {
    void o.version.value;
    return countSelected(selection.value, o.list);
  });
  const selected = (seq: number): boolean => isSelected(selection.value, seq);

  watch([o.sessionId, o.listKey], () => (selection.value = EMPTY_SELECTION));
  watch(o.version, () => {
    const next = dropBelow(selection.value, logs.bounds(o.sessionId.value).firstSeq);
    if (next !== selection.value) selection.value = next;
  });

  function showStatus(s: CopyStatus | null, ms = 6000): void {
    status.value = s;
    if (statusTimer) clearTimeout(statusTimer);
    statusTimer = s && s.tone !== 'busy' ? setTimeout(() => (status.value = null), ms) : null;
  }
  onBeforeUnmount(() => {
    if (statusTimer) clearTimeout(statusTimer);
  });

  /** A click on a row's selection area. A drag that selected text is not a click. */
  function onSelectArea(seq: number, e: MouseEvent): void {
    if (e.button !== 0) return;
    const sel = typeof window.getSelection === 'function' ? window.getSelection() : null;
    if (sel && !sel.isCollapsed && sel.toString() !== '') return;
    selection.value = clickRow(selection.value, seq, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey });
  }

  function selectAllRows(): void {
    selection.value = selectAll(o.list);
  }

  function clearSelection(): void {
    selection.value = EMPTY_SELECTION;
  }

  /** A right click on a row that is not selected selects it alone (as file managers do). */
  function selectForMenu(seq: number): void {
    if (!selected(seq)) selection.value = clickRow(EMPTY_SELECTION, seq);
  }

  async function copy(format: CopyFormat): Promise<void> {
    if (busy.value) return;
    const seqs = selectedSeqs(selection.value, o.list, COPY_MAX_ROWS);
    if (seqs === null) {
      showStatus({ tone: 'error', text: o.t('view.log.copyTooMany', { n: formatCount(selectedCount.value), max: formatCount(COPY_MAX_ROWS) }) }, 10000);
      return;
    }
    if (seqs.length === 0) {
      showStatus({ tone: 'error', text: o.t('view.log.noSelection') }, 8000);
      return;
    }
    const id = o.sessionId.value;
    busy.value = true;
    showStatus({ tone: 'busy', text: o.t('view.log.copying') });
    try {
      const r = await copyRows(seqs, format, {
        sessionId: id,
        row: (seq) => logs.row(id, seq),
        read: (args) => bridge.request('log.read', args, { silent: true }),
        noteText: (row) => rowText(row, o.t),
      });
      if (!r.ok) {
        const text =
          r.reason === 'tooLarge'
            ? o.t('view.log.copyTooLarge', { size: formatByteSize(r.chars), limit: formatByteSize(COPY_MAX_CHARS) })
            : r.reason === 'tooMany'
              ? o.t('view.log.copyTooMany', { n: formatCount(r.rows), max: formatCount(COPY_MAX_ROWS) })
              : r.reason === 'empty'
                ? o.t('view.log.copyEmpty')
                : o.t('view.log.copyFailed', { reason: r.message });
        showStatus({ tone: 'error', text }, 10000);
        return;
      }
      await writeClipboard(r.text);
      const done = o.tn('view.log.copied', { n: formatCount(r.rows), format: o.t(`view.log.formatName.${format}`) }, r.rows);
      const missing = r.missing > 0 ? ` · ${o.t('view.log.copyMissing', { n: r.missing })}` : '';
      showStatus({ tone: 'ok', text: done + missing });
    } catch (e) {
      showStatus({ tone: 'error', text: o.t('view.log.copyFailed', { reason: e instanceof Error ? e.message : String(e) }) }, 10000);
    } finally {
      busy.value = false;
    }
  }

  /** Keys inside the grid: Ctrl+A selects every row, Ctrl+C copies selected rows as text (unless text is selected), Esc clears. */
  function onKeydown(e: KeyboardEvent): void {
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (mod && key === 'a') {
      e.preventDefault();
      window.getSelection?.()?.removeAllRanges();
      selectAllRows();
    } else if (mod && key === 'c' && selectedCount.value > 0) {
      const sel = window.getSelection?.();
      if (sel && !sel.isCollapsed && sel.toString() !== '') return; // the browser copies the selected text
      e.preventDefault();
      void copy('text');
    } else if (key === 'escape' && selectedCount.value > 0) {
      e.preventDefault();
      clearSelection();
    }
  }

  /** The "Copy as …" entries, for the toolbar menu and the context menu. */
  const copyOptions = computed(() =>
    COPY_FORMATS.map((f) => ({ key: `copy:${f}`, label: o.t(`view.log.copyAs.${f}`), disabled: selectedCount.value === 0 || busy.value })),
  );

  return {
    selection,
    selectedCount,
    selected,
    status,
    busy,
    onSelectArea,
    selectAllRows,
    clearSelection,
    selectForMenu,
    copy,
    onKeydown,
    copyOptions,
    showStatus,
  };
}
