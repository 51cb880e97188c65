/**
 * The session log as clients see it. The engine writes every message (rx, tx)
 * and every note (status, peer joined/left, error) to the session's on-disk
 * record; each gets the next `seq` of that session (1, 2, 3…). A view is a
 * window onto the record:
 *
 * - `log.tail` events push the newest rows, at most ~60 times a second and at
 *   most a screenful each, with a count of the rows they skipped;
 * - `log.read` fetches any window by seq (scroll-back, a reload, a row's
 *   full bytes);
 * - `log.search` scans the record in the engine and answers page by page;
 * - `log.clear` moves the start of every view past the current end.
 *
 * Text is decoded when read, with the session's current receive encoding, so
 * changing the encoding re-decodes rows already received.
 */
import { z } from 'zod';
import { command } from './command-def';
import type { ErrorCode } from './errors';
import type { Endpoint, SessionState } from './model';
import type { Reason } from './reason-format';
import { sessionIdSchema } from './schemas';

export type LogDir = 'rx' | 'tx' | 'info' | 'error';
export const LOG_DIRS: readonly LogDir[] = ['rx', 'tx', 'info', 'error'];

/**
 * What an info or error row says, structured so a UI can put it in its own
 * words: `reason`/`message` is the English sentence, `why` the same as a key
 * of shared/protocol/reasons.ts plus parameters.
 */
export type LogNote =
  | { kind: 'status'; state: SessionState; reason: string; why?: Reason }
  | { kind: 'peer.joined' }
  | { kind: 'peer.left'; reason: string; why?: Reason }
  | { kind: 'error'; code: ErrorCode; message: string; why?: Reason; sysCode?: string }
  | { kind: 'paused'; paused: boolean };

export interface LogRow {
  /** per session, from 1, across every kind of row */
  seq: number;
  /** ms since the epoch */
  ts: number;
  dir: LogDir;
  /** server: the peer; client: 'conn'; udp and session notes: absent */
  peerId?: string;
  /** the other end: where rx came from, where tx went */
  remote?: Endpoint;
  /** the message's whole length in bytes (0 for info/error rows) */
  size: number;
  /** rx/tx: the message's first bytes (all of them when `size` ≤ the read's `byteLimit`) */
  bytes?: Uint8Array;
  /**
   * rx/tx: `bytes` decoded with the session's receive encoding (a character
   * split across two messages shows whole, in the later row); info/error: an
   * English sentence (`note` has the structure)
   */
  text: string;
  note?: LogNote;
}

/** Where a session's log stands. */
export interface LogBounds {
  /** the first seq a view shows: after the record's size limit and the last "clear" */
  firstSeq: number;
  /** the newest seq (0 before the first row) */
  lastSeq: number;
}

/** The newest rows of a session, pushed at a bounded rate (`log.tail` event). */
export interface LogTailEvent extends LogBounds {
  type: 'log.tail';
  ts: number;
  sessionId: string;
  /** the newest rows since this client's previous tail, oldest first (at most ~a screenful) */
  rows: LogRow[];
  /** rows newer than the previous tail that this one leaves out (fetch them with `log.read`) */
  skipped: number;
}

/** Most rows one `log.read` answers. */
export const LOG_READ_MAX_ROWS = 1000;
/** Default and largest `byteLimit` of one row in `log.read`. */
export const LOG_ROW_BYTES_DEFAULT = 1024;
export const LOG_ROW_BYTES_MAX = 16 * 1024 * 1024;

const seqSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const sid = { sessionId: sessionIdSchema };

export const logFilterSchema = z
  .object({
    /** '' = no search */
    query: z.string().max(4096).default(''),
    /** 'text': case-insensitive substring of the decoded text; 'hex': a byte sequence (strict hex) */
    mode: z.enum(['text', 'hex']).default('text'),
    /** directions to keep (absent = all) */
    dirs: z.array(z.enum(['rx', 'tx', 'info', 'error'])).max(4).optional(),
    /** a peer as `address:port` (IPv6 in brackets), absent = every peer */
    peer: z.string().max(128).optional(),
  })
  .strict();
export type LogFilter = z.output<typeof logFilterSchema>;
export type LogFilterInput = z.input<typeof logFilterSchema>;

export const logCommands = {
  /**
   * Rows of the log: `count` rows from `fromSeq` on, or the newest `count`
   * rows when `fromSeq` is absent, or exactly the rows `seqs` (a filtered
   * view). Rows before `firstSeq` are not returned. Each row carries at most
   * `byteLimit` bytes; an answer stops growing after ~4 MiB (always ≥ 1 row).
   */
  'log.read': command(
    z
      .object({
        ...sid,
        fromSeq: seqSchema.optional(),
        seqs: z.array(seqSchema).max(LOG_READ_MAX_ROWS).optional(),
        count: z.number().int().min(1).max(LOG_READ_MAX_ROWS).default(100),
        byteLimit: z.number().int().min(0).max(LOG_ROW_BYTES_MAX).default(LOG_ROW_BYTES_DEFAULT),
      })
      .strict(),
  ).returns<LogReadResult>(),
  /**
   * Search the record from `fromSeq` (default: firstSeq) upwards. Answers
   * with the matching seqs found before `maxMatches` matches or the time
   * budget ran out; call again from `nextSeq` while `done` is false.
   */
  'log.search': command(
    z
      .object({
        ...sid,
        filter: logFilterSchema,
        fromSeq: seqSchema.optional(),
        maxMatches: z.number().int().min(1).max(100_000).default(1000),
        budgetMs: z.number().int().min(10).max(5000).default(200),
      })
      .strict(),
  ).returns<LogSearchResult>(),
  /** Start every view of the session after its current last row (the record keeps everything for exports). */
  'log.clear': command(z.object(sid).strict()).returns<LogBounds>(),
} as const;

export interface LogReadResult extends LogBounds {
  rows: LogRow[];
}

export interface LogSearchResult extends LogBounds {
  seqs: number[];
  /** where the next call continues */
  nextSeq: number;
  /** true when the scan reached `lastSeq` (as it was when this page ended) */
  done: boolean;
  /** rows scanned by this call */
  scanned: number;
}
