/**
 * Pure helpers for the rules, automation, capture and profile UI: sizes,
 * download links, payload summaries, and turning a rule-set error path
 * (`rules.rules.2.match.pattern`) into "Rule 3 · pattern". No Vue.
 */
import { formatHex } from '../../../shared/codec';
import type { Match, Rule, RuleSet, SendPayload } from '../../../shared/protocol';
import { visibleText } from '../log/format';

/** Whole percent, 0–100 (an empty total counts as done). */
export const percent = (done: number, total: number): number => (total <= 0 ? 100 : Math.min(100, Math.floor((done / total) * 100)));

/** The file name part of a path written with / or \. */
export const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** "TXT hello\r\n" / "HEX 01 02": a one-line summary of a payload. */
export function payloadSummary(p: SendPayload, max = 60): string {
  if (p.kind === 'hex') return `HEX ${p.hex.trim().length > max ? `${p.hex.trim().slice(0, max)}…` : p.hex.trim()}`;
  if (p.kind === 'bytes') return `BYTES ${formatHex(p.bytes.subarray(0, 24))}${p.bytes.length > 24 ? ' …' : ''}`;
  const le = { none: '', cr: '\\r', lf: '\\n', crlf: '\\r\\n' }[p.lineEnding];
  return `TXT ${visibleText(p.text, max)}${le}`;
}

/** The text an editor shows for a payload (hex or text as typed). */
export const payloadBody = (p: SendPayload): string => (p.kind === 'hex' ? p.hex : p.kind === 'text' ? p.text : formatHex(p.bytes));

/** The pattern a match holds, whatever its kind. */
export function matchPattern(m: Match): string {
  if (m.kind === 'bytes') return m.hex;
  if (m.kind === 'regex' || m.kind === 'hex-pattern') return m.pattern;
  return m.text;
}

/** A match of another kind that keeps what was typed. */
export function withMatchKind(m: Match, kind: Match['kind']): Match {
  const pattern = matchPattern(m);
  const ignoreCase = 'ignoreCase' in m ? m.ignoreCase : m.kind === 'regex' ? m.flags.includes('i') : false;
  switch (kind) {
    case 'bytes':
      return { kind, hex: pattern };
    case 'regex':
      return { kind, pattern, flags: ignoreCase ? 'i' : '' };
    case 'hex-pattern':
      return { kind, pattern, anchored: 'start' };
    default:
      return { kind, text: pattern, ignoreCase };
  }
}

let idSeq = 0;
/** A fresh rule id, unique within this page. */
export const newRuleId = (): string => `r${Date.now().toString(36)}${(idSeq++).toString(36)}`;

export function blankRule(): Rule {
  return {
    id: newRuleId(),
    name: '',
    enabled: true,
    match: { kind: 'text-contains', text: '', ignoreCase: false },
    reply: { template: '', mode: 'text' },
    delayMs: 0,
    to: 'sender',
    stop: true,
    close: false,
  };
}

export type RuleField = 'pattern' | 'flags' | 'match' | 'reply' | 'encoding' | 'lineEnding' | 'delay' | 'name' | 'id' | 'to' | 'rule' | DialogueField;
/** The fields of a dialogue rule (states, variables, collect until); their labels are `dialogue.field.*`. */
type DialogueField = 'when' | 'then' | 'set' | 'collect';
export const DIALOGUE_FIELDS: readonly RuleField[] = ['when', 'then', 'set', 'collect'];

/** `name = value` lines (the rule editor's "Set variables" box) → a rule's `set`. */
export function parseSetLines(text: string): { name: string; value: string }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const eq = l.indexOf('=');
      return eq < 0 ? { name: l, value: '' } : { name: l.slice(0, eq).trim(), value: l.slice(eq + 1).trim() };
    });
}
export const formatSetLines = (set: readonly { name: string; value: string }[] | undefined): string =>
  (set ?? []).map((v) => `${v.name} = ${v.value}`).join('\n');

/** True when a rule set answers lines but the framing does not cut lines (every chunk would be one message). */
export function needsLineFraming(set: RuleSet, framing: { kind: string }): boolean {
  if (framing.kind !== 'raw') return false;
  const text = set.rules.some((r) => r.enabled && r.match.kind !== 'bytes' && r.match.kind !== 'hex-pattern');
  return text || set.rules.some((r) => r.collect !== undefined || r.when !== undefined);
}

/** Where a rule-set problem is: one rule's field, the greeting, or the set. */
export type RuleIssuePlace =
  | { scope: 'rule'; index: number; field: RuleField }
  | { scope: 'greeting'; field: RuleField }
  | { scope: 'set' };

function fieldOf(rest: (string | number)[]): RuleField {
  const [a, b] = rest.map(String);
  if (a === 'match') return b === 'pattern' || b === 'text' || b === 'hex' ? 'pattern' : b === 'flags' ? 'flags' : 'match';
  if (a === 'reply' || a === 'template') {
    const c = a === 'template' ? 'template' : b;
    return c === 'encoding' ? 'encoding' : c === 'lineEnding' ? 'lineEnding' : 'reply';
  }
  if (a === 'delayMs') return 'delay';
  if (a === 'name' || a === 'id' || a === 'to') return a;
  if (a === 'when' || a === 'then' || a === 'set' || a === 'collect') return a;
  return 'rule';
}

/**
 * Place of an issue given as a path inside the rule set (`['rules', 2, 'match', 'pattern']`)
 * or as the engine's field string of a rules.set answer (`rules.rules.2.match.pattern`).
 */
export function rulePlace(path: string | readonly (string | number | symbol)[]): RuleIssuePlace {
  let parts: (string | number)[] = typeof path === 'string' ? path.split('.') : path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (typeof path === 'string' && parts[0] === 'rules' && ['rules', 'greeting', 'echo'].includes(String(parts[1]))) parts = parts.slice(1);
  if (parts[0] === 'greeting') return { scope: 'greeting', field: fieldOf(parts.slice(1)) };
  if (parts[0] === 'rules' && parts.length > 1 && /^\d+$/.test(String(parts[1]))) {
    return { scope: 'rule', index: Number(parts[1]), field: fieldOf(parts.slice(2)) };
  }
  return { scope: 'set' };
}

/** The engine's message without its "field: " prefix. */
export function stripField(message: string, field: string | undefined): string {
  return field && message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}

/** JSON with sorted keys: equal for equal data whatever the key order. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x instanceof Uint8Array) return Array.from(x);
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      return Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return x;
  });
}

/** Put a text on the clipboard; false when the browser refuses. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
