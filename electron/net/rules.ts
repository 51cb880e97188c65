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
 */
import { parseHex } from '../../shared/codec/hex';
import { CodecError, type FramerSpec, type LineEnding } from '../../shared/codec/types';
import type { Encoding } from '../../shared/protocol/encodings';
import type { ErrorCode } from '../../shared/protocol/errors';
import { formatReason, say } from '../../shared/protocol/reason-format';
import {
  GREETING_RULE_ID,
  MAX_COLLECT_BYTES,
  START_STATE,
  whenStates,
  type Rule,
  type RuleError,
  type RuleSet,
  type PeerHitLog,
  type RuleHit,
  type RuleStat,
} from '../../shared/protocol/rules';
import { compileMatch, type Found, type Test } from './rules-match';
import { MAX_WORDS, parseTemplate, templateGuards, type TemplatePart } from '../../shared/protocol/rule-template';
import { HitLog, hitText, hitVars, MAX_LEFT_LOGS, MAX_LOGGED_PEERS } from './rules-hits';
import { renderReply, renderText, ReplyError, type CompiledReply } from './rules-render';

export interface PeerContext {
  /** stable per connection or per UDP source; counters are kept per key */
  peerKey: string;
  /** shown by {{peer}}, e.g. "1.2.3.4:5" */
  peer: string;
  /** when the message arrived (ms since the epoch); {{time}} and stats use it */
  now: number;
}

export interface Reply {
  bytes: Uint8Array;
  /** send this long after the message arrived; replies keep their order */
  delayMs: number;
  to: 'sender' | 'all';
  /** the rule that made it; GREETING_RULE_ID for the greeting, absent for echo */
  ruleId?: string;
  /** close the sender's connection once this reply is sent (TCP) */
  close: boolean;
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

/** The line ending a framing's delimiter stands for, or 'none'. */
function framingLineEnding(framing: FramerSpec | undefined): LineEnding {
  if (framing?.kind !== 'delimiter') return 'none';
  const d = framing.delimiter;
  if (d.length === 2 && d[0] === 13 && d[1] === 10) return 'crlf';
  if (d.length === 1 && d[0] === 10) return 'lf';
  if (d.length === 1 && d[0] === 13) return 'cr';
  return 'none';
}

/** One peer's place in the dialogue. */
interface PeerRuleState {
  state: string;
  vars: Map<string, string>;
  /** characters held by `vars` (names and values), kept under MAX_PEER_VAR_CHARS */
  varChars: number;
  /** its address as shown ({{peer}}), for the hit log */
  addr: string;
  /** ruleId → replies sent so far ({{count}}) */
  counters: Map<string, number>;
  collect?: { rule: CompiledRule; groups: RegExpExecArray | undefined; lines: string[]; bytes: number };
  /** what the rules did with this peer's messages (made on its first hit) */
  hits?: HitLog;
}

/**
 * What one peer's variables may hold: names can come from what the peer sends
 * (`SET <key> <value>`), so a client must not grow the engine without bound.
 * Past either limit the least recently set variables are forgotten.
 */
const MAX_PEER_VARS = 1024;
const MAX_PEER_VAR_CHARS = 4 * 1024 * 1024;

function setPeerVar(peer: PeerRuleState, name: string, value: string): void {
  const old = peer.vars.get(name);
  if (old !== undefined) {
    peer.varChars -= name.length + old.length;
    peer.vars.delete(name); // re-insert: most recently set last
  }
  peer.vars.set(name, value);
  peer.varChars += name.length + value.length;
  for (const [k, v] of peer.vars) {
    if (peer.vars.size <= MAX_PEER_VARS && peer.varChars <= MAX_PEER_VAR_CHARS) break;
    if (k === name) break; // the newest is kept (itself at most MAX_COLLECT_BYTES)
    peer.vars.delete(k);
    peer.varChars -= k.length + v.length;
  }
}

/** Peers whose counters are kept at most (least recently seen forgotten first). */
const MAX_PEERS = 10_000;
const LAST_TEXT_CHARS = 200;


interface CompiledRule {
  rule: Rule;
  /** its 1-based number in the set */
  n: number;
  /** the states it is tried in; undefined: any */
  when: ReadonlySet<string> | undefined;
  /** reply parts that must find their data for the rule to match ({{var.x!}}, {{words:…}}) */
  guards: ReturnType<typeof templateGuards>;
  /** undefined when the rule could not be compiled (its stats say why) */
  test: Test | undefined;
  reply: CompiledReply | undefined;
  sets: { name: string; parts: TemplatePart[] }[];
  collectReply: CompiledReply | undefined;
}

interface MutableStat {
  hits: number;
  lastMatchAt?: number;
  lastMatchText?: string;
  errors: number;
  lastError?: RuleError;
}

function stripLineEnding(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n') || text.endsWith('\r')) return text.slice(0, -1);
  return text;
}

/** The first `max` UTF-16 units of `text`, without a dangling half of a surrogate pair. */
function firstChars(text: string, max: number): string {
  let s = text.length > max ? text.slice(0, max) : text;
  const last = s.charCodeAt(s.length - 1);
  if (s.length < text.length && last >= 0xd800 && last <= 0xdbff) s = s.slice(0, -1);
  return s;
}

export class RuleEngine {
  private set!: RuleSet;
  private encoding: Encoding;
  private compiled: CompiledRule[] = [];
  private greeting: CompiledReply | undefined;
  private statsById = new Map<string, MutableStat>();
  /** peerKey → its state, variables and counters; a Map keeps least recently used first */
  private peers = new Map<string, PeerRuleState>();
  private lineEnding: LineEnding;
  /** hit logs of peers that left, newest last */
  private left: { peer: string; state: string; leftAt: number; log: HitLog }[] = [];
  /** hit-log entries recorded so far (every peer) */
  private hitTotal = 0;
  /** peers (not left) that have a hit log */
  private loggedPeers = 0;

