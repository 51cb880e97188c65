/**
 * A log row as the renderer keeps it: exactly the engine's `LogRow`
 * (shared/protocol/log.ts). Rows are stored raw (never reactive) in the log
 * store's byte-capped cache, addressed by their per-session `seq`, and
 * formatted lazily for the rows on screen.
 */
export type { LogDir, LogRow } from '../../../shared/protocol';

/** What a log view shows of a message: its text, its bytes in hex, or both. */
export type DisplayMode = 'text' | 'hex' | 'both';
export const DISPLAY_MODES: readonly DisplayMode[] = ['text', 'hex', 'both'];
