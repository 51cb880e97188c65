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
 * - Matching (shared/rules/match.ts): text matches work on the message
 *   decoded with the session's receive encoding. `text-equals` ignores one
 *   trailing CR, LF or CRLF; contains, starts-with and regex see the text
 *   exactly as it arrived (with raw framing, end a regex with \s*$ rather
 *   than $). `bytes` and hex patterns work on the raw bytes.
 * - Replies: see the template language in shared/rules/template.ts. Each
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
 *   with). A rule with `when` is tried only in that state; `then` moves the
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
 * - Regexes run on the main engine thread: a pathological pattern on a long
 *   message is slow for every session, so keep patterns simple and anchored.
 */
import { concatBytes } from '../../shared/codec/bytes';
import { codePointPosition, parseHex } from '../../shared/codec/hex';
import { lineEndingText } from '../../shared/codec/line-ending';
import { CodecError, type FramerSpec, type LineEnding } from '../../shared/codec/types';
import { ENCODING_LABELS, type Encoding } from '../../shared/protocol/encodings';
import type { ErrorCode } from '../../shared/protocol/errors';
import { formatReason, say, type Reason } from '../../shared/protocol/reason-format';
import {
  GREETING_RULE_ID,
  MAX_COLLECT_BYTES,
  START_STATE,
  type ReplySpec,
  type Rule,
  type RuleError,
  type RuleSet,
  type RuleStat,
} from '../../shared/protocol/rules';
import { MAX_SEND_BYTES } from '../../shared/protocol/schemas';
import { compileMatch, type Found, type Test } from '../../shared/rules/match';
import { MAX_WORDS, parseTemplate, type TemplatePart } from '../../shared/rules/template';
import { encodeEscapedText, encodeText, unencodableMessage } from './text-codec';

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
  /** ruleId → replies sent so far ({{count}}) */
  counters: Map<string, number>;
  collect?: { rule: CompiledRule; groups: RegExpExecArray | undefined; lines: string[]; bytes: number };
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


interface CompiledReply {
  spec: ReplySpec;
  parts: TemplatePart[];
}

interface CompiledRule {
  rule: Rule;
  /** undefined when the rule could not be compiled (its stats say why) */
  test: Test | undefined;
  reply: CompiledReply | undefined;
  sets: { name: string; parts: TemplatePart[] }[];
  collectReply: CompiledReply | undefined;
}

/** What a reply is built from. */
interface RenderInput {
  ctx: PeerContext;
  count: number;
  groups: RegExpExecArray | undefined;
  peer: PeerRuleState;
  message: Uint8Array | undefined;
}

interface MutableStat {
  hits: number;
  lastMatchAt?: number;
  lastMatchText?: string;
  errors: number;
  lastError?: RuleError;
}

