/**
 * What every session kind shares: identity, config, the state machine's
 * status log, exact counters, the rx path (framer → streaming decoder → `data`
 * event) and the helpers that emit events into the sink.
 *
 * A session never throws into the event loop: socket callbacks call the
 * helpers here, and the helpers only emit.
 */
import { createFramer } from '../../shared/codec/framer';
import type { WbError } from '../../shared/protocol/errors';
import { formatReason, type Reason } from '../../shared/protocol/reason-format';
import type { DataEvent, EngineEvent, EventSink } from '../../shared/protocol/events';
import {
  STATUS_LOG_CAP,
  zeroCounters,
  type Counters,
  type Endpoint,
  type PeerInfo,
  type SendReport,
  type SessionInfo,
  type SessionState,
  type StatusEntry,
} from '../../shared/protocol/model';
import type { PeerHitLog, RuleSet, RuleStat } from '../../shared/protocol/rules';
import type { SendTarget, SessionConfig, SessionOptions } from '../../shared/protocol/schemas';
import { formatHostPort } from '../../shared/protocol/format';
import { ReplyRunner, type Sender } from './session-replies';
import { createDecoder, decodeText } from './text-codec';

export { describeOption, endpoint, localOf, remoteOf } from './session-io';


export type Decoder = ReturnType<typeof createDecoder>;
export type Framer = ReturnType<typeof createFramer>;

/**
 * Sees every received chunk before framing, exactly as it came off the
 * socket: raw capture files are written from this, so they hold every byte
 * whatever the framing does (delimiters dropped, bytes still pending).
 */
export type RawTap = (sessionId: string, bytes: Uint8Array, source: RawSource) => void;

/** Where a raw chunk came from; `local` is this end (the bound address of a UDP socket), when known. */
export interface RawSource {
  peerId?: string;
  remote: Endpoint;
  local?: Endpoint;
}

export interface SessionContext {
  /** where events go (the manager may hold them back while a session opens) */
  emit: EventSink;
  now: () => number;
  /** raw received bytes, before framing */
  tap?: RawTap;
  /** the data folder (TLS: key logs, the generated certificate) */
  dataDir?: string | undefined;
}

/** Per-peer (or per-UDP-source) receive state. */
export interface RxState {
  framer: Framer;
  decoder: Decoder;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
}

export interface RxMeta {
  peerId?: string;
  remote: Endpoint;
  /** this end of the connection (a server's peer: its own local address) */
  local?: Endpoint;
  /** the peer's own counters, besides the session's */
  counters?: Counters;
}

const copy = (c: Counters): Counters => ({
  rxBytes: c.rxBytes,
  txBytes: c.txBytes,
  rxMessages: c.rxMessages,
  txMessages: c.txMessages,
});

export abstract class SessionBase<C extends SessionConfig = SessionConfig> {
  readonly id: string;
  config: C;
  state: SessionState = 'idle';
  readonly statusLog: StatusEntry[] = [];
  counters: Counters = zeroCounters();
  local: Endpoint | undefined;
  remote: Endpoint | undefined;
  readonly createdAt: number;
  protected readonly ctx: SessionContext;
  /** reply rules: greeting, echo and rules, run on every received message */
  protected readonly replies: ReplyRunner;
  /** a counters event is due at the end of this tick */
  private countersDue = false;
  /** peers whose counters changed since the last counters event (only they are sent) */
  private readonly dirtyPeers = new Map<string, Counters>();

  constructor(id: string, config: C, ctx: SessionContext) {
    this.id = id;
    this.config = config;
    this.ctx = ctx;
    this.createdAt = ctx.now();
    this.replies = new ReplyRunner({
      now: () => this.ctx.now(),
      deliver: (bytes, to, sender) => this.sendReply(bytes, to, sender),
      closeSender: (sender, reason) => this.closeSender(sender, reason),
      pauseSender: (sender, paused) => this.pauseSender(sender, paused),
      emitStats: (stats, extra) => this.emit({ type: 'rules.stats', ts: this.ctx.now(), sessionId: this.id, stats, ...extra }),
      emitError: (err, sender) => this.emitError(err, sender.peerId, sender.remote),
    });
  }

