/**
 * Reply rules: a session answers what it receives by itself, so a Wirebench
 * server (or client, or UDP session) can play a protocol: an SMTP dialogue,
 * a minimal HTTP responder, a Modbus slave that always says the same thing.
 *
 * A rule set is checked here when it is saved: regexes are compiled, hex
 * patterns and reply templates parsed, and every capture a reply uses must
 * exist in the rule's regex. So a rule that passes this schema can always
 * be run; only a reply whose text the encoding cannot represent can still
 * fail at run time (reported in the rule's stats, never thrown).
 *
 * The template language is described in shared/protocol/rule-template.ts.
 */
import { z } from 'zod';
import { CodecError } from '../codec/types';
import { codePointPosition, parseHex } from '../codec/hex';
import {
  compileRuleRegex,
  parseHexPattern,
  parseTemplate,
  regexGroups,
  templateCaptures,
  templateVars,
  VAR_NAME,
  type TemplatePart,
} from './rule-template';
import type { ErrorCode } from './errors';
import { reasonIssue, say, schemaMessage, type Reason } from './reason-format';
import { formatCount } from './format';
import { encodingSchema, lineEndingSchema } from './schemas';

/** Most rules one set may hold. */
export const MAX_RULES = 500;
/** Longest match text, regex or hex pattern (characters). */
export const MAX_RULE_PATTERN = 4096;
/** Longest reply template (characters). */
export const MAX_RULE_TEMPLATE = 64 * 1024;
/** Longest reply delay: 10 minutes. */
export const MAX_RULE_DELAY_MS = 600_000;
/** The id stats and replies use for the greeting; no rule may take it. */
export const GREETING_RULE_ID = '@greeting';
/** The state every peer starts in (and is back in after a reconnect). */
export const START_STATE = 'start';
/** Most start variables one rule set may hold. */
export const MAX_RULE_VARS = 500;
/** Most states one rule's `when` may list. */
export const MAX_WHEN_STATES = 32;
/** Most bytes one "collect until" gathers per peer; lines past it are dropped. */
export const MAX_COLLECT_BYTES = 1024 * 1024;

/** A state name: letters, digits, _ and -. */
export const stateNameSchema = z
  .string()
  .max(40)
  .superRefine((v, ctx) => {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(v)) ctx.addIssue(reasonIssue(say('rule.badStateName', { state: v }), []));
  });
const varNameSchema = z
  .string()
  .max(64)
  .superRefine((v, ctx) => {
    if (!VAR_NAME.test(v)) ctx.addIssue(reasonIssue(say('rule.badVarName', { name: v }), []));
  });
/** A variable a rule sets: a fixed name, or the name a capture gives ($1, $<key>). */
const setNameSchema = z
  .string()
  .max(64)
  .superRefine((v, ctx) => {
    if (!VAR_NAME.test(v) && !/^\$\d$/.test(v) && !/^\$<[A-Za-z_$][A-Za-z0-9_$]*>$/.test(v)) {
      ctx.addIssue(reasonIssue(say('rule.badVarName', { name: v }), []));
    }
  });

type What = 'text' | 'hex' | 'regex' | 'pattern' | 'reply';
const tooLong = (what: What, max: number): string =>
  schemaMessage(say('rule.tooLong', { what: say(`rule.what.${what}`), max: formatCount(max) }));

/** Turn a CodecError from a parser into a schema issue (with its Reason); rethrow anything else. */
function codecIssue(ctx: z.RefinementCtx, path: (string | number)[], run: () => unknown): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    if (e.why) ctx.addIssue(reasonIssue(e.why, path));
    else ctx.addIssue({ code: 'custom', message: e.message, path });
  }
}

const textMatch = <K extends 'text-equals' | 'text-contains' | 'text-starts-with'>(kind: K, minLength: number) =>
  z.object({
    kind: z.literal(kind),
    text: z
      .string()
      .min(minLength, schemaMessage(say('rule.textEmpty')))
      .max(MAX_RULE_PATTERN, tooLong('text', MAX_RULE_PATTERN)),
    ignoreCase: z.boolean().default(false),
  });

