/**
 * A log row as the renderer keeps it: exactly the engine's `LogRow`
 * (shared/protocol/log.ts). Rows are stored raw (never reactive) in the log
 * store's byte-capped cache, addressed by their per-session `seq`, and
 * formatted lazily for the rows on screen.
 */
export type { LogDir, LogNote, LogRow } from '../../../shared/protocol';