  constructor(set: RuleSet, encoding: Encoding, framing?: FramerSpec) {
    this.encoding = encoding;
    this.lineEnding = framingLineEnding(framing);
    this.setRules(set);
  }

  /** The session's framing changed: replies without a line ending follow its delimiter. */
  setFraming(framing: FramerSpec): void {
    this.lineEnding = framingLineEnding(framing);
  }

  /** Each known peer's state (only peers that have one: seen at least once). */
  peerStates(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, p] of this.peers) out[k] = p.state;
    return out;
  }

  /** One peer's variables (a copy). */
  peerVars(peerKey: string): Record<string, string> {
    return Object.fromEntries(this.peers.get(peerKey)?.vars ?? []);
  }

  /** True when some rule uses states. */
  get stateful(): boolean {
    return this.set.rules.some((r) => r.when !== undefined || r.then !== undefined || r.collect !== undefined);
  }

  /** Replace the rules. Stats and counters of rules that keep their id stay. */
  setRules(set: RuleSet): void {
    this.set = set;
    this.greeting = undefined;
    const keep = new Set<string>();
    if (set.greeting) {
      keep.add(GREETING_RULE_ID);
      try {
        this.greeting = { spec: set.greeting, parts: parseTemplate(set.greeting.template, set.greeting.mode) };
      } catch (e) {
        this.recordError(GREETING_RULE_ID, e, Date.now());
      }
    }
    this.compiled = set.rules.map((rule, i) => {
      keep.add(rule.id);
      const base = { rule, n: i + 1, when: rule.when === undefined ? undefined : new Set(whenStates(rule.when)), guards: [] };
      try {
        const test = compileMatch(rule.match);
        const parts = parseTemplate(rule.reply.template, rule.reply.mode);
        return {
          ...base,
          test,
          guards: templateGuards(parts),
          reply: { spec: rule.reply, parts },
          sets: (rule.set ?? []).map((v) => ({ name: v.name, parts: parseTemplate(v.value, 'text') })),
          collectReply: rule.collect ? { spec: rule.collect.reply, parts: parseTemplate(rule.collect.reply.template, rule.collect.reply.mode) } : undefined,
        };
      } catch (e) {
        this.recordError(rule.id, e, Date.now());
        return { ...base, test: undefined, reply: undefined, sets: [], collectReply: undefined };
      }
    });
    for (const id of [...this.statsById.keys()]) if (!keep.has(id)) this.statsById.delete(id);
  }

  /** The session's receive encoding changed: text replies without their own encoding follow it. */
  setEncoding(encoding: Encoding): void {
    this.encoding = encoding;
  }

  /** True when echo, a greeting or an enabled rule can reply: otherwise sessions may skip the engine. */
  get active(): boolean {
    return this.set.echo || this.set.greeting !== undefined || this.set.rules.some((r) => r.enabled);
  }

  /** A peer connected: the greeting, if any. */
  onConnect(ctx: PeerContext): Reply[] {
    if (!this.set.greeting) return [];
    const stat = this.stat(GREETING_RULE_ID);
    stat.hits++;
    stat.lastMatchAt = ctx.now;
    const peer = this.peer(ctx.peerKey, ctx.peer);
    this.logHit(peer, { at: ctx.now, ruleId: GREETING_RULE_ID, n: 0, text: '', from: peer.state, to: peer.state });
    if (!this.greeting) return [];
    const bytes = this.build(GREETING_RULE_ID, this.greeting, ctx, true, undefined);
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
    const peer = this.peer(ctx.peerKey, ctx.peer);
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
      if (!this.guardsPass(c, groups, peer, message)) continue;
      matched.push(c.rule.id);
      const before = peer.state;
      const stat = this.stat(c.rule.id);
      stat.hits++;
      stat.lastMatchAt = ctx.now;
      stat.lastMatchText = firstChars(text, LAST_TEXT_CHARS);
      const setVars: [string, string][] = [];
      for (const v of c.sets) {
        const done = this.setVar(c.rule.id, peer, v, ctx, groups, message);
        if (done) setVars.push(done);
      }
      const bytes = this.build(c.rule.id, c.reply, ctx, found, message);
      if (bytes && (bytes.length > 0 || c.rule.close)) {
        out.push({ bytes, delayMs: c.rule.delayMs, to: c.rule.to, ruleId: c.rule.id, close: c.rule.close });
      }
      if (c.rule.collect && c.collectReply) peer.collect = { rule: c, groups, lines: [], bytes: 0 };
      else if (c.rule.then !== undefined) peer.state = c.rule.then;
      const set = hitVars(setVars);
      this.logHit(peer, { at: ctx.now, ruleId: c.rule.id, n: c.n, ...this.named(c.rule), text: hitText(message, text), from: before, to: peer.state, ...(set ? { set } : {}) });
      if (c.rule.stop || peer.collect) break;
    }
    if (matched.length === 0 && this.compiled.some((c) => c.rule.enabled)) {
      this.logHit(peer, { at: ctx.now, text: hitText(message, text), from, to: from });
    }
    return { replies: out, matched, from, to: peer.state, collected: false };
  }

  /** A message while collecting: one more line, or the terminator (the collect reply). */
  private collectLine(peer: PeerRuleState, text: string, ctx: PeerContext, message: Uint8Array, out: Reply[]): void {
    const col = peer.collect!;
    const { rule } = col.rule;
    const line = stripLineEnding(text);
    if (line !== rule.collect!.until) {
      if (col.bytes + line.length <= MAX_COLLECT_BYTES) {
        col.lines.push(line);
        col.bytes += line.length + 1;
      }
      return;
    }
    peer.collect = undefined;
    const before = peer.state;
    const body = col.lines.join('\n');
    setPeerVar(peer, rule.collect!.into, body);
    const stat = this.stat(rule.id);
    stat.lastMatchAt = ctx.now;
    stat.lastMatchText = firstChars(text, LAST_TEXT_CHARS);
    const bytes = this.build(`${rule.id}#collect`, col.rule.collectReply!, ctx, col.groups ?? true, message, rule.id);
    if (bytes && (bytes.length > 0 || rule.close)) {
      out.push({ bytes, delayMs: rule.delayMs, to: rule.to, ruleId: rule.id, close: rule.close });
    }
    if (rule.then !== undefined) peer.state = rule.then;
    const set = hitVars([[rule.collect!.into, body]]);
    this.logHit(peer, { at: ctx.now, ruleId: rule.id, n: col.rule.n, ...this.named(rule), text: hitText(message, text), from: before, to: peer.state, ...(set ? { set } : {}), collected: col.lines.length });
  }

  private named(rule: Rule): { name?: string } {
    const name = rule.name?.trim();
    return name ? { name } : {};
  }

  private logHit(peer: PeerRuleState, hit: RuleHit): void {
    if (!peer.hits) {
      peer.hits = new HitLog(peer.addr);
      if (++this.loggedPeers > MAX_LOGGED_PEERS) {
        // many UDP sources: the least recently seen peer's log goes (its state stays)
        for (const p of this.peers.values()) {
          if (p.hits && p !== peer) {
            p.hits = undefined;
            this.loggedPeers--;
            break;
          }
        }
      }
    }
    peer.hits.push(hit);
    this.hitTotal++;
  }

  /** Hit-log entries recorded so far, every peer. */
  get hitCount(): number {
    return this.hitTotal;
  }

  /**
   * The hit logs: one peer's (its connection, then earlier ones kept) with
   * every entry, or every peer's (connected, then those that left, newest
   * first) with the newest entry each.
   */
  hitLogs(peerKey?: string): PeerHitLog[] {
    const out: PeerHitLog[] = [];
    const one = peerKey !== undefined;
    for (const [k, p] of this.peers) if (p.hits && (!one || k === peerKey)) out.push(p.hits.view(k, p.state, !one));
    if (!one) out.reverse(); // most recently seen first
    for (let i = this.left.length - 1; i >= 0; i--) {
      const l = this.left[i]!;
      if (!one || l.peer === peerKey) out.push(l.log.view(l.peer, l.state, !one, l.leftAt));
    }
    return out;
  }

  /** True when every reply part that needs data finds it (an unset {{var.x!}}, registers past the table: no). */
  private guardsPass(c: CompiledRule, groups: RegExpExecArray | undefined, peer: PeerRuleState, message: Uint8Array): boolean {
    for (const g of c.guards) {
      if (g.kind === 'peervar') {
        const name = g.name ?? (typeof g.ref === 'number' ? groups?.[g.ref] : groups?.groups?.[g.ref ?? '']) ?? '';
        if (!peer.vars.has(name)) return false;
        continue;
      }
      const u16 = (at: number): number => ((message[at] ?? 0) << 8) | (message[at + 1] ?? 0);
      const start = u16(g.addrAt);
      const n = u16(g.countAt);
      let words: number;
      try {
        words = Math.floor(parseHex(peer.vars.get(g.name) ?? '').length / 2);
      } catch {
        continue; // not hex: the reply reports it
      }
      if (message.length < Math.max(g.addrAt, g.countAt) + 2 || n < 1 || n > MAX_WORDS || start + n > words) return false;
    }
    return true;
  }

  /** Store one variable of a matching rule (its name maybe from a capture). */
  private setVar(
    id: string,
    peer: PeerRuleState,
    v: { name: string; parts: TemplatePart[] },
    ctx: PeerContext,
    groups: RegExpExecArray | undefined,
    message: Uint8Array,
  ): [string, string] | undefined {
    let name = v.name;
    if (name.startsWith('$')) {
      const ref = name.startsWith('$<') ? name.slice(2, -1) : Number(name.slice(1));
      name = (typeof ref === 'number' ? groups?.[ref] : groups?.groups?.[ref]) ?? '';
      if (name === '') return undefined;
    }
    const count = (peer.counters.get(id) ?? 0) + 1;
    const rendered = renderText(v.parts, { ctx, count, groups, peer, message });
    const value = rendered.length > MAX_COLLECT_BYTES ? rendered.slice(0, MAX_COLLECT_BYTES) : rendered;
    setPeerVar(peer, name, value);
    return [name, value];
  }

  /** The peer's dialogue state, made on first sight (least recently seen forgotten beyond MAX_PEERS). */
  private peer(key: string, addr = key): PeerRuleState {
    let p = this.peers.get(key);
    if (p) {
      this.peers.delete(key); // re-insert: most recently used last
    } else {
      const vars = new Map(Object.entries(this.set.vars ?? {}));
      let varChars = 0;
      for (const [k, v] of vars) varChars += k.length + v.length;
      p = { state: START_STATE, vars, varChars, counters: new Map(), addr };
      if (this.peers.size >= MAX_PEERS) {
        const oldest = this.peers.entries().next();
        if (!oldest.done) {
          this.peers.delete(oldest.value[0]);
          if (oldest.value[1].hits) this.loggedPeers--;
        }
      }
    }
    this.peers.set(key, p);
    return p;
  }

  /** Per rule (greeting first, then rule order): hits, last match, errors. */
  stats(): RuleStat[] {
    const ids = [...(this.set.greeting ? [GREETING_RULE_ID] : []), ...this.set.rules.map((r) => r.id)];
    return ids.map((ruleId) => {
      const s = this.statsById.get(ruleId);
      const out: RuleStat = { ruleId, hits: s?.hits ?? 0, errors: s?.errors ?? 0 };
      if (s?.lastMatchAt !== undefined) out.lastMatchAt = s.lastMatchAt;
      if (s?.lastMatchText !== undefined) out.lastMatchText = s.lastMatchText;
      if (s?.lastError) out.lastError = { ...s.lastError };
      return out;
    });
  }

  /**
   * The peer left: drop its counters, state and variables (a reconnect starts
   * in `start`); its hit log is kept among the last MAX_LEFT_LOGS that left.
   */
  forget(peerKey: string, now = Date.now()): void {
    const p = this.peers.get(peerKey);
    this.peers.delete(peerKey);
    if (!p?.hits) return;
    this.loggedPeers--;
    this.left.push({ peer: peerKey, state: p.state, leftAt: now, log: p.hits });
    if (this.left.length > MAX_LEFT_LOGS) this.left.shift();
  }

  private stat(id: string): MutableStat {
    let s = this.statsById.get(id);
    if (!s) {
      s = { hits: 0, errors: 0 };
      this.statsById.set(id, s);
    }
    return s;
  }

  private recordError(id: string, e: unknown, now: number): void {
    const s = this.stat(id);
    s.errors++;
    const why =
      e instanceof ReplyError || e instanceof CodecError
        ? e.why
        : say('reply.notSent', { why: say('plain', { text: e instanceof Error ? e.message : String(e) }) });
    const code: ErrorCode = e instanceof ReplyError || e instanceof CodecError ? e.code : 'INTERNAL';
    const message = why ? formatReason(why) : e instanceof Error ? e.message : String(e);
    const err: RuleError = { code, message, ...(why ? { why } : {}), at: now };
    if ((e instanceof ReplyError || e instanceof CodecError) && e.position !== undefined) err.position = e.position;
    if ((e instanceof ReplyError || e instanceof CodecError) && e.char !== undefined) err.char = e.char;
    s.lastError = err;
  }

  /** The reply's bytes, or undefined when it cannot be built (recorded in the stats). */
  private build(
    id: string,
    reply: CompiledReply,
    ctx: PeerContext,
    found: Exclude<Found, null>,
    message: Uint8Array | undefined,
    statId = id,
  ): Uint8Array | undefined {
    const peer = this.peer(ctx.peerKey);
    const count = (peer.counters.get(id) ?? 0) + 1;
    let bytes: Uint8Array;
    try {
      bytes = renderReply(reply, { ctx, count, groups: found === true ? undefined : found, peer, message }, { encoding: this.encoding, lineEnding: this.lineEnding });
    } catch (e) {
      this.recordError(statId, e, ctx.now);
      return undefined;
    }
    peer.counters.set(id, count);
    return bytes;
  }

}