export const matchSchema = z.discriminatedUnion('kind', [
  /** the message is exactly these bytes */
  z
    .object({ kind: z.literal('bytes'), hex: z.string().max(MAX_RULE_PATTERN, tooLong('hex', MAX_RULE_PATTERN)) })
    .superRefine((m, ctx) =>
      codecIssue(ctx, ['hex'], () => {
        if (parseHex(m.hex).length === 0) throw new CodecError('BAD_HEX', say('rule.bytesEmpty'));
      }),
    ),
  /** the text equals `text` (one trailing CR, LF or CRLF of the message is ignored) */
  textMatch('text-equals', 0),
  textMatch('text-contains', 1),
  textMatch('text-starts-with', 1),
  z
    .object({
      kind: z.literal('regex'),
      pattern: z.string().min(1, schemaMessage(say('rule.regexEmpty'))).max(MAX_RULE_PATTERN, tooLong('regex', MAX_RULE_PATTERN)),
      /** any of i, m, s, u; never g or y */
      flags: z.string().max(8, schemaMessage(say('rule.flagsTooMany'))).default(''),
    })
    .superRefine((m, ctx) => codecIssue(ctx, ['pattern'], () => compileRuleRegex(m.pattern, m.flags))),
  z
    .object({
      kind: z.literal('hex-pattern'),
      /** hex bytes with ?? for any one byte, e.g. "01 03 ?? ?? 00 0A" */
      pattern: z.string().max(MAX_RULE_PATTERN, tooLong('pattern', MAX_RULE_PATTERN)),
      /** start: the message begins with it; anywhere: contains it; exact: is exactly it */
      anchored: z.enum(['start', 'anywhere', 'exact']).default('start'),
    })
    .superRefine((m, ctx) => codecIssue(ctx, ['pattern'], () => parseHexPattern(m.pattern))),
]);

export const replySpecSchema = z
  .object({
    template: z.string().max(MAX_RULE_TEMPLATE, tooLong('reply', MAX_RULE_TEMPLATE)),
    /** text: the template language; hex: fixed hex bytes plus counter bytes */
    mode: z.enum(['text', 'hex']).default('text'),
    /** text mode: the reply's encoding; absent = the session's receive encoding */
    encoding: encodingSchema.optional(),
    /**
     * text mode: appended after the reply; absent = the session framing's
     * delimiter when it is a line ending (CRLF for `\r\n` framing), else
     * none; 'none' = nothing. Ignored in hex mode.
     */
    lineEnding: lineEndingSchema.optional(),
  })
  .superRefine((r, ctx) => codecIssue(ctx, ['template'], () => parseTemplate(r.template, r.mode)));

/** The template's parts, or undefined when it does not parse (the reply schema reports that). */
function partsOf(template: string, mode: 'text' | 'hex'): TemplatePart[] | undefined {
  try {
    return parseTemplate(template, mode);
  } catch {
    return undefined;
  }
}

function checkCaptures(
  ctx: z.RefinementCtx,
  path: (string | number)[],
  template: string,
  parts: TemplatePart[],
  groups: { count: number; names: string[] } | undefined,
  noMatch: 'rule.captureNoMatch' | 'rule.captureInGreeting',
): void {
  for (const c of templateCaptures(parts)) {
    const pos = codePointPosition(template, c.at);
    const { written } = c;
    let problem: Reason | undefined;
    if (!groups) problem = say(noMatch, { written, pos });
    else if (typeof c.ref === 'number' && c.ref > groups.count) {
      const n = c.ref;
      const { count } = groups;
      problem =
        count === 0 ? say('rule.groupMissing0', { written, pos, n })
        : count === 1 ? say('rule.groupMissing1', { written, pos, n })
        : say('rule.groupMissingN', { written, pos, n, count });
    } else if (typeof c.ref === 'string' && !groups.names.includes(c.ref)) {
      problem = say('rule.groupNameMissing', { written, pos, name: c.ref });
    }
    if (problem) ctx.addIssue(reasonIssue(problem, path));
  }
}

