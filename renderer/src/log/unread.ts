/**
 * Unread messages per session, for the session list's badges: the session's
 * rx+tx messages now (from its counters) minus when it was last on screen.
 * A counters reset (fewer messages than seen) starts again from zero; the
 * session on screen has none. Plain data: the log store mirrors the counts
 * into its reactive state.
 */
import type { Counters } from '../../../shared/protocol';

export const messagesOf = (c: Counters): number => c.rxMessages + c.txMessages;

export class UnreadTracker {
  private totals = new Map<string, number>();
  private seen = new Map<string, number>();
  private active: string | null = null;

  /** The session's message total now; returns its unread count. */
  note(id: string, total: number): number {
    this.totals.set(id, total);
    let seen = this.seen.get(id);
    if (seen === undefined || id === this.active || total < seen) {
      seen = total;
      this.seen.set(id, total);
    }
    return total - seen;
  }

  /** Count afresh from `total` (after a re-sync: nothing is unread). */
  restart(id: string, total: number): number {
    this.seen.delete(id);
    return this.note(id, total);
  }

  /** This session is on screen now (null: none). */
  view(id: string | null): void {
    this.active = id;
    if (id !== null) this.seen.set(id, this.totals.get(id) ?? 0);
  }

  forget(id: string): void {
    this.totals.delete(id);
    this.seen.delete(id);
  }
}
