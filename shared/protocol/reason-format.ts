/**
 * Structured reasons: a key of the {@link REASONS} table plus parameters.
 * `say(key, params)` builds one (the parameters are typed from the
 * sentence's placeholders), `formatReason` writes it in English, and
 * `fillReason` with another table writes it in another language.
 *
 * Schema (zod) issues carry their Reason in `issue.params.why` when they
 * are custom; a built-in check's message is registered with
 * {@link schemaMessage}, so {@link reasonOfIssue} finds the Reason of any
 * message the schemas can produce.
 */
import { REASONS, type ReasonKey } from './reasons';

type SlotName<P extends string> = P extends `${infer N}|${string}` ? N : P;
type Slots<S extends string> = S extends `${string}{${infer P}}${infer R}` ? SlotName<P> | Slots<R> : never;
/** The placeholder names of a key's sentence. */
export type ReasonSlots<K extends ReasonKey> = Slots<(typeof REASONS)[K]>;

/** A parameter: text, a number, another reason (translated too) or a list of them. */
export type ReasonParam = string | number | Reason | readonly ReasonParam[];

/** Why something happened, for a UI to phrase in its own language. JSON-safe. */
export interface Reason {
  key: ReasonKey;
  params?: Record<string, ReasonParam>;
}

type ParamsArg<K extends ReasonKey> = [ReasonSlots<K>] extends [never] ? [] : [params: { [P in ReasonSlots<K>]: ReasonParam }];

/** A reason with its parameters: `say('status.listening', { addr: '0.0.0.0:8080' })`. */
export function say<K extends ReasonKey>(key: K, ...args: ParamsArg<K>): Reason {
  const params = args[0] as Record<string, ReasonParam> | undefined;
  return params ? { key, params } : { key };
}

export function isReason(x: unknown): x is Reason {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as { key?: unknown }).key === 'string';
}

export interface FillOptions {
  /** what joins the items of a list parameter */
  listSeparator: string;
  /** apply the `|lc` modifier (lower-case the first letter); English only */
  lowerFirst: boolean;
}

const SLOT = /\{(\w+)(\|lc)?\}/g;
/** "The connection closed" → "the connection closed"; "UDP …" stays. */
const lowerFirst = (s: string): string =>
  s.length > 1 && /[A-Z]/.test(s.charAt(0)) && /[a-z]/.test(s.charAt(1)) ? s.charAt(0).toLowerCase() + s.slice(1) : s;

/**
 * `r` in the language of `lookup` (key → sentence). Undefined when `lookup`
 * has no sentence for the key or for a nested reason's key.
 */
export function fillReason(r: Reason, lookup: (key: string) => string | undefined, opts: FillOptions): string | undefined {
  const sentence = lookup(r.key);
  if (sentence === undefined) return undefined;
  let missing = false;
  const value = (v: ReasonParam | undefined): string => {
    if (v === undefined) return '';
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    if (Array.isArray(v)) return (v as readonly ReasonParam[]).map(value).join(opts.listSeparator);
    const inner = fillReason(v as Reason, lookup, opts);
    if (inner === undefined) missing = true;
    return inner ?? '';
  };
  const out = sentence.replace(SLOT, (_m, name: string, lc: string | undefined) => {
    const s = value(r.params?.[name]);
    return lc && opts.lowerFirst ? lowerFirst(s) : s;
  });
  return missing ? undefined : out;
}

const englishOf = (key: string): string | undefined => (Object.hasOwn(REASONS, key) ? REASONS[key as ReasonKey] : undefined);
export const ENGLISH: FillOptions = { listSeparator: '; ', lowerFirst: true };

/** The English sentence of a reason: what the engine writes in `message` and `reason` fields. */
export function formatReason(r: Reason): string {
  return fillReason(r, englishOf, ENGLISH) ?? r.key;
}

/** The placeholder names of a sentence (modifiers dropped), sorted: for checking translations. */
export function slotsOf(sentence: string): string[] {
  return [...new Set([...sentence.matchAll(SLOT)].map((m) => m[1] as string))].sort();
}

// ── schema issues ────────────────────────────────────────────────────────────

const known = new Map<string, Reason>();

/** The English message for a built-in schema check, remembered so {@link reasonOfIssue} can find its Reason. */
export function schemaMessage(r: Reason): string {
  const text = formatReason(r);
  known.set(text, r);
  return text;
}

/** A custom schema issue: its message in English, its Reason in `params.why`. */
export function reasonIssue(r: Reason, path: (string | number)[]): { code: 'custom'; message: string; path: (string | number)[]; params: { why: Reason } } {
  return { code: 'custom', message: formatReason(r), path, params: { why: r } };
}

interface IssueLike {
  message: string;
  params?: unknown;
}

/** The Reason of a schema issue, when the schemas said it (else undefined: show `message`). */
export function reasonOfIssue(issue: IssueLike): Reason | undefined {
  const params = issue.params as { why?: unknown } | undefined;
  if (params && isReason(params.why)) return params.why;
  return known.get(issue.message);
}

interface IssuePathLike extends IssueLike {
  path: readonly PropertyKey[];
}

/** "config.port: port must be between 1 and 65535": the first issue in words, its field and Reason. */
export function describeIssue(
  issues: readonly IssuePathLike[],
  none: Reason,
): { message: string; field?: string; why: Reason } {
  const issue = issues[0];
  if (!issue) return { message: formatReason(none), why: none };
  const field = issue.path.map(String).join('.');
  const inner: ReasonParam = reasonOfIssue(issue) ?? issue.message;
  if (!field) return { message: issue.message, why: typeof inner === 'string' ? say('plain', { text: inner }) : inner };
  const why = say('schema.field', { field, message: inner });
  return { message: `${field}: ${issue.message}`, field, why };
}

export type { ReasonKey };
