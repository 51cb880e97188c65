/**
 * Runs a session's reply rules: feeds every received message (and every
 * new connection, for the greeting) to the RuleEngine, and sends the
 * replies it returns.
 *
 * - Replies to one sender keep their order: each sender (server: its peer
 *   id; client: 'conn'; UDP: 'address:port' of the source) has one queue.
 *   A reply goes out `delayMs` after its message arrived, but never before
 *   the replies queued ahead of it for the same sender.
 * - Replies are normal sends (the session's send(): counters, tx rows,
 *   backpressure). `to: 'all'` sends to every peer of a server; a client
 *   has one peer; for UDP 'all' means the sender too (a UDP session has no
 *   list of peers).
 * - `close` ends the sender's connection once the reply was written (TCP);
 *   nothing is queued for that sender after it. UDP ignores it.
 * - A sender that floods faster than its replies can be written is paused
 *   (TCP) until its queue drains, so echo cannot grow memory without end.
 * - Queued replies and their timers go when the sender leaves or the
 *   session stops.
 * - Rule stats go out as `rules.stats` at most every 100 ms per session,
 *   with each peer's state and the count of hit-log entries (the hit log
 *   itself is read on demand: hits()).
 */
import { WbError } from '../../shared/protocol/errors';
import { say, type Reason } from '../../shared/protocol/reason-format';
import { formatEndpoint } from '../../shared/protocol/format';
import type { Endpoint } from '../../shared/protocol/model';
import type { Encoding } from '../../shared/protocol/encodings';
import type { PeerHitLog, RuleSet, RuleStat } from '../../shared/protocol/rules';
import type { FramerSpec } from '../../shared/codec/types';
import { whyOf } from './errors';
import { RuleEngine, type Reply } from './rules';

/** Who a message came from, as the session knows it. */
export interface Sender {
  /** server: the peer; client: 'conn'; UDP: absent */
  peerId?: string;
  remote: Endpoint;
}

export interface ReplyHost {
  /** the session's clock for {{time}} and the stats (may be fixed in tests) */
  now(): number;
  /** Send one reply; resolves once written. */
  deliver(bytes: Uint8Array, to: 'sender' | 'all', sender: Sender): Promise<unknown>;
  /** End the sender's connection (TCP); `reason` becomes its leave reason. */
  closeSender(sender: Sender, reason: Reason): void;
  /** Stop or resume reading from this sender (TCP; UDP cannot). */
  pauseSender(sender: Sender, paused: boolean): void;
  /**
   * `peerStates`: each peer's dialogue state by sender key (peer id), when
   * the rules use states; `hits`: hit-log entries so far, once there are any
   */
  emitStats(stats: RuleStat[], extra: { peerStates?: Record<string, string>; hits?: number }): void;
  emitError(err: WbError, sender: Sender): void;
}

const STATS_INTERVAL_MS = 100;
/** Queued replies per sender above which its reading pauses, and below which it resumes. */
const HIGH_WATER = 256;
const LOW_WATER = 32;

interface Queue {
  key: string;
  sender: Sender;
  tail: Promise<void>;
  pending: number;
  cancelled: boolean;
  paused: boolean;
  waits: Set<{ timer: ReturnType<typeof setTimeout>; resolve: () => void }>;
}

/** Errors that only say the sender is gone: the socket already reported why. */
const GONE = new Set(['NOT_CONNECTED', 'PEER_NOT_FOUND', 'CONNECTION_RESET', 'NO_TARGET']);

const senderKey = (s: Sender): string => s.peerId ?? `${s.remote.address}:${s.remote.port}`;

export class ReplyRunner {
  private engine: RuleEngine | undefined;
  private ruleSet: RuleSet | undefined;
  private readonly queues = new Map<string, Queue>();
  private statsTimer: ReturnType<typeof setTimeout> | undefined;
  private lastStatsAt = 0;

  constructor(private readonly host: ReplyHost) {}

  get rules(): RuleSet | undefined {
    return this.ruleSet;
  }

  /** True when a message or a connection can get a reply. */
  get active(): boolean {
    return this.engine?.active ?? false;
  }

  setRules(set: RuleSet, encoding: Encoding, framing?: FramerSpec): void {
    this.ruleSet = set;
    if (this.engine) this.engine.setRules(set);
    else this.engine = new RuleEngine(set, encoding, framing);
    this.flushStats();
  }

  /** The session's framing changed: replies without their own line ending follow it. */
  setFraming(framing: FramerSpec): void {
    this.engine?.setFraming(framing);
  }

  /** The peer's dialogue state, when the rules use states and the peer has said something. */
  peerState(sender: Sender): string | undefined {
    if (!this.engine?.stateful) return undefined;
    return this.engine.peerStates()[senderKey(sender)] ?? 'start';
  }

  setEncoding(encoding: Encoding): void {
    this.engine?.setEncoding(encoding);
  }

  stats(): RuleStat[] {
    return this.engine?.stats() ?? [];
  }

  /** The hit logs (rules.hits): one peer's whole log, or every peer's newest hit. */
  hits(peerKey?: string): PeerHitLog[] {
    return this.engine?.hitLogs(peerKey) ?? [];
  }