/** A reply that could not be built. */
class ReplyError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly why: Reason,
    readonly position?: number,
    readonly char?: string,
  ) {
    super(formatReason(why));
  }
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

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
    this.compiled = set.rules.map((rule) => {
      keep.add(rule.id);
      try {
        const test = compileMatch(rule.match);
        return {
          rule,
          test,
          reply: { spec: rule.reply, parts: parseTemplate(rule.reply.template, rule.reply.mode) },
          sets: (rule.set ?? []).map((v) => ({ name: v.name, parts: parseTemplate(v.value, 'text') })),
          collectReply: rule.collect ? { spec: rule.collect.reply, parts: parseTemplate(rule.collect.reply.template, rule.collect.reply.mode) } : undefined,
        };
      } catch (e) {
        this.recordError(rule.id, e, Date.now());
        return { rule, test: undefined, reply: undefined, sets: [], collectReply: undefined };
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
    const peer = this.peer(ctx.peerKey);
    const from = peer.state;
    if (peer.collect) {
      const id = peer.collect.rule.rule.id;
      this.collectLine(peer, text, ctx, message, out);
      return { replies: out, matched: [id], from, to: peer.state, collected: true };
    }
    for (const c of this.compiled) {
      if (!c.rule.enabled || !c.test || !c.reply) continue;
      if (c.rule.when !== undefined && c.rule.when !== peer.state) continue;
      const found = c.test(message, text);
      if (found === null) continue;
      matched.push(c.rule.id);
      const stat = this.stat(c.rule.id);
      stat.hits++;
      stat.lastMatchAt = ctx.now;
      stat.lastMatchText = firstChars(text, LAST_TEXT_CHARS);
      const groups = found === true ? undefined : found;
      for (const v of c.sets) this.setVar(c.rule.id, peer, v, ctx, groups, message);
      const bytes = this.build(c.rule.id, c.reply, ctx, found, message);
      if (bytes && (bytes.length > 0 || c.rule.close)) {
        out.push({ bytes, delayMs: c.rule.delayMs, to: c.rule.to, ruleId: c.rule.id, close: c.rule.close });
      }
      if (c.rule.collect && c.collectReply) peer.collect = { rule: c, groups, lines: [], bytes: 0 };
      else if (c.rule.then !== undefined) peer.state = c.rule.then;
      if (c.rule.stop || peer.collect) break;
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
    setPeerVar(peer, rule.collect!.into, col.lines.join('\n'));
    const stat = this.stat(rule.id);
    stat.lastMatchAt = ctx.now;
    stat.lastMatchText = firstChars(text, LAST_TEXT_CHARS);
    const bytes = this.build(`${rule.id}#collect`, col.rule.collectReply!, ctx, col.groups ?? true, message, rule.id);
    if (bytes && (bytes.length > 0 || rule.close)) {
      out.push({ bytes, delayMs: rule.delayMs, to: rule.to, ruleId: rule.id, close: rule.close });
    }
    if (rule.then !== undefined) peer.state = rule.then;
  }

  /** Store one variable of a matching rule (its name maybe from a capture). */
  private setVar(
    id: string,
    peer: PeerRuleState,
    v: { name: string; parts: TemplatePart[] },
    ctx: PeerContext,
    groups: RegExpExecArray | undefined,
    message: Uint8Array,
  ): void {
    let name = v.name;
    if (name.startsWith('$')) {
      const ref = name.startsWith('$<') ? name.slice(2, -1) : Number(name.slice(1));
      name = (typeof ref === 'number' ? groups?.[ref] : groups?.groups?.[ref]) ?? '';
      if (name === '') return;
    }
    const count = (peer.counters.get(id) ?? 0) + 1;
    const value = this.renderText(v.parts, { ctx, count, groups, peer, message });
    setPeerVar(peer, name, value.length > MAX_COLLECT_BYTES ? value.slice(0, MAX_COLLECT_BYTES) : value);
  }

  /** The peer's dialogue state, made on first sight (least recently seen forgotten beyond MAX_PEERS). */
  private peer(key: string): PeerRuleState {
    let p = this.peers.get(key);
    if (p) {
      this.peers.delete(key); // re-insert: most recently used last
    } else {
      const vars = new Map(Object.entries(this.set.vars ?? {}));
      let varChars = 0;
      for (const [k, v] of vars) varChars += k.length + v.length;
      p = { state: START_STATE, vars, varChars, counters: new Map() };
      if (this.peers.size >= MAX_PEERS) {
        const oldest = this.peers.keys().next();
        if (!oldest.done) this.peers.delete(oldest.value);
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

  /** The peer left: drop its counters, state and variables (a reconnect starts in `start`). */
  forget(peerKey: string): void {
    this.peers.delete(peerKey);
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
      bytes = this.render(reply, { ctx, count, groups: found === true ? undefined : found, peer, message });
    } catch (e) {
      this.recordError(statId, e, ctx.now);
      return undefined;
    }
    peer.counters.set(id, count);
    return bytes;
  }

  /** A template as text (a variable's value): bytes count as Latin-1 characters. */
  private renderText(parts: TemplatePart[], input: RenderInput): string {
    let s = '';
    for (const p of parts) {
      switch (p.kind) {
        case 'text':
          s += p.text;
          break;
        case 'bytes':
          s += String.fromCharCode(...p.bytes);
          break;
        case 'rx':
          s += String.fromCharCode(...this.rxBytes(p, input.message));
          break;
        default:
          s += this.valueOf(p, input) ?? '';
      }
    }
    return s;
  }

  /** The text a capture or variable part stands for; undefined for a byte-valued part. */
  private valueOf(p: TemplatePart, { ctx, count, groups, peer }: RenderInput): string | undefined {
    const date = new Date(ctx.now);
    switch (p.kind) {
      case 'capture':
        return (typeof p.ref === 'number' ? groups?.[p.ref] : groups?.groups?.[p.ref]) ?? '';
      case 'var':
        return p.name === 'time' ? `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`
          : p.name === 'date' ? `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`
          : p.name === 'iso' ? date.toISOString()
          : p.name === 'peer' ? ctx.peer
          : String(count);
      case 'peervar': {
        const name = p.name ?? (typeof p.ref === 'number' ? groups?.[p.ref ?? 0] : groups?.groups?.[p.ref ?? '']) ?? '';
        return peer.vars.get(name) ?? '';
      }
      case 'random':
        return String(p.min + Math.floor(Math.random() * (p.max - p.min + 1)));
      default:
        return undefined;
    }
  }

  /** Bytes `from`..`to` of the message (as many as it has), OR-ed with the part's mask. */
  private rxBytes(p: Extract<TemplatePart, { kind: 'rx' }>, message: Uint8Array | undefined): Uint8Array {
    const m = message ?? new Uint8Array(0);
    const out = m.slice(Math.min(p.from, m.length), Math.min(p.to + 1, m.length));
    if (p.or) for (let i = 0; i < out.length; i++) out[i] = out[i]! | p.or;
    return out;
  }

  /** {{words:NAME:A:C}}: registers from the variable's hex words, addressed by the message. */
  private words(p: Extract<TemplatePart, { kind: 'words' }>, input: RenderInput): Uint8Array {
    const m = input.message ?? new Uint8Array(0);
    const u16 = (at: number): number => ((m[at] ?? 0) << 8) | (m[at + 1] ?? 0);
    const start = u16(p.addrAt);
    const n = Math.min(u16(p.countAt), MAX_WORDS);
    let table: Uint8Array;
    try {
      table = parseHex(input.peer.vars.get(p.name) ?? '');
    } catch (e) {
      throw new ReplyError('BAD_HEX', say('reply.notSent', { why: e instanceof CodecError && e.why ? e.why : say('plain', { text: String(e) }) }));
    }
    const out = new Uint8Array(n * 2);
    for (let i = 0; i < n * 2; i++) out[i] = table[start * 2 + i] ?? 0;
    return out;
  }

  private render(reply: CompiledReply, input: RenderInput): Uint8Array {
    const { spec, parts } = reply;
    const encoding = spec.encoding ?? this.encoding;
    const out: Uint8Array[] = [];
    const rests: { index: number; width: 1 | 2; endian: 'be' | 'le' }[] = [];
    let total = 0;
    const push = (b: Uint8Array): void => {
      total += b.length;
      if (total > MAX_SEND_BYTES) {
        throw new ReplyError('PAYLOAD_TOO_LARGE', say('reply.tooLarge', { mib: MAX_SEND_BYTES / (1024 * 1024) }));
      }
      out.push(b);
    };
    const { count } = input;
    for (const p of parts) {
      switch (p.kind) {
        case 'bytes':
          push(p.bytes);
          break;
        case 'rx':
          push(this.rxBytes(p, input.message));
          break;
        case 'words':
          push(this.words(p, input));
          break;
        case 'rest':
          rests.push({ index: out.length, width: p.width, endian: p.endian });
          push(new Uint8Array(p.width));
          break;
        case 'counter': {
          const v = count % (p.width === 1 ? 0x100 : 0x10000);
          push(p.width === 1 ? Uint8Array.of(v) : p.endian === 'be' ? Uint8Array.of(v >> 8, v & 0xff) : Uint8Array.of(v & 0xff, v >> 8));
          break;
        }
        case 'text':
          push(this.encodeLiteral(spec.template, p, encoding));
          break;
        case 'capture':
          push(this.encodeValue(this.valueOf(p, input) ?? '', say('reply.captured', { written: p.written }), encoding));
          break;
        case 'peervar': {
          const value = this.valueOf(p, input) ?? '';
          if (spec.mode === 'hex') {
            try {
              push(parseHex(value));
            } catch (e) {
              const why = e instanceof CodecError && e.why ? e.why : say('plain', { text: String(e) });
              throw new ReplyError('BAD_HEX', say('reply.notSent', { why }));
            }
          } else {
            push(this.encodeValue(value, say('reply.gave', { written: p.written }), encoding));
          }
          break;
        }
        case 'var':
        case 'random':
          push(this.encodeValue(this.valueOf(p, input) ?? '', say('reply.gave', { written: p.kind === 'var' ? `{{${p.name}}}` : '{{random}}' }), encoding));
          break;
      }
    }
    const ending = spec.lineEnding ?? this.lineEnding;
    if (spec.mode === 'text' && ending !== 'none') {
      push(encodeText(lineEndingText(ending), encoding));
    }
    for (const r of rests) {
      let after = 0;
      for (let i = r.index + 1; i < out.length; i++) after += out[i]!.length;
      const b = out[r.index]!;
      if (r.width === 1) b[0] = after & 0xff;
      else if (r.endian === 'be') b.set([(after >> 8) & 0xff, after & 0xff]);
      else b.set([after & 0xff, (after >> 8) & 0xff]);
    }
    return out.length === 0 ? new Uint8Array(0) : concatBytes(out);
  }

  /** Encode typed text; an unencodable character is reported where it was typed. */
  private encodeLiteral(template: string, p: Extract<TemplatePart, { kind: 'text' }>, encoding: Encoding): Uint8Array {
    try {
      return encodeEscapedText(p.text, encoding, p.source, p.segment);
    } catch (e) {
      if (!(e instanceof CodecError) || e.code !== 'UNENCODABLE' || e.position === undefined) throw e;
      const position = codePointPosition(template, p.at) - 1 + e.position;
      const char = e.char ?? '';
      throw new ReplyError('UNENCODABLE', say('reply.unencodableTyped', { why: unencodableMessage(char, position, encoding) }), position, char);
    }
  }

  /** Encode a capture or variable value; `what` says where it came from ("$1 captured"). */
  private encodeValue(value: string, what: Reason, encoding: Encoding): Uint8Array {
    try {
      return encodeText(value, encoding);
    } catch (e) {
      if (!(e instanceof CodecError) || e.code !== 'UNENCODABLE') throw e;
      const char = e.char ?? '';
      const cp = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      throw new ReplyError('UNENCODABLE', say('reply.unencodableValue', { what, char, cp, encoding: ENCODING_LABELS[encoding] }), undefined, char);
    }
  }
}
