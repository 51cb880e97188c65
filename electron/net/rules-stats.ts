/**
 * The reply rules' statistics, per rule id (the greeting is GREETING_RULE_ID):
 * how often a rule matched, when it last matched and the start of the text
 * it matched, how many of its replies could not be built and why the last
 * one could not. The session sends them out as `rules.stats`; "Try it" reads
 * the errors.
 *
 * - A match counts as a hit; the end of a "collect until" moves the last
 *   match on without counting another hit.
 * - An error keeps its code, its sentence (a Reason and the English text),
 *   and where a template went wrong (position, character) when known.
 * - Replacing the rule set keeps the stats of the rules that keep their id.
 */
import { CodecError } from '../../shared/codec/types';
import type { ErrorCode } from '../../shared/protocol/errors';
import { formatReason, say } from '../../shared/protocol/reason-format';
import type { RuleError, RuleStat } from '../../shared/protocol/rules';
import { ReplyError } from './rules-render';

/** The matched text a stat keeps: its first LAST_TEXT_CHARS characters. */
const LAST_TEXT_CHARS = 200;

interface MutableStat {
  hits: number;
  lastMatchAt?: number;
  lastMatchText?: string;
  errors: number;
  lastError?: RuleError;
}

/** The first `max` UTF-16 units of `text`, without a dangling half of a surrogate pair. */
function firstChars(text: string, max: number): string {
  let s = text.length > max ? text.slice(0, max) : text;
  const last = s.charCodeAt(s.length - 1);
  if (s.length < text.length && last >= 0xd800 && last <= 0xdbff) s = s.slice(0, -1);
  return s;
}

/** Hits, last match and errors of each rule of one engine. */
export class RuleStats {
  private byId = new Map<string, MutableStat>();

  /** The rule matched at `now` (the greeting: a peer connected, no text). */
  hit(id: string, now: number, text?: string): void {
    const s = this.stat(id);
    s.hits++;
    this.matchedAt(s, now, text);
  }

  /** A "collect until" ended: its rule's last match moves on, its hits do not. */
  collected(id: string, now: number, text: string): void {
    this.matchedAt(this.stat(id), now, text);
  }

  /** A rule could not be compiled, or its reply could not be built. */
  error(id: string, e: unknown, now: number): void {
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

  /** Forget the stats of every rule not in `ids` (the rule set was replaced). */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of [...this.byId.keys()]) if (!ids.has(id)) this.byId.delete(id);
  }

  /** The stats of `ids`, in that order (a rule never seen: zeros). */
  list(ids: string[]): RuleStat[] {
    return ids.map((ruleId) => {
      const s = this.byId.get(ruleId);
      const out: RuleStat = { ruleId, hits: s?.hits ?? 0, errors: s?.errors ?? 0 };
      if (s?.lastMatchAt !== undefined) out.lastMatchAt = s.lastMatchAt;
      if (s?.lastMatchText !== undefined) out.lastMatchText = s.lastMatchText;
      if (s?.lastError) out.lastError = { ...s.lastError };
      return out;
    });
  }

  private matchedAt(s: MutableStat, now: number, text: string | undefined): void {
    s.lastMatchAt = now;
    if (text !== undefined) s.lastMatchText = firstChars(text, LAST_TEXT_CHARS);
  }

  private stat(id: string): MutableStat {
    let s = this.byId.get(id);
    if (!s) {
      s = { hits: 0, errors: 0 };
      this.byId.set(id, s);
    }
    return s;
  }
}