export const ruleSchema = z
  .object({
    id: z.string().min(1, schemaMessage(say('rule.idEmpty'))).max(64, schemaMessage(say('rule.idTooLong'))),
    name: z.string().max(100, schemaMessage(say('rule.nameTooLong'))).optional(),
    enabled: z.boolean().default(true),
    match: matchSchema,
    reply: replySpecSchema,
    /** wait this long after the message before replying */
    delayMs: z.number().int().min(0).max(MAX_RULE_DELAY_MS, schemaMessage(say('rule.delayTooLong'))).default(0),
    /** sender: the peer that sent the message; all: every connected peer */
    to: z.enum(['sender', 'all']).default('sender'),
    /** stop at this rule when it matches; false lets later rules match too */
    stop: z.boolean().default(true),
    /** close the sender's connection after replying (TCP; ignored for UDP) */
    close: z.boolean().default(false),
    /** match only while the peer is in this state, or in one of these (absent: in any state) */
    when: z.union([stateNameSchema, z.array(stateNameSchema).min(1).max(MAX_WHEN_STATES)]).optional(),
    /** after replying, move the peer to this state (with `collect`: once the terminator came) */
    then: stateNameSchema.optional(),
    /** per-peer variables set when the rule matches (before its reply is built); values are text templates */
    set: z
      .array(z.object({ name: setNameSchema, value: z.string().max(MAX_RULE_TEMPLATE, tooLong('reply', MAX_RULE_TEMPLATE)) }))
      .max(32)
      .optional(),
    /**
     * after the reply, consume the peer's next messages into variable `into`
     * (lines joined with \n, line endings removed) until one equals `until`;
     * then send `reply` once and go to `then`. No rule sees those messages.
     */
    collect: z
      .object({
        into: varNameSchema,
        until: z.string().min(1, schemaMessage(say('rule.collectEmpty'))).max(200),
        reply: replySpecSchema,
      })
      .optional(),
  })
  .superRefine((rule, ctx) => {
    let groups: { count: number; names: string[] } | undefined;
    if (rule.match.kind === 'regex') {
      try {
        groups = regexGroups(rule.match.pattern, rule.match.flags);
      } catch {
        return; // the match schema reports the regex
      }
    }
    (rule.set ?? []).forEach((v, i) => {
      const parts = partsOf(v.value, 'text');
      if (!parts) {
        codecIssue(ctx, ['set', i, 'value'], () => parseTemplate(v.value, 'text'));
        return;
      }
      checkCaptures(ctx, ['set', i, 'value'], v.value, parts, groups, 'rule.captureNoMatch');
      if (v.name.startsWith('$')) {
        const ref = v.name.startsWith('$<') ? v.name.slice(2, -1) : Number(v.name.slice(1));
        checkCaptures(ctx, ['set', i, 'name'], v.name, [{ kind: 'capture', ref, at: 0, written: v.name }], groups, 'rule.captureNoMatch');
      }
    });
    if (rule.collect) {
      const parts = partsOf(rule.collect.reply.template, rule.collect.reply.mode);
      if (parts) checkCaptures(ctx, ['collect', 'reply', 'template'], rule.collect.reply.template, parts, groups, 'rule.captureNoMatch');
    }
  })
  .superRefine((rule, ctx) => {
    const parts = partsOf(rule.reply.template, rule.reply.mode);
    if (!parts) return;
    let groups: { count: number; names: string[] } | undefined;
    if (rule.match.kind === 'regex') {
      try {
        groups = regexGroups(rule.match.pattern, rule.match.flags);
      } catch {
        return; // the match schema reports the regex
      }
    }
    checkCaptures(ctx, ['reply', 'template'], rule.reply.template, parts, groups, 'rule.captureNoMatch');
  });

