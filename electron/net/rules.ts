/**
 * The reply-rule engine: what a session says back, by itself, to what it
 * receives. Pure (no sockets, no timers): the session calls it and sends
 * the replies it returns.
 *
 * How a rule set runs (user guide material)
 * - Each received message (as cut by the session's framing) is offered to
 *   the rules in order. A disabled rule is skipped. A rule that matches
 *   replies; if its "stop" is on (the default), later rules are not tried,
 *   otherwise matching goes on and several rules may reply to one message.
 * - Echo: when on, the message itself goes straight back to its sender
 *   first, and the rules still run after it.
 * - Greeting: sent to each peer when it connects (TCP), before anything it
 *   says.
 * - Matching (rules-match.ts): text matches work on the message
 *   decoded with the session's receive encoding. `text-equals` ignores one
 *   trailing CR, LF or CRLF; contains, starts-with and regex see the text
 *   exactly as it arrived (with raw framing, end a regex with \s*$ rather
 *   than $). `bytes` and hex patterns work on the raw bytes.
 * - Replies: see the template language in shared/protocol/rule-template.ts. Each
 *   reply carries the rule's delay (from the message's arrival), its target
 *   (the sender or every peer) and whether to close the sender's connection
 *   after sending. An empty reply sends nothing (useful with "stop" to
 *   swallow messages), unless the rule closes the connection.
 * - {{count}} counts this rule's replies to this peer; a peer's counters are
 *   forgotten when it disconnects (and the least recently seen peers are
 *   forgotten beyond 10,000, so UDP sources cannot grow memory without end).
 * - A reply that cannot be built (a character the encoding cannot represent,
 *   a reply over 16 MiB) is not sent and does not close anything; the rule
 *   still counts as matched ("stop" applies) and the error shows in its
 *   stats. Rules never throw.
 * - Dialogues: each peer has a state (it starts in `start`, and is back
 *   there after a reconnect) and variables (the rule set's `vars` to start
 *   with). A rule with `when` is tried only in that state (or one of those
 *   states, when it lists several); `then` moves the
 *   peer once the rule matched. `set` stores variables (values are text
 *   templates, so captures: `{ name: 'user', value: '$1' }`, or a name from a
 *   capture: `{ name: '$1', value: '$2' }`) before the reply is built, so the
 *   reply already sees them as {{var.user}}. A rule with `collect` replies,
 *   then consumes the peer's next messages (no rule sees them) into a
 *   variable until a line equal to the terminator; then it sends its collect
 *   reply once and goes to `then`. Echo still echoes collected lines.
 * - A text reply without a line ending of its own ends with the framing's
 *   delimiter when that is CR, LF or CRLF (the greeting too); 'none' sends
 *   nothing after it.
 * - A reply that needs what is not there does not match: {{var.x!}} of an
 *   unset variable, or {{words:…}} reaching past the register table. The
 *   rule is skipped (no hit, no `set`) and the next rule is tried.
 * - Hit log (rules-hits.ts): every hit is recorded per peer with the state
 *   before and after; `total` hits of the session go out with the stats.
 * - Regexes run on the main engine thread: a pathological pattern on a long
 *   message is slow for every session, so keep patterns simple and anchored.
 *
 * Where the parts live: rules-compile.ts makes a rule set ready to run,
 * rules-match.ts tests a message, rules-peers.ts keeps each peer's dialogue
 * (state, variables, counters, collect buffer, hit log), rules-render.ts
 * renders a reply's template and rules-reply.ts makes it a Reply in the
 * session's encoding and framing, rules-stats.ts counts hits and errors.
 * This file ties them together: one message in, the replies out.
 */
import type { FramerSpec } from '../../shared/codec/types';
import type { Encoding } from '../../shared/protocol/encodings';
import { GREETING_RULE_ID, type PeerHitLog, type Rule, type RuleSet, type RuleStat } from '../../shared/protocol/rules';
import { compileRuleSet, guardsPass, type CompiledRule } from './rules-compile';
import { hitText, hitVars } from './rules-hits';
import { collectMessage, PeerTable, setPeerVar, setRuleVar, type PeerDialogue } from './rules-peers';
import type { CompiledReply } from './rules-render';
import { ReplyBuilder, ruleReply, type Reply } from './rules-reply';
import { RuleStats } from './rules-stats';

