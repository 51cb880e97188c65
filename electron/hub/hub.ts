/**
 * The hub sits between the engine and the transports (IPC, WebSocket).
 * - Fans every engine event out to each attached client.
 * - Batches: at most one flush per `flushIntervalMs` (≈60/s) per client, or
 *   sooner once `maxBatchBytes` of payload is pending.
 * - Coalesces counters (the latest snapshot per session wins).
 * - Backpressure: when a client falls behind (its transport backlog or our
 *   queue is over the high-water mark) TCP reading is paused engine-wide and
 *   UDP data rows are dropped from that client's *view* (counted and reported
 *   as `view.dropped`); counters and captures are never affected.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetEvent, Result } from '../../shared/protocol';
import { SessionManager } from '../net/manager';
import type { HandlerModule, Handlers, HubContext } from './context';
import { createDispatcher, type Dispatcher } from './dispatch';
import { automationModule } from './handlers-automation';
import { dataModule } from './handlers-data';
import { historyModule } from './handlers-history';
import { sessionModule } from './handlers-session';

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

export interface HubOptions {
  flushIntervalMs?: number;
  maxBatchBytes?: number;
  /** queue + transport backlog above which a client counts as behind */
  highWaterBytes?: number;
  /** …and below which it has caught up again */
  lowWaterBytes?: number;
  /**
   * Hard cap on one client's queue: beyond it every data row (TCP too, e.g. tx
   * rows of a fast periodic send) is dropped from that client's view and
   * reported, so a stalled client can never grow memory without bound.
   */
  maxQueueBytes?: number;
  /** Folder for captures, exports, spill logs and profiles (default: a temp folder). */
  dataDir?: string;
}

type QueueOptions = Required<Omit<HubOptions, 'dataDir'>>;