  /** Connect / listen / bind. Resolves when the attempt settled; rejects with a WbError. */
  abstract start(): Promise<void>;
  /** Close the sockets, keep the session (state → closed). */
  abstract stop(reason?: Reason): Promise<void>;
  abstract send(bytes: Uint8Array, target: SendTarget): Promise<SendReport>;
  /** Send a rule's reply to the message's sender or to every peer. */
  protected abstract sendReply(bytes: Uint8Array, to: 'sender' | 'all', sender: Sender): Promise<unknown>;
  /** End the sender's connection after a rule's reply (TCP; UDP ignores it). */
  protected abstract closeSender(sender: Sender, reason: Reason): void;
  /** Stop or resume reading from one sender while its replies queue up (TCP). */
  protected abstract pauseSender(sender: Sender, paused: boolean): void;
  abstract peers(): PeerInfo[];
  /** Live rx states, so a changed encoding or framing can reset them. */
  protected abstract rxStates(): RxState[];
  /** Kind-specific live options; throws INVALID_ARGUMENT for options of another kind. */
  protected abstract applyOptions(options: SessionOptions): void;
  abstract disconnectPeer(peerId: string): Promise<void>;
  abstract setReadPaused(paused: boolean): void;

  get isRunning(): boolean {
    return this.state === 'connecting' || this.state === 'connected' || this.state === 'listening' ||
      this.state === 'open' || this.state === 'reconnecting';
  }

  /** A name for a session the user did not name: where it connects or listens, with the real port. */
  protected defaultName(): string {
    const c = this.config;
    if (c.kind === 'tcp-client') return formatHostPort(c.host, c.port);
    if (c.kind === 'tcp-server') return formatHostPort(c.host, this.local?.port ?? c.port);
    return formatHostPort(c.bindAddress ?? (c.family === 'udp6' ? '::' : '0.0.0.0'), this.local?.port ?? c.bindPort);
  }

  /** The name the session shows: its own, or where it connects or listens. */
  get shownName(): string {
    return this.config.name || this.defaultName();
  }

  info(): SessionInfo {
    return {
      sessionId: this.id,
      kind: this.config.kind,
      name: this.shownName,
      config: this.config,
      state: this.state,
      ...(this.local ? { local: this.local } : {}),
      ...(this.remote ? { remote: this.remote } : {}),
      statusLog: this.statusLog.slice(),
      peers: this.peers(),
      counters: copy(this.counters),
      groups: [],
      createdAt: this.createdAt,
      ...(this.replies.rules ? { rules: this.replies.rules } : {}),
    };
  }

  /** Replace the reply rules (they apply from the next message or connection). */
  setRules(rules: RuleSet): void {
    this.replies.setRules(rules, this.config.rxEncoding, this.config.framing);
  }

  ruleStats(): RuleStat[] {
    return this.replies.stats();
  }

  /** The rules' hit log: one peer's, or every peer's newest hit. */
  ruleHits(peer?: string): PeerHitLog[] {
    return this.replies.hits(peer);
  }

  update(options: SessionOptions): void {
    this.applyOptions(options);
    const { name, rxEncoding, framing } = options;
    const next = { ...this.config } as C;
    if (name !== undefined) next.name = name;
    if (rxEncoding !== undefined) next.rxEncoding = rxEncoding;
    if (framing !== undefined) next.framing = framing;
    const resetRx = rxEncoding !== undefined || framing !== undefined;
    this.config = next;
    if (rxEncoding !== undefined) this.replies.setEncoding(rxEncoding);
    if (framing !== undefined) this.replies.setFraming(framing);
    if (resetRx) for (const rx of this.rxStates()) this.resetRx(rx);
  }

