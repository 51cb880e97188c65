/**
 * A matched rule's Reply, made for one peer in the session's settings: the
 * template is rendered (rules-render.ts) with the session's receive encoding
 * (unless the reply names its own) and the line ending the session's framing
 * stands for; the peer's {{count}} of that rule moves on only when the reply
 * could be built. A reply that cannot be built is recorded in the rule's
 * stats (rules-stats.ts), never thrown, and sends nothing.
 */
import type { FramerSpec, LineEnding } from '../../shared/codec/types';
import type { Encoding } from '../../shared/protocol/encodings';
import type { Rule } from '../../shared/protocol/rules';
import type { Found } from './rules-match';
import type { PeerDialogue } from './rules-peers';
import { renderReply, type CompiledReply, type RenderInput } from './rules-render';
import type { RuleStats } from './rules-stats';

/** What the session sends for the rules: to whom, when, and whether it then closes. */
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

/** The line ending a framing's delimiter stands for, or 'none'. */
function framingLineEnding(framing: FramerSpec | undefined): LineEnding {
  if (framing?.kind !== 'delimiter') return 'none';
  const d = framing.delimiter;
  if (d.length === 2 && d[0] === 13 && d[1] === 10) return 'crlf';
  if (d.length === 1 && d[0] === 10) return 'lf';
  if (d.length === 1 && d[0] === 13) return 'cr';
  return 'none';
}

/** A rule's reply to send: none when it could not be built, or when it is empty and the rule does not close. */
export function ruleReply(rule: Rule, bytes: Uint8Array | undefined): Reply | undefined {
  if (!bytes || (bytes.length === 0 && !rule.close)) return undefined;
  return { bytes, delayMs: rule.delayMs, to: rule.to, ruleId: rule.id, close: rule.close };
}

/** Builds reply bytes in the session's current encoding and framing. */
export class ReplyBuilder {
  private encoding: Encoding;
  private lineEnding: LineEnding;

  constructor(
    private readonly stats: RuleStats,
    encoding: Encoding,
    framing: FramerSpec | undefined,
  ) {
    this.encoding = encoding;
    this.lineEnding = framingLineEnding(framing);
  }

  /** Text replies without their own encoding follow the session's receive encoding. */
  setEncoding(encoding: Encoding): void {
    this.encoding = encoding;
  }

  /** Text replies without a line ending of their own follow the framing's delimiter. */
  setFraming(framing: FramerSpec): void {
    this.lineEnding = framingLineEnding(framing);
  }

  /**
   * The reply's bytes, or undefined when it cannot be built (recorded in the
   * stats under `statId`). `id` names the {{count}} counter it moves on.
   */
  build(
    id: string,
    reply: CompiledReply,
    peer: PeerDialogue,
    ctx: RenderInput['ctx'],
    found: Exclude<Found, null>,
    message: Uint8Array | undefined,
    statId = id,
  ): Uint8Array | undefined {
    const count = (peer.counters.get(id) ?? 0) + 1;
    let bytes: Uint8Array;
    try {
      bytes = renderReply(reply, { ctx, count, groups: found === true ? undefined : found, peer, message }, { encoding: this.encoding, lineEnding: this.lineEnding });
    } catch (e) {
      this.stats.error(statId, e, ctx.now);
      return undefined;
    }
    peer.counters.set(id, count);
    return bytes;
  }
}