const DEFAULTS: QueueOptions = {
  flushIntervalMs: 16,
  maxBatchBytes: 64 * 1024,
  highWaterBytes: 8 * 1024 * 1024,
  lowWaterBytes: 1024 * 1024,
  maxQueueBytes: 32 * 1024 * 1024,
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

/** Rough wire weight of an event: its payload plus a fixed overhead. */
export const eventWeight = (e: NetEvent): number => (e.type === 'data' ? e.bytes.byteLength + e.text.length * 2 + 128 : 256);

interface UdpLookup {
  isUdp(sessionId: string): boolean;
}

class ClientQueue {
  private queue: NetEvent[] = [];
  private latest = new Map<string, NetEvent>();
  private dropped = new Map<string, { messages: number; bytes: number }>();
  private queuedBytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private lastFlush = 0;
  behind = false;

  constructor(
    private readonly transport: HubTransport,
    private readonly opts: QueueOptions,
    private readonly udp: UdpLookup,
    private readonly onBehindChange: () => void,
  ) {}

  push(event: NetEvent): void {
    const key = coalesceKey(event);
    if (key !== undefined) {
      this.latest.set(key, event);
    } else if (
      event.type === 'data' &&
      ((this.behind && this.udp.isUdp(event.sessionId)) || this.queuedBytes >= this.opts.maxQueueBytes)
    ) {
      const d = this.dropped.get(event.sessionId) ?? { messages: 0, bytes: 0 };
      d.messages += 1;
      d.bytes += event.bytes.byteLength;
      this.dropped.set(event.sessionId, d);
    } else {
      this.queue.push(event);
      this.queuedBytes += eventWeight(event);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.queuedBytes >= this.opts.maxBatchBytes) {
      if (!this.immediate) this.immediate = setImmediate(() => this.flush());
      return;
    }
    if (this.timer || this.immediate) return;
    const wait = this.opts.flushIntervalMs - (Date.now() - this.lastFlush);
    // leading edge: after a quiet spell the first event goes out at once (low latency for
    // interactive traffic); under load the interval caps the flush rate
    if (wait <= 0) this.immediate = setImmediate(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.updateBehind();
    if (this.behind && this.transport.backlog() > this.opts.highWaterBytes) {
      // the transport itself is full: hold the queue and look again shortly
      // (updateBehind may already have set that timer)
      this.timer ??= setTimeout(() => this.flush(), this.opts.flushIntervalMs);
      return;
    }
    const batch = this.queue;
    const now = Date.now();
    for (const [sessionId, d] of this.dropped) {
      batch.push({ type: 'view.dropped', ts: now, sessionId, messages: d.messages, bytes: d.bytes });
    }
    for (const c of this.latest.values()) batch.push(c);
    this.queue = [];
    this.queuedBytes = 0;
    this.latest.clear();
    this.dropped.clear();
    this.lastFlush = now;
    if (batch.length > 0) {
      try {
        this.transport.send(batch);
      } catch {
        // a transport that fails to send is the transport's problem (it detaches itself)
      }
    }
    this.updateBehind();
    if (this.behind) this.schedule();
  }

  private updateBehind(): void {
    const load = this.queuedBytes + this.transport.backlog();
    const was = this.behind;
    if (!was && load > this.opts.highWaterBytes) this.behind = true;
    else if (was && load < this.opts.lowWaterBytes) this.behind = false;
    if (was !== this.behind) this.onBehindChange();
    if (this.behind && !this.timer && !this.immediate) {
      // keep polling the backlog until it drains
      this.timer = setTimeout(() => this.flush(), this.opts.flushIntervalMs);
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
  readonly dispatch: Dispatcher;
  private readonly clients = new Set<ClientQueue>();
  private readonly opts: QueueOptions;
  private readPaused = false;
  /** The engine; it pushes every event into this hub. */
  readonly manager: SessionManager;
  readonly dataDir: string;
  private readonly modules: HandlerModule<never>[];

  constructor(options: HubOptions = {}) {
    const { dataDir, ...queue } = options;
    this.opts = { ...DEFAULTS, ...queue };
    this.dataDir = dataDir ?? join(tmpdir(), `wirebench-${process.pid}`);
    this.manager = new SessionManager((event) => this.fanOut(event));
    const ctx: HubContext = { manager: this.manager, dataDir: this.dataDir, emit: (e) => this.fanOut(e) };
    const data = dataModule(ctx);
    const extras = (id: string) => {
      const capture = data.recorder.captureInfo(id);
      const spill = data.recorder.spillInfo(id);
      return { ...(capture ? { capture } : {}), ...(spill ? { spill } : {}) };
    };
    const modules = [sessionModule(ctx, extras), historyModule(ctx), automationModule(ctx), data];
    this.modules = modules as HandlerModule<never>[];
    const handlers = Object.assign({}, ...modules.map((m) => m.handlers)) as Handlers;
    this.dispatch = createDispatcher(handlers);
  }

  /** session kinds, learnt from the event stream (the engine announces a session before its data) */
  private readonly udpSessions = new Set<string>();

  private fanOut(event: NetEvent): void {
    if (event.type === 'session.opened' && event.info.kind === 'udp') this.udpSessions.add(event.sessionId);
    else if (event.type === 'session.removed') this.udpSessions.delete(event.sessionId);
    for (const m of this.modules) {
      try {
        m.onEvent?.(event);
      } catch (e) {
        console.error('[wirebench] event hook failed', e);
      }
    }
    for (const c of this.clients) c.push(event);
  }

  /** Run one command: validate → dispatch → Result. Never throws. */
  handle(cmd: unknown, args: unknown): Promise<Result<unknown>> {
    return this.dispatch(cmd, args);
  }

  attach(transport: HubTransport): HubClient {
    const udp: UdpLookup = { isUdp: (sessionId) => this.udpSessions.has(sessionId) };
    const client = new ClientQueue(transport, this.opts, udp, () => this.updateReadPause());
    this.clients.add(client);
    return {
      detach: () => {
        client.dispose();
        this.clients.delete(client);
        this.updateReadPause();
      },
    };
  }

  get clientCount(): number {
    return this.clients.size;
  }

  private updateReadPause(): void {
    const anyBehind = [...this.clients].some((c) => c.behind);
    if (anyBehind !== this.readPaused) {
      this.readPaused = anyBehind;
      this.manager.setReadPaused(anyBehind);
    }
  }

  async dispose(): Promise<void> {
    for (const c of this.clients) c.dispose();
    this.clients.clear();
    await this.manager.closeAll();
    for (const m of this.modules) await m.dispose?.();
  }
}