export const ruleSetSchema = z
  .object({
    /** send every received message straight back to its sender (before any rule reply) */
    echo: z.boolean().default(false),
    /** sent to each peer when it connects (TCP) */
    greeting: replySpecSchema.optional(),
    rules: z.array(ruleSchema).max(MAX_RULES, schemaMessage(say('rule.tooMany', { max: MAX_RULES }))).default([]),
    /** per-peer variables every peer starts with (a register table, a user name) */
    vars: z
      .record(varNameSchema, z.string().max(MAX_RULE_TEMPLATE, tooLong('reply', MAX_RULE_TEMPLATE)))
      .refine((v) => Object.keys(v).length <= MAX_RULE_VARS, schemaMessage(say('rule.varsTooMany', { max: MAX_RULE_VARS })))
      .optional(),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.rules.forEach((r, i) => {
      if (r.id === GREETING_RULE_ID) ctx.addIssue(reasonIssue(say('rule.idReserved', { id: GREETING_RULE_ID }), ['rules', i, 'id']));
      else if (seen.has(r.id)) ctx.addIssue(reasonIssue(say('rule.idTwice', { id: r.id }), ['rules', i, 'id']));
      seen.add(r.id);
    });
    if (set.greeting) {
      const parts = partsOf(set.greeting.template, set.greeting.mode);
      if (parts) checkCaptures(ctx, ['greeting', 'template'], set.greeting.template, parts, undefined, 'rule.captureInGreeting');
    }
    checkReferences(set, ctx);
  });

/** The states a rule's `when` names (none: it matches in any state). */
export function whenStates(when: string | readonly string[] | undefined): string[] {
  return when === undefined ? [] : typeof when === 'string' ? [when] : [...when];
}

/** The states a rule set can reach: start and every `then`. */
export function ruleSetStates(set: Pick<RuleSet, 'rules'>): string[] {
  const out = new Set<string>([START_STATE]);
  for (const r of set.rules) if (r.then) out.add(r.then);
  return [...out];
}

/** The variables a rule set can hold: its start values, every fixed `set` name and every `collect` target. */
export function ruleSetVars(set: Pick<RuleSet, 'rules' | 'vars'>): string[] {
  const out = new Set<string>(Object.keys(set.vars ?? {}));
  for (const r of set.rules) {
    for (const v of r.set ?? []) if (!v.name.startsWith('$')) out.add(v.name);
    if (r.collect) out.add(r.collect.into);
  }
  return [...out];
}

/** Unknown states and variables, reported with the rule (number and name) and the position. */
function checkReferences(set: RuleSet, ctx: z.RefinementCtx): void {
  const states = ruleSetStates(set);
  const vars = new Set(ruleSetVars(set));
  const dynamic = set.rules.some((r) => (r.set ?? []).some((v) => v.name.startsWith('$')));
  set.rules.forEach((r, i) => {
    const n = i + 1;
    const rule = r.name?.trim() || r.id;
    whenStates(r.when).forEach((state, k) => {
      if (states.includes(state)) return;
      const path = Array.isArray(r.when) ? ['rules', i, 'when', k] : ['rules', i, 'when'];
      ctx.addIssue(reasonIssue(say('rule.unknownState', { n, rule, state, states: states.join(', ') }), path));
    });
    const templates: { path: (string | number)[]; template: string; mode: 'text' | 'hex' }[] = [
      { path: ['rules', i, 'reply', 'template'], template: r.reply.template, mode: r.reply.mode },
      ...(r.set ?? []).map((v, k) => ({ path: ['rules', i, 'set', k, 'value'], template: v.value, mode: 'text' as const })),
      ...(r.collect ? [{ path: ['rules', i, 'collect', 'reply', 'template'], template: r.collect.reply.template, mode: r.collect.reply.mode }] : []),
    ];
    for (const t of templates) {
      const parts = partsOf(t.template, t.mode);
      if (!parts) continue;
      for (const v of templateVars(parts)) {
        // a name a capture sets ({{var.$1}} elsewhere) cannot be known in advance
        if (vars.has(v.name) || dynamic) continue;
        ctx.addIssue(reasonIssue(say('rule.unknownVar', { n, rule, written: v.written, pos: codePointPosition(t.template, v.at) }), t.path));
      }
    }
  });
  if (set.greeting) {
    const parts = partsOf(set.greeting.template, set.greeting.mode);
    for (const v of parts ? templateVars(parts) : []) {
      if (set.vars && Object.hasOwn(set.vars, v.name)) continue;
      const pos = codePointPosition(set.greeting.template, v.at);
      ctx.addIssue(reasonIssue(say('rule.unknownVarGreeting', { written: v.written, pos }), ['greeting', 'template']));
    }
  }
}

