/**
 * Recent data events per session, so a reloaded or reconnected UI can show
 * its log again (`session.history`). The hub sees every event before any
 * client does, so a history answer holds every data event emitted before the
 * command ran; the UI drops live rows whose `seq` it already has.
 *
 * Bounded: per session at most `maxEvents` events and `maxBytes` of payload
 * and text; the oldest leave first. The payload arrays are the ones the engine
 * emitted (shared with the client queues, never copied). A session's history
 * goes with `session.removed`.
 */
import type { DataEvent, NetEvent } from '../../shared/protocol';
import type { HandlerModule, HubContext } from './context';

export const HISTORY_MAX_EVENTS = 5000;
export const HISTORY_MAX_BYTES = 8 * 1024 * 1024;

export interface HistoryLimits {
  maxEvents?: number;
  maxBytes?: number;
}

/** What one kept event costs: its payload, its text (UTF-16) and a fixed overhead. */
export const historyWeight = (e: DataEvent): number => e.bytes.byteLength + e.text.length * 2 + 128;

/** One session's ring: an array read from `head`, compacted now and then. */
export class EventRing {
  private events: DataEvent[] = [];
  private head = 0;
  private weight = 0;

  constructor(
    private readonly maxEvents: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.events.length - this.head;
  }

  get bytes(): number {
    return this.weight;
  }

  push(e: DataEvent): void {
    this.events.push(e);
    this.weight += historyWeight(e);
    while (this.size > 0 && (this.size > this.maxEvents || this.weight > this.maxBytes)) {
      const old = this.events[this.head] as DataEvent;
      this.weight -= historyWeight(old);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  /** The newest `limit` events, oldest first. */
  last(limit: number): DataEvent[] {
    return this.events.slice(Math.max(this.head, this.events.length - limit));
  }
}

export type HistoryModule = HandlerModule<'session.history'> & {
  /** Sessions that have a history (tests). */
  readonly sessions: () => string[];
};

export function historyModule({ manager }: HubContext, limits: HistoryLimits = {}): HistoryModule {
  const maxEvents = limits.maxEvents ?? HISTORY_MAX_EVENTS;
  const maxBytes = limits.maxBytes ?? HISTORY_MAX_BYTES;
  const rings = new Map<string, EventRing>();
  return {
    handlers: {
      'session.history': ({ sessionId, limit }) => {
        manager.info(sessionId); // SESSION_NOT_FOUND in the user's words
        return { events: rings.get(sessionId)?.last(limit) ?? [] };
      },
    },
    onEvent(event: NetEvent): void {
      // the engine announces a session before its data, and removes it after
      if (event.type === 'data') {
        rings.get(event.sessionId)?.push(event);
      } else if (event.type === 'session.opened') {
        if (!rings.has(event.sessionId)) rings.set(event.sessionId, new EventRing(maxEvents, maxBytes));
      } else if (event.type === 'session.removed') {
        rings.delete(event.sessionId);
      }
    },
    sessions: () => [...rings.keys()],
  };
}
