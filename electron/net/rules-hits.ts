/**
 * The hit log of one peer: what the reply rules did with each message it
 * sent, with the state before and after, so a teacher can see where a
 * student's client went wrong ("USER alice  start → auth", "RETR  502").
 *
 * - One entry per rule that matched (a rule with "stop" off and the next one
 *   that matches make two), one for the greeting, one when a "collect until"
 *   ends (the body lines themselves are not logged), and one for a message
 *   no rule matched (no `ruleId`).
 * - Bounded: the newest MAX_PEER_HITS entries per peer (first in, first
 *   out; `total` keeps counting), logs for at most MAX_LOGGED_PEERS peers
 *   (the least recently seen lose theirs), at most 8 variables an entry.
 * - The text is short and escaped: at most HIT_TEXT_CHARS characters, CR, LF
 *   and TAB as \r \n \t, other control characters as \xHH; a binary message
 *   (a NUL, or many control bytes) shows as hex (its first 24 bytes).
 * - The log belongs to the connection, like the state: a reconnect starts
 *   an empty one. The engine keeps the logs of the last MAX_LEFT_LOGS peers
 *   that left (TCP), marked with when they left.
 */
import { formatHex } from '../../shared/codec/hex';
import type { PeerHitLog, RuleHit } from '../../shared/protocol/rules';

/** Entries kept per peer. */
export const MAX_PEER_HITS = 200;
/** Logs of departed peers kept. */
export const MAX_LEFT_LOGS = 16;
/** Peers with a log at most (UDP sources can be many): the least recently seen lose theirs first. */
export const MAX_LOGGED_PEERS = 256;
/** Variables one entry names at most. */
const HIT_VARS = 8;
const HIT_TEXT_CHARS = 60;
const HIT_VALUE_CHARS = 40;
const HIT_HEX_BYTES = 24;

/** `text` escaped and cut to `max` characters (an ellipsis says it was cut). */
export function shortText(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const e = ch === '\r' ? '\\r' : ch === '\n' ? '\\n' : ch === '\t' ? '\\t' : ch === '\\' ? '\\\\'
      : c < 0x20 || c === 0x7f ? `\\x${c.toString(16).padStart(2, '0')}` : ch;
    if (out.length + e.length > max) return `${out}…`;
    out += e;
  }
  return out;
}

/** True for a binary protocol's message: a NUL byte, or over 1 in 10 control bytes besides CR, LF and TAB. */
function isBinary(message: Uint8Array): boolean {
  let control = 0;
  for (const b of message) {
    if (b === 0) return true;
    if ((b < 0x20 && b !== 9 && b !== 10 && b !== 13) || b === 0x7f) control++;
  }
  return control * 10 > message.length;
}

/** How a message shows in the hit log: short escaped text, or hex for binary data. */
export function hitText(message: Uint8Array | undefined, text: string): string {
  if (message && isBinary(message)) {
    const hex = formatHex(message.subarray(0, HIT_HEX_BYTES));
    return message.length > HIT_HEX_BYTES ? `${hex} …` : hex;
  }
  return shortText(text, HIT_TEXT_CHARS);
}

/** Variables a hit set, with short escaped values. */
export function hitVars(vars: [string, string][]): Record<string, string> | undefined {
  if (vars.length === 0) return undefined;
  return Object.fromEntries(vars.slice(0, HIT_VARS).map(([k, v]) => [shortText(k, HIT_VALUE_CHARS), shortText(v, HIT_VALUE_CHARS)]));
}

/** One peer's hits: a ring of the newest MAX_PEER_HITS. */
export class HitLog {
  private readonly ring: RuleHit[] = [];
  private start = 0;
  total = 0;

  constructor(readonly addr: string) {}

  push(hit: RuleHit): void {
    this.total++;
    if (this.ring.length < MAX_PEER_HITS) {
      this.ring.push(hit);
      return;
    }
    this.ring[this.start] = hit;
    this.start = (this.start + 1) % MAX_PEER_HITS;
  }

  /** Oldest first; `newest` only the last one. */
  entries(newest = false): RuleHit[] {
    const all = [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
    return newest ? all.slice(-1) : all;
  }

  view(peer: string, state: string, newestOnly: boolean, leftAt?: number): PeerHitLog {
    return { peer, addr: this.addr, state, total: this.total, ...(leftAt !== undefined ? { leftAt } : {}), hits: this.entries(newestOnly) };
  }
}