  /** A peer connected (TCP): the greeting. */
  onConnect(sender: Sender): void {
    const engine = this.engine;
    if (!engine?.active) return;
    const arrived = performance.now();
    const replies = engine.onConnect({ peerKey: senderKey(sender), peer: formatEndpoint(sender.remote), now: this.host.now() });
    if (this.ruleSet?.greeting) this.markStats();
    this.enqueue(sender, replies, arrived);
  }

  /** One framed message arrived; its rx data event has already been emitted. */
  onMessage(bytes: Uint8Array, text: string, sender: Sender): void {
    const engine = this.engine;
    if (!engine?.active) return;
    const arrived = performance.now();
    const replies = engine.onMessage(bytes, text, { peerKey: senderKey(sender), peer: formatEndpoint(sender.remote), now: this.host.now() });
    if (this.ruleSet && (this.ruleSet.rules.length > 0 || this.ruleSet.greeting || this.stateful)) this.markStats();
    this.enqueue(sender, replies, arrived);
  }

  /** The sender left: drop its queued replies, its {{count}} counters, its state and variables. */
  forget(sender: Sender): void {
    const key = senderKey(sender);
    const q = this.queues.get(key);
    if (q) this.cancel(q);
    this.engine?.forget(key, this.host.now());
  }

  /** Every message goes through the rules when they hold a dialogue (a state may change without a reply). */
  private get stateful(): boolean {
    return this.engine?.stateful ?? false;
  }

  /** The session stopped: drop every queued reply and timer; send the last stats now. */
  cancelAll(): void {
    for (const q of [...this.queues.values()]) this.cancel(q);
    if (this.statsTimer !== undefined) this.flushStats();
  }

  private cancel(q: Queue): void {
    q.cancelled = true;
    for (const w of q.waits) {
      clearTimeout(w.timer);
      w.resolve();
    }
    q.waits.clear();
    if (this.queues.get(q.key) === q) this.queues.delete(q.key);
  }

  private enqueue(sender: Sender, replies: Reply[], arrived: number): void {
    if (replies.length === 0) return;
    const key = senderKey(sender);
    let q = this.queues.get(key);
    if (!q) {
      q = { key, sender, tail: Promise.resolve(), pending: 0, cancelled: false, paused: false, waits: new Set() };
      this.queues.set(key, q);
    }
    const queue = q;
    for (const r of replies) {
      queue.pending++;
      queue.tail = queue.tail.then(() => this.run(queue, r, arrived)).then(() => this.settled(queue));
    }
    if (!queue.paused && queue.pending > HIGH_WATER) {
      queue.paused = true;
      this.host.pauseSender(sender, true);
    }
  }

  private settled(q: Queue): void {
    q.pending--;
    if (q.paused && (q.pending < LOW_WATER || q.cancelled)) {
      q.paused = false;
      if (!q.cancelled) this.host.pauseSender(q.sender, false);
    }
    if (q.pending === 0 && this.queues.get(q.key) === q) this.queues.delete(q.key);
  }

  private sleep(q: Queue, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const w = {
        timer: setTimeout(() => {
          q.waits.delete(w);
          resolve();
        }, ms),
        resolve,
      };
      q.waits.add(w);
    });
  }

  /** Send one reply when it is due; never rejects. */
  private async run(q: Queue, r: Reply, arrived: number): Promise<void> {
    try {
      if (q.cancelled) return;
      const wait = arrived + r.delayMs - performance.now();
      if (wait >= 1) await this.sleep(q, wait);
      if (q.cancelled) return;
      if (r.bytes.length > 0) await this.host.deliver(r.bytes, r.to, q.sender);
      if (r.close && !q.cancelled) {
        this.cancel(q);
        this.host.closeSender(q.sender, this.closedBy(r.ruleId));
      }
    } catch (e) {
      if (q.cancelled) return;
      const err = e instanceof WbError ? e : new WbError('INTERNAL', e instanceof Error ? e.message : String(e));
      if (GONE.has(err.code)) return;
      this.host.emitError(new WbError(err.code, say('reply.notSent', { why: whyOf(err) }), err.detail), q.sender);
    }
  }

  /** Why a rule closed the connection: the rule by its name, or by its number when it has none. */
  private closedBy(ruleId: string | undefined): Reason {
    const rules = this.ruleSet?.rules ?? [];
    const i = ruleId === undefined ? -1 : rules.findIndex((r) => r.id === ruleId);
    const name = rules[i]?.name?.trim();
    if (name) return say('status.closedByRule', { name });
    return i >= 0 ? say('status.closedByRuleN', { n: i + 1 }) : say('status.closedByRules');
  }

  private markStats(): void {
    if (this.statsTimer !== undefined) return;
    const wait = this.lastStatsAt + STATS_INTERVAL_MS - performance.now();
    if (wait <= 0) this.flushStats();
    else this.statsTimer = setTimeout(() => this.flushStats(), wait);
  }

  private flushStats(): void {
    if (this.statsTimer !== undefined) clearTimeout(this.statsTimer);
    this.statsTimer = undefined;
    this.lastStatsAt = performance.now();
    try {
      const hits = this.engine?.hitCount ?? 0;
      this.host.emitStats(this.stats(), {
        ...(this.engine?.stateful ? { peerStates: this.engine.peerStates() } : {}),
        ...(hits > 0 ? { hits } : {}),
      });
    } catch {
      // never escape into the event loop
    }
  }
}
