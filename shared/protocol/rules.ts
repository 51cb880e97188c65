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
 * The template language is described in shared/rules/template.ts.
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
  type TemplatePart,
} from '../rules/template';
import type { ErrorCode } from './errors';
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

const tooLong = (what: string, max: number): string => `${what} is longer than ${max.toLocaleString('en-US')} characters`;

/** Turn a CodecError from a parser into a schema issue; rethrow anything else. */
function codecIssue(ctx: z.RefinementCtx, path: (string | number)[], run: () => unknown): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    ctx.addIssue({ code: 'custom', message: e.message, path });
  }
}

const textMatch = <K extends 'text-equals' | 'text-contains' | 'text-starts-with'>(kind: K, minLength: number) =>
  z.object({
    kind: z.literal(kind),
    text: z
      .string()
      .min(minLength, 'the text to match is empty')
      .max(MAX_RULE_PATTERN, tooLong('the text to match', MAX_RULE_PATTERN)),
    ignoreCase: z.boolean().default(false),
  });

export const matchSchema = z.discriminatedUnion('kind', [
  /** the message is exactly these bytes */
  z
    .object({ kind: z.literal('bytes'), hex: z.string().max(MAX_RULE_PATTERN, tooLong('the hex to match', MAX_RULE_PATTERN)) })
    .superRefine((m, ctx) =>
      codecIssue(ctx, ['hex'], () => {
        if (parseHex(m.hex).length === 0) throw new CodecError('BAD_HEX', 'The bytes to match are empty: write them in hex, like 01 03 00 00');
      }),
    ),
  /** the text equals `text` (one trailing CR, LF or CRLF of the message is ignored) */
  textMatch('text-equals', 0),
  textMatch('text-contains', 1),
  textMatch('text-starts-with', 1),
  z
    .object({
      kind: z.literal('regex'),
      pattern: z.string().min(1, 'the regex is empty').max(MAX_RULE_PATTERN, tooLong('the regex', MAX_RULE_PATTERN)),
      /** any of i, m, s, u; never g or y */
      flags: z.string().max(8, 'too many regex flags (allowed: i, m, s, u)').default(''),
    })
    .superRefine((m, ctx) => codecIssue(ctx, ['pattern'], () => compileRuleRegex(m.pattern, m.flags))),
  z
    .object({
      kind: z.literal('hex-pattern'),
      /** hex bytes with ?? for any one byte, e.g. "01 03 ?? ?? 00 0A" */
      pattern: z.string().max(MAX_RULE_PATTERN, tooLong('the hex pattern', MAX_RULE_PATTERN)),
      /** start: the message begins with it; anywhere: contains it; exact: is exactly it */
      anchored: z.enum(['start', 'anywhere', 'exact']).default('start'),
    })
    .superRefine((m, ctx) => codecIssue(ctx, ['pattern'], () => parseHexPattern(m.pattern))),
]);

export const replySpecSchema = z
  .object({
    template: z.string().max(MAX_RULE_TEMPLATE, tooLong('the reply', MAX_RULE_TEMPLATE)),
    /** text: the template language; hex: fixed hex bytes plus counter bytes */
    mode: z.enum(['text', 'hex']).default('text'),
    /** text mode: the reply's encoding; absent = the session's receive encoding */
    encoding: encodingSchema.optional(),
    /** text mode: appended after the reply; absent = none. Ignored in hex mode. */
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
  noMatchWhy: string,
): void {
  for (const c of templateCaptures(parts)) {
    const pos = codePointPosition(template, c.at);
    let problem: string | undefined;
    if (!groups) problem = `${c.written} at position ${pos} is a capture, but ${noMatchWhy}`;
    else if (typeof c.ref === 'number' && c.ref > groups.count) {
      problem = `${c.written} at position ${pos} refers to group ${c.ref}, but the regex has ${groups.count === 0 ? 'no groups' : `only ${groups.count} group${groups.count === 1 ? '' : 's'}`}`;
    } else if (typeof c.ref === 'string' && !groups.names.includes(c.ref)) {
      problem = `${c.written} at position ${pos} is not a placeholder, and the regex has no group named '${c.ref}'`;
    }
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path });
  }
}

export const ruleSchema = z
  .object({
    id: z.string().min(1, 'the rule id is empty').max(64, 'the rule id is longer than 64 characters'),
    name: z.string().max(100, 'the rule name is longer than 100 characters').optional(),
    enabled: z.boolean().default(true),
    match: matchSchema,
    reply: replySpecSchema,
    /** wait this long after the message before replying */
    delayMs: z.number().int().min(0).max(MAX_RULE_DELAY_MS, 'a reply can be delayed by at most 10 minutes').default(0),
    /** sender: the peer that sent the message; all: every connected peer */
    to: z.enum(['sender', 'all']).default('sender'),
    /** stop at this rule when it matches; false lets later rules match too */
    stop: z.boolean().default(true),
    /** close the sender's connection after replying (TCP; ignored for UDP) */
    close: z.boolean().default(false),
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
    checkCaptures(ctx, ['reply', 'template'], rule.reply.template, parts, groups, 'only a regex match has captures');
  });

export const ruleSetSchema = z
  .object({
    /** send every received message straight back to its sender (before any rule reply) */
    echo: z.boolean().default(false),
    /** sent to each peer when it connects (TCP) */
    greeting: replySpecSchema.optional(),
    rules: z.array(ruleSchema).max(MAX_RULES, `a rule set holds at most ${MAX_RULES} rules`).default([]),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.rules.forEach((r, i) => {
      if (r.id === GREETING_RULE_ID) ctx.addIssue({ code: 'custom', message: `the rule id '${GREETING_RULE_ID}' is reserved for the greeting`, path: ['rules', i, 'id'] });
      else if (seen.has(r.id)) ctx.addIssue({ code: 'custom', message: `two rules have the id '${r.id}'`, path: ['rules', i, 'id'] });
      seen.add(r.id);
    });
    if (set.greeting) {
      const parts = partsOf(set.greeting.template, set.greeting.mode);
      if (parts) checkCaptures(ctx, ['greeting', 'template'], set.greeting.template, parts, undefined, 'a greeting has no match to capture from');
    }
  });

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
  /** in the user's words, e.g. "Reply not sent: The character '€' (U+20AC) at position 4 cannot be encoded in GBK" */
  message: string;
  /** when it happened (ms since the epoch) */
  at: number;
  /** 1-based position in the template, when the problem is something typed there */
  position?: number;
  char?: string;
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
