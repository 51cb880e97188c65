/**
 * What one log row shows, formatted for the rows on screen only: its time
 * (with the date, and Δt since the previous row of the list, as the user
 * chose), direction, peer, length, and its text and/or hex. Unwrapped rows
 * show a one-line preview; wrapped rows show everything the cache holds (up
 * to WRAP_ROW_BYTES, see full-rows.ts) and how many bytes they leave out.
 */
import { formatHex } from '../../../shared/codec/hex';
import { dirLabel, formatDate, formatDelta, formatEndpoint, formatTime, hexPreview, visibleText } from './format';
import { WRAP_ROW_BYTES } from './full-rows';
import { rowText } from './notes';
import type { DisplayMode, LogDir, LogRow } from './types';

export interface TimeColumns {
  time: boolean;
  date: boolean;
  delta: boolean;
}

export interface RowView {
  dir: LogDir;
  dirText: string;
  /** '' when the time column is off */
  time: string;
  /** '' when Δt is off or the previous row is not at hand */
  delta: string;
  peer: string;
  len: string;
  text: string;
  hex: string;
  /** bytes of the message this row does not show (wrapped rows only) */
  more: number;
}

type Translate = Parameters<typeof rowText>[1];

/** Characters of text a wrapped row shows at most (the bytes are capped anyway). */
const WRAP_TEXT_CHARS = WRAP_ROW_BYTES;

export function timeText(ts: number, cols: TimeColumns): string {
  if (!cols.time) return '';
  return cols.date ? `${formatDate(ts)} ${formatTime(ts)}` : formatTime(ts);
}

export function formatRowView(
  row: LogRow,
  prev: LogRow | undefined,
  o: { mode: DisplayMode; wrap: boolean; cols: TimeColumns; t: Translate },
): RowView {
  const data = row.dir === 'rx' || row.dir === 'tx';
  const hexOnly = o.mode === 'hex' && !!row.bytes;
  const raw = data ? row.text : rowText(row, o.t);
  const shown = row.bytes?.length ?? 0;
  return {
    dir: row.dir,
    dirText: dirLabel(row.dir),
    time: timeText(row.ts, o.cols),
    delta: o.cols.delta && prev ? formatDelta(row.ts - prev.ts) : '',
    peer: formatEndpoint(row.remote),
    len: data ? String(row.size) : '',
    text: hexOnly ? '' : o.wrap ? visibleText(raw, WRAP_TEXT_CHARS, true) : visibleText(raw, 400),
    hex: o.mode === 'text' ? '' : o.wrap ? formatHex(row.bytes ?? new Uint8Array(0)) : hexPreview(row.bytes, 128),
    more: o.wrap && data && row.size > shown ? row.size - shown : 0,
  };
}
