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
 * - Regexes run on the main engine thread: a pathological pattern on a long
 *   message is slow for every session, so keep patterns simple and anchored.
 */
import { concatBytes } from '../../shared/codec/bytes';
import { codePointPosition } from '../../shared/codec/hex';
import { lineEndingText } from '../../shared/codec/line-ending';
import { CodecError } from '../../shared/codec/types';
import { ENCODING_LABELS, type Encoding } from '../../shared/protocol/encodings';
import type { ErrorCode } from '../../shared/protocol/errors';
import { formatReason, say, type Reason } from '../../shared/protocol/reason-format';
import {
  GREETING_RULE_ID,
  type ReplySpec,
  type Rule,
  type RuleError,
  type RuleSet,
  type RuleStat,
} from '../../shared/protocol/rules';
import { MAX_SEND_BYTES } from '../../shared/protocol/schemas';
import { compileMatch, type Found, type Test } from '../../shared/rules/match';
import { parseTemplate, type TemplatePart } from '../../shared/rules/template';
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
  /** peerKey → ruleId → replies sent so far; a Map keeps least recently used first */
  private counters = new Map<string, Map<string, number>>();

  constructor(set: RuleSet, encoding: Encoding) {
    this.encoding = encoding;
    this.setRules(set);
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
        return { rule, test, reply: { spec: rule.reply, parts: parseTemplate(rule.reply.template, rule.reply.mode) } };
      } catch (e) {
        this.recordError(rule.id, e, Date.now());
        return { rule, test: undefined, reply: undefined };
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
    const bytes = this.build(GREETING_RULE_ID, this.greeting, ctx, true);
    if (!bytes || bytes.length === 0) return [];
    return [{ bytes, delayMs: 0, to: 'sender', ruleId: GREETING_RULE_ID, close: false }];
  }

  /**
   * A message arrived from `ctx.peerKey`. `text` is `message` decoded with the
   * session's receive encoding. Returns the replies in order (echo first).
   * The echo reply's bytes are `message` itself, not a copy.
   */
  onMessage(message: Uint8Array, text: string, ctx: PeerContext): Reply[] {
    const out: Reply[] = [];
    if (this.set.echo && message.length > 0) out.push({ bytes: message, delayMs: 0, to: 'sender', close: false });
    for (const c of this.compiled) {
      if (!c.rule.enabled || !c.test || !c.reply) continue;
      const found = c.test(message, text);
      if (found === null) continue;
      const stat = this.stat(c.rule.id);
      stat.hits++;
      stat.lastMatchAt = ctx.now;
      stat.lastMatchText = firstChars(text, LAST_TEXT_CHARS);
      const bytes = this.build(c.rule.id, c.reply, ctx, found);
      if (bytes && (bytes.length > 0 || c.rule.close)) {
        out.push({ bytes, delayMs: c.rule.delayMs, to: c.rule.to, ruleId: c.rule.id, close: c.rule.close });
      }
      if (c.rule.stop) break;
    }
    return out;
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

  /** The peer left: drop its counters. */
  forget(peerKey: string): void {
    this.counters.delete(peerKey);
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
  private build(id: string, reply: CompiledReply, ctx: PeerContext, found: Exclude<Found, null>): Uint8Array | undefined {
    let peer = this.counters.get(ctx.peerKey);
    const count = (peer?.get(id) ?? 0) + 1;
    let bytes: Uint8Array;
    try {
      bytes = this.render(reply, ctx, count, found === true ? undefined : found);
    } catch (e) {
      this.recordError(id, e, ctx.now);
      return undefined;
    }
    if (peer) {
      this.counters.delete(ctx.peerKey); // re-insert: most recently used last
    } else {
      peer = new Map();
      if (this.counters.size >= MAX_PEERS) {
        const oldest = this.counters.keys().next();
        if (!oldest.done) this.counters.delete(oldest.value);
      }
    }
    peer.set(id, count);
    this.counters.set(ctx.peerKey, peer);
    return bytes;
  }

  private render(reply: CompiledReply, ctx: PeerContext, count: number, groups: RegExpExecArray | undefined): Uint8Array {
    const { spec, parts } = reply;
    const encoding = spec.encoding ?? this.encoding;
    const out: Uint8Array[] = [];
    let total = 0;
    const push = (b: Uint8Array): void => {
      total += b.length;
      if (total > MAX_SEND_BYTES) {
        throw new ReplyError('PAYLOAD_TOO_LARGE', say('reply.tooLarge', { mib: MAX_SEND_BYTES / (1024 * 1024) }));
      }
      out.push(b);
    };
    const date = new Date(ctx.now);
    for (const p of parts) {
      switch (p.kind) {
        case 'bytes':
          push(p.bytes);
          break;
        case 'counter': {
          const v = count % (p.width === 1 ? 0x100 : 0x10000);
          push(p.width === 1 ? Uint8Array.of(v) : p.endian === 'be' ? Uint8Array.of(v >> 8, v & 0xff) : Uint8Array.of(v & 0xff, v >> 8));
          break;
        }
        case 'text':
          push(this.encodeLiteral(spec.template, p, encoding));
          break;
        case 'capture': {
          const value = (typeof p.ref === 'number' ? groups?.[p.ref] : groups?.groups?.[p.ref]) ?? '';
          push(this.encodeValue(value, say('reply.captured', { written: p.written }), encoding));
          break;
        }
        case 'var': {
          const value =
            p.name === 'time' ? `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`
            : p.name === 'date' ? `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`
            : p.name === 'iso' ? date.toISOString()
            : p.name === 'peer' ? ctx.peer
            : String(count);
          push(this.encodeValue(value, say('reply.gave', { written: `{{${p.name}}}` }), encoding));
          break;
        }
      }
    }
    if (spec.mode === 'text' && spec.lineEnding && spec.lineEnding !== 'none') {
      push(encodeText(lineEndingText(spec.lineEnding), encoding));
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
