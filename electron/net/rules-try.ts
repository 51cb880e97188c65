/**
 * "Try it": run a rule set on messages typed in the rules drawer, without a
 * client. A fresh engine plays one pretend peer: the messages are fed in
 * order from state `start` (so a dialogue can be tried step by step: the UI
 * sends every message typed so far), and the answer tells what the last one
 * did: the rules that matched, the state before and after, the exact reply
 * bytes and the peer's variables. Nothing is sent and the session's own
 * stats are untouched.
 */
import { formatHex } from '../../shared/codec/hex';
import type { FramerSpec } from '../../shared/codec/types';
import type { Encoding } from '../../shared/protocol/encodings';
import type { RuleSet, RuleTryResult } from '../../shared/protocol/rules';
import { RuleEngine } from './rules';
import { decodeText } from './text-codec';

const TRY_PEER = { peerKey: 'try', peer: '127.0.0.1:50000' };

export function tryRules(set: RuleSet, encoding: Encoding, framing: FramerSpec, messages: Uint8Array[]): RuleTryResult {
  const engine = new RuleEngine(set, encoding, framing);
  const now = Date.now();
  const greeting = engine.onConnect({ ...TRY_PEER, now });
  let last = { replies: greeting, matched: [] as string[], from: 'start', to: 'start', collected: false };
  for (const m of messages) last = engine.step(m, safeDecode(m, encoding), { ...TRY_PEER, now });
  const errors = engine.stats().flatMap((s) => (s.lastError ? [{ ruleId: s.ruleId, error: s.lastError }] : []));
  return {
    matched: last.matched,
    from: last.from,
    to: last.to,
    collected: last.collected,
    replies: last.replies.map((r) => ({
      ...(r.ruleId !== undefined ? { ruleId: r.ruleId } : {}),
      hex: formatHex(r.bytes),
      text: safeDecode(r.bytes, encoding),
      close: r.close,
    })),
    vars: engine.peerVars(TRY_PEER.peerKey),
    errors,
  };
}

function safeDecode(b: Uint8Array, encoding: Encoding): string {
  try {
    return decodeText(b, encoding);
  } catch {
    return '';
  }
}
