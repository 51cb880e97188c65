/**
 * The hub fans events out to the attached clients (the Electron window, each
 * WebSocket) and batches them. It never slows a socket:
 *
 * - Events (status, peers, counters, rule stats, progress…) are queued per
 *   client; those that describe a state are coalesced (the latest per key).
 * - Log rows are not events: the record holds them. The hub pushes each
 *   client a `log.tail` per session that grew: the newest rows since that
 *   client's previous tail, at most `tailRows` of them, with the count of
 *   those it skipped. At most one flush per `flushIntervalMs` (≈60/s), the
 *   first after a quiet spell at once.
 * - A client whose transport is backed up (over `highWaterBytes`) is simply
 *   not sent anything until it drains: it misses live rows, which it can read
 *   back from the record, and keeps its (small, coalesced) events queued. If
 *   more than `maxQueuedEvents` pile up, they are dropped and the client gets
 *   one `app.notice` RESYNC instead: it re-reads the session list.
 */
import type { LogBounds, LogRow, NetEvent } from '../../shared/protocol';

export interface HubTransport {
  /** Deliver one batch, in order. */
  send(events: NetEvent[]): void;
  /** Bytes accepted by the transport but not yet written out (0 when unknown). */
  backlog(): number;
}

export interface HubClient {
  /** Stop delivering to this client. */
  detach(): void;
}

/** Where the live tail comes from (the record store). */
export interface TailSource {
  tail(sessionId: string, after: number, max: number): { rows: LogRow[]; skipped: number } & LogBounds;
}

export interface HubOptions {
  flushIntervalMs?: number;
  /** rows per session per tail (about a screenful) */
  tailRows?: number;
  /** transport backlog above which a client is sent nothing until it drains */
  highWaterBytes?: number;
  /** most queued (not coalesced) events per client; the oldest go beyond it */
  maxQueuedEvents?: number;
}

const DEFAULTS: Required<HubOptions> = {
  flushIntervalMs: 16,
  tailRows: 64,
  highWaterBytes: 8 * 1024 * 1024,
  maxQueuedEvents: 20_000,
};

/**
 * Events that describe a state, not a happening: only the latest per key is
 * worth sending, so a batch carries at most one of each.
 */
function coalesceKey(e: NetEvent): string | undefined {
  switch (e.type) {
    case 'counters':
      return `counters:${e.sessionId}`;
    case 'rules.stats':
      return `rules:${e.sessionId}`;
    case 'capture.updated':
      return `capture:${e.sessionId}`;
    case 'schedule.progress':
      return `schedule:${e.schedule.scheduleId}`;
    case 'transfer.progress':
      return `transfer:${e.transfer.transferId}`;
    case 'export.progress':
      return `export:${e.export.exportId}`;
    default:
      return undefined;
  }
}

/** Rough wire weight of an event (IPC flow control): row payloads and texts, plus a fixed overhead. */
export const eventWeight = (e: NetEvent): number => {
  if (e.type !== 'log.tail') return 256;
  let n = 256;
  for (const r of e.rows) n += (r.bytes?.byteLength ?? 0) + r.text.length * 2 + 128;
  return n;
};

class ClientQueue {
  private queue: NetEvent[] = [];
  private readonly latest = new Map<string, NetEvent>();
  /** sessions whose record grew since their last tail to this client */
  private readonly dirty = new Set<string>();
  /** the newest seq this client was sent (or skipped past), per session */
  private readonly seen = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private lastFlush = 0;
  /** events were dropped: the client must re-read the session list */
  private resync = false;

  constructor(
    private readonly transport: HubTransport,
    private readonly opts: Required<HubOptions>,
    private readonly source: TailSource,
  ) {}

  push(event: NetEvent): void {
    const key = coalesceKey(event);
    if (key !== undefined) this.latest.set(key, event);
    else {
      this.queue.push(event);
      if (this.queue.length > this.opts.maxQueuedEvents) {
        // too far behind to catch up event by event: drop them all and tell the client to re-sync
        this.queue = [];
        this.resync = true;
      }
      if (event.type === 'session.removed') {
        this.dirty.delete(event.sessionId);
        this.seen.delete(event.sessionId);
      }
    }
    this.schedule();
  }

  touch(sessionId: string): void {
    this.dirty.add(sessionId);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.immediate) return;
    const wait = this.opts.flushIntervalMs - (Date.now() - this.lastFlush);
    // leading edge: after a quiet spell the first change goes out at once (interactive
    // latency); under load the interval caps the flush rate
    if (wait <= 0) this.immediate = setImmediate(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    this.timer = undefined;
    this.immediate = undefined;
    this.lastFlush = Date.now();
    if (this.transport.backlog() > this.opts.highWaterBytes) {
      // the transport is backed up: send nothing now, look again shortly
      this.timer = setTimeout(() => this.flush(), this.opts.flushIntervalMs);
      return;
    }
    const batch = this.queue;
    this.queue = [];
    const now = Date.now();
    if (this.resync) {
      this.resync = false;
      batch.unshift({ type: 'app.notice', ts: now, notice: { code: 'RESYNC' } });
    }
    for (const id of this.dirty) {
      let tail;
      try {
        tail = this.source.tail(id, this.seen.get(id) ?? 0, this.opts.tailRows);
      } catch {
        continue; // the session went away
      }
      this.seen.set(id, tail.lastSeq);
      batch.push({ type: 'log.tail', ts: now, sessionId: id, ...tail });
    }
    this.dirty.clear();
    for (const c of this.latest.values()) batch.push(c);
    this.latest.clear();
    if (batch.length === 0) return;
    try {
      this.transport.send(batch);
    } catch {
      // a transport that fails to send is the transport's problem (it detaches itself)
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.queue = [];
  }
}

export class Hub {
  private readonly clients = new Set<ClientQueue>();
  private readonly opts: Required<HubOptions>;

  constructor(
    private readonly source: TailSource,
    options: HubOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...options };
  }

  /** Send an event to every client. */
  publish(event: NetEvent): void {
    for (const c of this.clients) c.push(event);
  }

  /** Rows were appended to a session's record: its tail is due. */
  touch(sessionId: string): void {
    for (const c of this.clients) c.touch(sessionId);
  }

  attach(transport: HubTransport): HubClient {
    const client = new ClientQueue(transport, this.opts, this.source);
    this.clients.add(client);
    return {
      detach: () => {
        client.dispose();
        this.clients.delete(client);
      },
    };
  }

  get clientCount(): number {
    return this.clients.size;
  }

  dispose(): void {
    for (const c of this.clients) c.dispose();
    this.clients.clear();
  }
}
