/**
 * A rule set made ready to run: each rule's match test (rules-match.ts), its
 * parsed reply, `set` and collect templates, and the states it is tried in;
 * the greeting's parsed template. Compiled once when the rules are set, not
 * per message.
 *
 * - A rule that cannot be compiled stays in the list without a test, so it
 *   never matches; the error goes to its stats through `onError`.
 * - Guards: a reply part that needs data ({{var.x!}}, {{words:…}}) decides
 *   whether the rule matches at all (`guardsPass`).
 */
import { parseHex } from '../../shared/codec/hex';
import { GREETING_RULE_ID, whenStates, type Rule, type RuleSet } from '../../shared/protocol/rules';
import { MAX_WORDS, parseTemplate, templateGuards, type TemplatePart } from '../../shared/protocol/rule-template';
import { compileMatch, type Test } from './rules-match';
import type { CompiledReply } from './rules-render';

export interface CompiledRule {
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
  sets: CompiledSet[];
  collectReply: CompiledReply | undefined;
}

/** One variable a rule sets: its name (maybe `$1`, `$<name>`) and its value's template. */
export interface CompiledSet {
  name: string;
  parts: TemplatePart[];
}

export interface CompiledRuleSet {
  /** undefined when there is none or it could not be compiled */
  greeting: CompiledReply | undefined;
  rules: CompiledRule[];
  /** the greeting's id (when there is one) and every rule's: the stats worth keeping */
  ids: Set<string>;
}

/** Compile `set`; what cannot be compiled is reported to `onError` with the rule's id. */
export function compileRuleSet(set: RuleSet, onError: (id: string, e: unknown) => void): CompiledRuleSet {
  let greeting: CompiledReply | undefined;
  const ids = new Set<string>();
  if (set.greeting) {
    ids.add(GREETING_RULE_ID);
    try {
      greeting = { spec: set.greeting, parts: parseTemplate(set.greeting.template, set.greeting.mode) };
    } catch (e) {
      onError(GREETING_RULE_ID, e);
    }
  }
  const rules = set.rules.map((rule, i): CompiledRule => {
    ids.add(rule.id);
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
      onError(rule.id, e);
      return { ...base, test: undefined, reply: undefined, sets: [], collectReply: undefined };
    }
  });
  return { greeting, rules, ids };
}

/**
 * True when every reply part that needs data finds it in the peer's
 * variables and the message (an unset {{var.x!}}, registers past the table: no).
 */
export function guardsPass(c: CompiledRule, groups: RegExpExecArray | undefined, vars: ReadonlyMap<string, string>, message: Uint8Array): boolean {
  for (const g of c.guards) {
    if (g.kind === 'peervar') {
      const name = g.name ?? (typeof g.ref === 'number' ? groups?.[g.ref] : groups?.groups?.[g.ref ?? '']) ?? '';
      if (!vars.has(name)) return false;
      continue;
    }
    const u16 = (at: number): number => ((message[at] ?? 0) << 8) | (message[at + 1] ?? 0);
    const start = u16(g.addrAt);
    const n = u16(g.countAt);
    let words: number;
    try {
      words = Math.floor(parseHex(vars.get(g.name) ?? '').length / 2);
    } catch {
      continue; // not hex: the reply reports it
    }
    if (message.length < Math.max(g.addrAt, g.countAt) + 2 || n < 1 || n > MAX_WORDS || start + n > words) return false;
  }
  return true;
}
