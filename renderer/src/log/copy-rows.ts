/**
 * Gathers the selected rows of a log with all their bytes and formats them
 * for the clipboard (copy-formats.ts). The cache holds at most the first
 * 1024 bytes of a row (more for wrapped rows on screen), so rows with a
 * prefix only are read whole with `log.read`; rows not cached at all are
 * first read without bytes to learn their sizes. A copy larger than
 * COPY_MAX_CHARS of text, or of more than COPY_MAX_ROWS rows, is refused
 * before anything big is read.
 */
import { LOG_READ_MAX_ROWS, LOG_ROW_BYTES_MAX } from '../../../shared/protocol';
import type { LogReadResult, LogRow, Result } from '../../../shared/protocol';
import { CHARS_PER_BYTE, formatRows, type CopyFormat, type CopyRow } from './copy-formats';

export const COPY_MAX_CHARS = 16 * 1024 * 1024;
export const COPY_MAX_ROWS = 100_000;

export interface CopyHost {
  sessionId: string;
  /** a cached row */
  row(seq: number): LogRow | undefined;
  read(args: { sessionId: string; seqs: number[]; count: number; byteLimit: number }): Promise<Result<LogReadResult>>;
  /** what a note row says, in the user's language */
  noteText(row: LogRow): string;
}

export type CopyOutcome =
  | { ok: true; text: string; rows: number; missing: number }
  | { ok: false; reason: 'empty' }
  | { ok: false; reason: 'tooMany'; rows: number }
  | { ok: false; reason: 'tooLarge'; chars: number }
  | { ok: false; reason: 'failed'; message: string };

const isData = (r: LogRow): boolean => r.dir === 'rx' || r.dir === 'tx';
const complete = (r: LogRow): boolean => !isData(r) || (r.bytes?.length ?? 0) >= r.size;

/** Read `seqs` (in batches) and hand each row to `take`; rows that no longer exist are left out. */
async function readAll(host: CopyHost, seqs: number[], byteLimit: number, take: (r: LogRow) => void): Promise<string | null> {
  let rest = seqs;
  while (rest.length > 0) {
    const batch = rest.slice(0, LOG_READ_MAX_ROWS);
    const r = await host.read({ sessionId: host.sessionId, seqs: batch, count: batch.length, byteLimit });
    if (!r.ok) return r.message;
    for (const row of r.data.rows) take(row);
    // an answer stops growing after a few MiB (always with ≥ 1 row): ask again for the rows after its last;
    // an empty answer means the rows are gone (cleared, or dropped by the record's size limit)
    const last = r.data.rows.at(-1)?.seq;
    const left = last === undefined ? [] : batch.filter((s) => s > last);
    rest = left.concat(rest.slice(batch.length));
  }
  return null;
}

/** The rows `seqs` (ascending) in `format`, with every byte, or why not. */
export async function copyRows(seqs: readonly number[], format: CopyFormat, host: CopyHost): Promise<CopyOutcome> {
  if (seqs.length === 0) return { ok: false, reason: 'empty' };
  if (seqs.length > COPY_MAX_ROWS) return { ok: false, reason: 'tooMany', rows: seqs.length };

  // 1. every row at least without bytes: its size and direction
  const rows = new Map<number, LogRow>();
  const unknown: number[] = [];
  for (const s of seqs) {
    const r = host.row(s);
    if (r) rows.set(s, r);
    else unknown.push(s);
  }
  const err1 = await readAll(host, unknown, 0, (r) => rows.set(r.seq, r));
  if (err1 !== null) return { ok: false, reason: 'failed', message: err1 };

  // 2. refuse what would not fit
  let chars = 0;
  for (const r of rows.values()) {
    if (isData(r)) chars += r.size * CHARS_PER_BYTE[format];
    else if (format === 'text') chars += host.noteText(r).length + 1;
  }
  if (chars > COPY_MAX_CHARS) return { ok: false, reason: 'tooLarge', chars: Math.round(chars) };

  // 3. the whole bytes of rows held in part
  const partial = [...rows.values()].filter((r) => !complete(r)).map((r) => r.seq);
  const err2 = await readAll(host, partial, LOG_ROW_BYTES_MAX, (r) => rows.set(r.seq, r));
  if (err2 !== null) return { ok: false, reason: 'failed', message: err2 };

  const out: CopyRow[] = [];
  for (const s of seqs) {
    const r = rows.get(s);
    if (!r || !complete(r)) continue; // gone from the record meanwhile: never copy a part as if it were all
    out.push(isData(r) ? { bytes: r.bytes ?? new Uint8Array(0), text: r.text } : { text: host.noteText(r) });
  }
  if (out.length === 0) return { ok: false, reason: 'empty' };
  return { ok: true, text: formatRows(out, format), rows: out.length, missing: seqs.length - out.length };
}