  resetCounters(): void {
    this.counters = zeroCounters();
    for (const p of this.peerCounterRefs()) {
      p.rxBytes = 0;
      p.txBytes = 0;
      p.rxMessages = 0;
      p.txMessages = 0;
    }
    const live = this.peerCounterMap();
    for (const k in live) this.touchPeer(k, live[k]);
    this.emitCounters();
  }

  /** Live counter objects of the peers (server: per client; client: the connection). */
  protected peerCounterRefs(): Array<Counters> {
    return [];
  }
  protected peerCounterMap(): Record<string, Counters> {
    return {};
  }

  // ---------------------------------------------------------------- events

  protected emit(ev: EngineEvent): void {
    try {
      this.ctx.emit(ev);
    } catch {
      // a faulty sink must never break a socket callback
    }
  }

  /** Every message (rx, tx, rule replies, transfers) leaves through here, for the session's record. */
  private emitData(dir: 'rx' | 'tx', bytes: Uint8Array, remote: Endpoint, peerId: string | undefined, local: Endpoint | undefined): void {
    const ev: DataEvent = { type: 'data', ts: this.ctx.now(), sessionId: this.id, dir, remote, bytes };
    if (peerId !== undefined) ev.peerId = peerId;
    const here = local ?? this.local;
    if (here) ev.local = here;
    this.emit(ev);
  }

  /** A new state and why, as a Reason: the entry carries its English sentence and the Reason (`why`). */
  setStatus(state: SessionState, why: Reason, err?: WbError): void {
    this.state = state;
    const entry: StatusEntry = { state, reason: formatReason(why), why, ts: this.ctx.now() };
    if (err) {
      entry.code = err.code;
      if (err.detail?.sysCode) entry.sysCode = err.detail.sysCode;
    }
    this.statusLog.push(entry);
    if (this.statusLog.length > STATUS_LOG_CAP) this.statusLog.splice(0, this.statusLog.length - STATUS_LOG_CAP);
    this.emit({
      type: 'session.status',
      ts: entry.ts,
      sessionId: this.id,
      status: entry,
      ...(this.local ? { local: this.local } : {}),
      ...(this.remote ? { remote: this.remote } : {}),
    });
  }

  emitError(err: WbError, peerId?: string, remote?: Endpoint): void {
    this.emit({
      type: 'error',
      ts: this.ctx.now(),
      sessionId: this.id,
      ...(peerId !== undefined ? { peerId } : {}),
      ...(remote ? { remote } : {}),
      code: err.code,
      message: err.message,
      ...(err.why ? { why: err.why } : {}),
      ...(err.detail?.sysCode ? { sysCode: err.detail.sysCode } : {}),
    });
  }

  /** Counters go out once per tick however many chunks arrived in it (the hub keeps the latest anyway). */
  protected countersChanged(): void {
    if (this.countersDue) return;
    this.countersDue = true;
    setImmediate(() => {
      this.countersDue = false;
      this.emitCounters();
    });
  }

  /** The session's counters, and those of the peers that changed since the previous event (1,000 clients cost 1, not 1,000). */
  emitCounters(): void {
    const peers: Record<string, Counters> = {};
    for (const [k, c] of this.dirtyPeers) peers[k] = copy(c);
    this.dirtyPeers.clear();
    this.emit({ type: 'counters', ts: this.ctx.now(), sessionId: this.id, counters: copy(this.counters), peers });
  }

  /** A peer's counters changed: the next counters event carries them. */
  private touchPeer(peerId: string | undefined, counters: Counters | undefined): void {
    if (peerId !== undefined && counters) this.dirtyPeers.set(peerId, counters);
  }

  /** Count one completed send to one target and emit its tx row (no counters event). */
  protected recordTx(bytes: Uint8Array, remote: Endpoint, peerId?: string, peerCounters?: Counters, local?: Endpoint): void {
    this.counters.txBytes += bytes.length;
    this.counters.txMessages += 1;
    if (peerCounters) {
      peerCounters.txBytes += bytes.length;
      peerCounters.txMessages += 1;
      this.touchPeer(peerId, peerCounters);
    }
    this.emitData('tx', bytes, remote, peerId, local);
  }