export type Match = z.output<typeof matchSchema>;
export type MatchKind = Match['kind'];
export type ReplySpec = z.output<typeof replySpecSchema>;
export type Rule = z.output<typeof ruleSchema>;
export type RuleInput = z.input<typeof ruleSchema>;
export type RuleSet = z.output<typeof ruleSetSchema>;
export type RuleSetInput = z.input<typeof ruleSetSchema>;

export const emptyRuleSet = (): RuleSet => ({ echo: false, rules: [] });

/** Why a matching rule sent nothing (an unencodable reply, a reply too large). */
export interface RuleError {
  code: ErrorCode;
  /** in English, e.g. "Reply not sent: The character '€' (U+20AC) at position 4 cannot be encoded in GBK" */
  message: string;
  /** the same, structured (a key of shared/protocol/reasons.ts plus parameters) */
  why?: Reason;
  /** when it happened (ms since the epoch) */
  at: number;
  /** 1-based position in the template, when the problem is something typed there */
  position?: number;
  char?: string;
}

/** What "Try it" (rules.try) tells about the last message it was given. */
export interface RuleTryResult {
  /** ids of the rules that matched, in order */
  matched: string[];
  /** the pretend peer's state before and after the message */
  from: string;
  to: string;
  /** the message went into a "collect until" (no rule saw it) */
  collected: boolean;
  /** the exact bytes that would be sent (hex, and as text in the session's encoding) */
  replies: { ruleId?: string; hex: string; text: string; close: boolean }[];
  /** the pretend peer's variables afterwards */
  vars: Record<string, string>;
  /** replies that could not be built */
  errors: { ruleId: string; error: RuleError }[];
}

/** What one rule (or the greeting, id {@link GREETING_RULE_ID}) has done so far. */
export interface RuleStat {
  ruleId: string;
  /** messages it matched (the greeting: peers greeted) */
  hits: number;
  lastMatchAt?: number;
  /** the first 200 characters of the last matched message */
  lastMatchText?: string;
  /** replies that could not be built */
  errors: number;
  lastError?: RuleError;
}

/**
 * One entry of a peer's hit log (rules.hits): a rule matched, the greeting
 * went out, a "collect until" ended, or (no `ruleId`) no rule matched.
 */
export interface RuleHit {
  /** when the message arrived (ms since the epoch) */
  at: number;
  /** the rule; {@link GREETING_RULE_ID} for the greeting; absent when no rule matched */
  ruleId?: string;
  /** the rule's 1-based number in the set when it matched (0 for the greeting) */
  n?: number;
  /** the rule's name when it has one */
  name?: string;
  /** the message: escaped (\r \n \t \xHH), at most 60 characters; hex for binary data */
  text: string;
  /** the peer's state before and after */
  from: string;
  to: string;
  /** the variables the rule set (values escaped, at most 40 characters) */
  set?: Record<string, string>;
  /** a "collect until" ended with this message, after collecting this many lines */
  collected?: number;
}

/** One peer's hit log: the newest 200 hits, oldest first. */
export interface PeerHitLog {
  /** the peer: its peer id (TCP server), 'conn' (TCP client) or 'address:port' (UDP) */
  peer: string;
  /** its address as shown, "192.168.1.5:50123" */
  addr: string;
  /** its dialogue state now (when it left, for a peer that left) */
  state: string;
  /** hits recorded since it connected (the log keeps the newest 200) */
  total: number;
  /** when it left (TCP); absent while it is connected */
  leftAt?: number;
  hits: RuleHit[];
}