export type { Reply } from './rules-reply';

export interface PeerContext {
  /** stable per connection or per UDP source; counters are kept per key */
  peerKey: string;
  /** shown by {{peer}}, e.g. "1.2.3.4:5" */
  peer: string;
  /** when the message arrived (ms since the epoch); {{time}} and stats use it */
  now: number;
}

/** What one message did: the rules that matched, the state before and after, the replies. */
export interface Step {
  replies: Reply[];
  /** ids of the rules that matched, in order ('collect' steps name the collecting rule) */
  matched: string[];
  from: string;
  to: string;
  /** true when the message was consumed by a "collect until" */
  collected: boolean;
}

/** A rule's name for the hit log, when it has one. */
function named(rule: Rule): { name?: string } {
  const name = rule.name?.trim();
  return name ? { name } : {};
}

/** One session's reply rules: its rule set compiled, every peer's dialogue, the stats. */
export class RuleEngine {
  private set!: RuleSet;
  private compiled: CompiledRule[] = [];
  private greeting: CompiledReply | undefined;
  private readonly ruleStats = new RuleStats();
  private readonly peers = new PeerTable(() => this.set.vars);
  private readonly replies: ReplyBuilder;

  constructor(set: RuleSet, encoding: Encoding, framing?: FramerSpec) {
    this.replies = new ReplyBuilder(this.ruleStats, encoding, framing);
    this.setRules(set);
  }

  /** The session's framing changed: replies without a line ending follow its delimiter. */
  setFraming(framing: FramerSpec): void {
    this.replies.setFraming(framing);
  }

  /** Each known peer's state (only peers that have one: seen at least once). */
  peerStates(): Record<string, string> {
    return this.peers.states();
  }

  /** One peer's variables (a copy). */
  peerVars(peerKey: string): Record<string, string> {
    return this.peers.vars(peerKey);
  }

  /** True when some rule uses states. */
  get stateful(): boolean {
    return this.set.rules.some((r) => r.when !== undefined || r.then !== undefined || r.collect !== undefined);
  }

  /** Replace the rules. Stats and counters of rules that keep their id stay. */
  setRules(set: RuleSet): void {
    this.set = set;
    const compiled = compileRuleSet(set, (id, e) => this.ruleStats.error(id, e, Date.now()));
    this.greeting = compiled.greeting;
    this.compiled = compiled.rules;
    this.ruleStats.keepOnly(compiled.ids);
  }

  /** The session's receive encoding changed: text replies without their own encoding follow it. */
  setEncoding(encoding: Encoding): void {
    this.replies.setEncoding(encoding);
  }

  /** True when echo, a greeting or an enabled rule can reply: otherwise sessions may skip the engine. */
  get active(): boolean {
    return this.set.echo || this.set.greeting !== undefined || this.set.rules.some((r) => r.enabled);
  }

  /** A peer connected: the greeting, if any. */
  onConnect(ctx: PeerContext): Reply[] {
    if (!this.set.greeting) return [];
    this.ruleStats.hit(GREETING_RULE_ID, ctx.now);
    const peer = this.peers.get(ctx.peerKey, ctx.peer);
    this.peers.logHit(peer, { at: ctx.now, ruleId: GREETING_RULE_ID, n: 0, text: '', from: peer.state, to: peer.state });
    if (!this.greeting) return [];
    const bytes = this.replies.build(GREETING_RULE_ID, this.greeting, peer, ctx, true, undefined);
    if (!bytes || bytes.length === 0) return [];
    return [{ bytes, delayMs: 0, to: 'sender', ruleId: GREETING_RULE_ID, close: false }];
  }

  /**
   * A message arrived from `ctx.peerKey`. `text` is `message` decoded with the
   * session's receive encoding. Returns the replies in order (echo first).
   * The echo reply's bytes are `message` itself, not a copy.
   */
  onMessage(message: Uint8Array, text: string, ctx: PeerContext): Reply[] {
    return this.step(message, text, ctx).replies;
  }