  // ---------------------------------------------------------------- rx path

  newRx(): RxState {
    return { framer: createFramer(this.config.framing), decoder: createDecoder(this.config.rxEncoding), idleTimer: undefined };
  }

  /** Text of a received message for the reply rules (the only reader of text on the socket path). */
  private ruleText(rx: RxState | undefined, bytes: Uint8Array): string {
    try {
      return rx ? rx.decoder.write(bytes) : decodeText(bytes, this.config.rxEncoding);
    } catch {
      return '';
    }
  }

  resetRx(rx: RxState): void {
    this.disposeRx(rx);
    rx.framer = createFramer(this.config.framing);
    rx.decoder = createDecoder(this.config.rxEncoding);
  }

  disposeRx(rx: RxState): void {
    if (rx.idleTimer !== undefined) clearTimeout(rx.idleTimer);
    rx.idleTimer = undefined;
  }

  /** Bytes arrived from one peer/source: count them, frame them, emit the messages. */
  rxChunk(rx: RxState, chunk: Uint8Array, meta: RxMeta): void {
    this.ctx.tap?.(this.id, chunk, meta.local || !this.local ? meta : { ...meta, local: this.local });
    this.counters.rxBytes += chunk.length;
    if (meta.counters) meta.counters.rxBytes += chunk.length;
    this.touchPeer(meta.peerId, meta.counters);
    let messages: Uint8Array[];
    try {
      messages = rx.framer.push(chunk, this.ctx.now());
    } catch {
      messages = [chunk];
    }
    this.emitRx(rx, messages, meta, false);
    this.armIdle(rx, meta);
    this.countersChanged();
  }

  /** The peer went away: whatever the framer still holds becomes a last message. */
  rxEnd(rx: RxState, meta: RxMeta): void {
    this.disposeRx(rx);
    let messages: Uint8Array[] = [];
    try {
      messages = rx.framer.flush();
    } catch {
      messages = [];
    }
    if (messages.length > 0) {
      this.emitRx(rx, messages, meta, true);
      this.countersChanged();
    }
  }

  /** One datagram decoded on its own (UDP with raw framing). */
  rxDatagram(bytes: Uint8Array, remote: Endpoint): void {
    this.ctx.tap?.(this.id, bytes, this.local ? { remote, local: this.local } : { remote });
    this.counters.rxBytes += bytes.length;
    this.counters.rxMessages += 1;
    this.emitData('rx', bytes, remote, undefined, undefined);
    this.countersChanged();
    if (this.replies.active) this.replies.onMessage(bytes, this.ruleText(undefined, bytes), { remote });
  }

  private emitRx(rx: RxState, messages: Uint8Array[], meta: RxMeta, last: boolean): void {
    for (let i = 0; i < messages.length; i++) {
      const bytes = messages[i] as Uint8Array;
      this.counters.rxMessages += 1;
      if (meta.counters) meta.counters.rxMessages += 1;
      this.touchPeer(meta.peerId, meta.counters);
      this.emitData('rx', bytes, meta.remote, meta.peerId, meta.local);
      // the last words of a peer that already left get no reply
      if (!last && this.replies.active) this.replies.onMessage(bytes, this.ruleText(rx, bytes), meta);
    }
  }

  private armIdle(rx: RxState, meta: RxMeta): void {
    const framing = this.config.framing;
    if (framing.kind !== 'idle') return;
    if (rx.idleTimer !== undefined) clearTimeout(rx.idleTimer);
    rx.idleTimer = undefined;
    if (rx.framer.pendingBytes === 0) return;
    rx.idleTimer = setTimeout(() => {
      rx.idleTimer = undefined;
      try {
        const messages = rx.framer.flush();
        if (messages.length > 0) {
          this.emitRx(rx, messages, meta, false);
          this.countersChanged();
        }
      } catch {
        // never escape into the event loop
      }
    }, framing.gapMs);
  }
}