  /** {@link onMessage}, telling also which rules matched and the state change ("Try it" shows it). */
  step(message: Uint8Array, text: string, ctx: PeerContext): Step {
    const out: Reply[] = [];
    const matched: string[] = [];
    if (this.set.echo && message.length > 0) out.push({ bytes: message, delayMs: 0, to: 'sender', close: false });
    const peer = this.peers.get(ctx.peerKey, ctx.peer);
    const from = peer.state;
    if (peer.collect) {
      const id = peer.collect.rule.rule.id;
      this.collectLine(peer, text, ctx, message, out);
      return { replies: out, matched: [id], from, to: peer.state, collected: true };
    }
    for (const c of this.compiled) {
      if (!c.rule.enabled || !c.test || !c.reply) continue;
      if (c.when && !c.when.has(peer.state)) continue;
      const found = c.test(message, text);
      if (found === null) continue;
      const groups = found === true ? undefined : found;
      if (!guardsPass(c, groups, peer.vars, message)) continue;
      matched.push(c.rule.id);
      const before = peer.state;
      this.ruleStats.hit(c.rule.id, ctx.now, text);
      const setVars: [string, string][] = [];
      for (const v of c.sets) {
        const done = setRuleVar(peer, c.rule.id, v, { ctx, groups, message });
        if (done) setVars.push(done);
      }
      const reply = ruleReply(c.rule, this.replies.build(c.rule.id, c.reply, peer, ctx, found, message));
      if (reply) out.push(reply);
      if (c.rule.collect && c.collectReply) peer.collect = { rule: c, groups, lines: [], bytes: 0 };
      else if (c.rule.then !== undefined) peer.state = c.rule.then;
      const set = hitVars(setVars);
      this.peers.logHit(peer, { at: ctx.now, ruleId: c.rule.id, n: c.n, ...named(c.rule), text: hitText(message, text), from: before, to: peer.state, ...(set ? { set } : {}) });
      if (c.rule.stop || peer.collect) break;
    }
    if (matched.length === 0 && this.compiled.some((c) => c.rule.enabled)) {
      this.peers.logHit(peer, { at: ctx.now, text: hitText(message, text), from, to: from });
    }
    return { replies: out, matched, from, to: peer.state, collected: false };
  }

  /** A message while collecting: one more line, or the terminator (the collect reply). */
  private collectLine(peer: PeerDialogue, text: string, ctx: PeerContext, message: Uint8Array, out: Reply[]): void {
    const col = peer.collect!;
    if (!collectMessage(col, text)) return;
    const { rule } = col.rule;
    peer.collect = undefined;
    const before = peer.state;
    const body = col.lines.join('\n');
    setPeerVar(peer, rule.collect!.into, body);
    this.ruleStats.collected(rule.id, ctx.now, text);
    const reply = ruleReply(rule, this.replies.build(`${rule.id}#collect`, col.rule.collectReply!, peer, ctx, col.groups ?? true, message, rule.id));
    if (reply) out.push(reply);
    if (rule.then !== undefined) peer.state = rule.then;
    const set = hitVars([[rule.collect!.into, body]]);
    this.peers.logHit(peer, { at: ctx.now, ruleId: rule.id, n: col.rule.n, ...named(rule), text: hitText(message, text), from: before, to: peer.state, ...(set ? { set } : {}), collected: col.lines.length });
  }

  /** Hit-log entries recorded so far, every peer. */
  get hitCount(): number {
    return this.peers.hitCount;
  }

  /** The hit logs: one peer's with every entry, or every peer's newest entry (PeerTable.hitLogs). */
  hitLogs(peerKey?: string): PeerHitLog[] {
    return this.peers.hitLogs(peerKey);
  }

  /** Per rule (greeting first, then rule order): hits, last match, errors. */
  stats(): RuleStat[] {
    return this.ruleStats.list([...(this.set.greeting ? [GREETING_RULE_ID] : []), ...this.set.rules.map((r) => r.id)]);
  }

  /** The peer left: forget its dialogue (a reconnect starts in `start`), keep its hit log a while. */
  forget(peerKey: string, now = Date.now()): void {
    this.peers.forget(peerKey, now);
  }
}
