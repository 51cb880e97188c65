/**
 * A rule set as readable text (YAML), to paste into a chat or a homework
 * sheet and back. One rule per list item; only what differs from the
 * defaults is written. Example (an FTP login):
 *
 *   framing: crlf
 *   greeting: 220 ready
 *   vars:
 *     cwd: /
 *   rules:
 *     - name: USER
 *       regex: ^USER (\S+)
 *       flags: i
 *       set: { user: $1 }
 *       reply: 331 Password required for {{var.user}}
 *       then: auth
 *     - name: PASS
 *       when: auth
 *       starts-with: PASS
 *       reply: 230 Logged in
 *       then: ready
 *
 * Keys of a rule: one match (`equals`, `contains`, `starts-with` with
 * `ignore-case`; `regex` with `flags`; `bytes`; `hex-pattern` with
 * `anchored`); `reply` (text) or `reply-hex`; `line-ending` (none, cr, lf,
 * crlf; absent = the framing's), `encoding`, `delay-ms`, `to` (sender,
 * all), `stop` (true), `close` (false), `enabled` (true), `when` (a state, or a
 * list: `when: [user, ready]`), `then`,
 * `set` (name: value), `collect` ({ into, until, reply }), `id`, `name`.
 * The set: `echo`, `greeting` (text) or `greeting-hex`, `vars`, `framing`
 * (raw, cr, lf, crlf, or { delimiter: "\r\n" }, { fixed: 8 },
 * { length: 2, offset: 4, endian: be, includes-header: false },
 * { idle-ms: 20 }), `rules`.
 */
import { parse, stringify } from 'yaml';
import { parseEscapes } from '../codec/escapes';
import type { FramerSpec, LineEnding } from '../codec/types';
import { say, type Reason } from '../protocol/reason-format';
import type { ReplySpec, Rule, RuleSet, RuleSetInput } from '../protocol/rules';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const LINE_FRAMINGS: Record<string, string> = { cr: '\r', lf: '\n', crlf: '\r\n' };
const bytesOf = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const escapeText = (b: Uint8Array): string =>
  [...b].map((x) => (x === 13 ? '\\r' : x === 10 ? '\\n' : x === 9 ? '\\t' : x === 92 ? '\\\\' : x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : `\\x${x.toString(16).padStart(2, '0')}`)).join('');

function framingOut(f: FramerSpec): unknown {
  switch (f.kind) {
    case 'raw':
      return 'raw';
    case 'delimiter': {
      const text = String.fromCharCode(...f.delimiter);
      const line = Object.keys(LINE_FRAMINGS).find((k) => LINE_FRAMINGS[k] === text);
      return line && !f.keep ? line : { delimiter: escapeText(f.delimiter), ...(f.keep ? { keep: true } : {}) };
    }
    case 'fixed':
      return { fixed: f.length };
    case 'length-prefix':
      return { length: f.width, ...(f.offset ? { offset: f.offset } : {}), endian: f.endian, ...(f.includesPrefix ? { 'includes-header': true } : {}) };
    case 'idle':
      return { 'idle-ms': f.gapMs };
  }
}

function framingIn(v: unknown): FramerSpec {
  if (v === 'raw') return { kind: 'raw' };
  if (typeof v === 'string' && LINE_FRAMINGS[v]) return { kind: 'delimiter', delimiter: bytesOf(LINE_FRAMINGS[v]), keep: false };
  if (isObj(v)) {
    if (typeof v.delimiter === 'string') {
      const parts = parseEscapes(v.delimiter);
      const text = parts.map((p) => (p.kind === 'text' ? p.text : String.fromCharCode(...p.bytes))).join('');
      return { kind: 'delimiter', delimiter: bytesOf(text), keep: v.keep === true };
    }
    if (typeof v.fixed === 'number') return { kind: 'fixed', length: v.fixed };
    if (v.length === 1 || v.length === 2 || v.length === 4) {
      return {
        kind: 'length-prefix',
        width: v.length,
        endian: v.endian === 'le' ? 'le' : 'be',
        includesPrefix: v['includes-header'] === true,
        ...(typeof v.offset === 'number' && v.offset > 0 ? { offset: v.offset } : {}),
      };
    }
    if (typeof v['idle-ms'] === 'number') return { kind: 'idle', gapMs: v['idle-ms'] };
  }
  throw new RulesTextError(say('rulesText.badFraming', { value: JSON.stringify(v) ?? '' }));
}

function replyOut(r: ReplySpec, key = 'reply'): Obj {
  const o: Obj = { [r.mode === 'hex' ? `${key}-hex` : key]: r.template };
  if (r.lineEnding) o[`${key === 'reply' ? '' : `${key}-`}line-ending`] = r.lineEnding;
  if (r.encoding) o[`${key === 'reply' ? '' : `${key}-`}encoding`] = r.encoding;
  return o;
}

function replyIn(o: Obj, key = 'reply'): ReplySpec {
  const hex = o[`${key}-hex`];
  const prefix = key === 'reply' ? '' : `${key}-`;
  const spec: Obj = typeof hex === 'string' ? { template: hex, mode: 'hex' } : { template: o[key] === undefined || o[key] === null ? '' : String(o[key]), mode: 'text' };
  if (o[`${prefix}line-ending`] !== undefined) spec.lineEnding = o[`${prefix}line-ending`] as LineEnding;
  if (o[`${prefix}encoding`] !== undefined) spec.encoding = o[`${prefix}encoding`];
  return spec as unknown as ReplySpec;
}

function ruleOut(r: Rule): Obj {
  const o: Obj = {};
  if (r.name) o.name = r.name;
  if (!/^r\d+$/.test(r.id)) o.id = r.id;
  if (!r.enabled) o.enabled = false;
  if (r.when) o.when = r.when;
  const m = r.match;
  if (m.kind === 'regex') {
    o.regex = m.pattern;
    if (m.flags) o.flags = m.flags;
  } else if (m.kind === 'bytes') o.bytes = m.hex;
  else if (m.kind === 'hex-pattern') {
    o['hex-pattern'] = m.pattern;
    if (m.anchored !== 'start') o.anchored = m.anchored;
  } else {
    o[m.kind.replace('text-', '')] = m.text;
    if (m.ignoreCase) o['ignore-case'] = true;
  }
  if (r.set?.length) o.set = Object.fromEntries(r.set.map((v) => [v.name, v.value]));
  Object.assign(o, replyOut(r.reply));
  if (r.collect) o.collect = { into: r.collect.into, until: r.collect.until, ...replyOut(r.collect.reply) };
  if (r.then) o.then = r.then;
  if (r.delayMs) o['delay-ms'] = r.delayMs;
  if (r.to !== 'sender') o.to = r.to;
  if (!r.stop) o.stop = false;
  if (r.close) o.close = true;
  return o;
}

const MATCH_KEYS = ['equals', 'contains', 'starts-with', 'regex', 'bytes', 'hex-pattern'] as const;

function ruleIn(o: unknown, i: number): unknown {
  if (!isObj(o)) throw new RulesTextError(say('rulesText.ruleNotMap', { n: i + 1 }));
  const key = MATCH_KEYS.find((k) => o[k] !== undefined);
  if (!key) throw new RulesTextError(say('rulesText.noMatch', { n: i + 1, keys: MATCH_KEYS.join(', ') }));
  const text = String(o[key]);
  const match =
    key === 'regex' ? { kind: 'regex', pattern: text, flags: typeof o.flags === 'string' ? o.flags : '' }
    : key === 'bytes' ? { kind: 'bytes', hex: text }
    : key === 'hex-pattern' ? { kind: 'hex-pattern', pattern: text, anchored: o.anchored ?? 'start' }
    : { kind: `text-${key}`, text, ignoreCase: o['ignore-case'] === true };
  const out: Obj = { id: o.id === undefined ? `r${i + 1}` : String(o.id), match, reply: replyIn(o) };
  if (o.name !== undefined) out.name = String(o.name);
  for (const k of ['enabled', 'when', 'then', 'to', 'stop', 'close'] as const) if (o[k] !== undefined) out[k] = o[k];
  if (o['delay-ms'] !== undefined) out.delayMs = o['delay-ms'];
  if (isObj(o.set)) out.set = Object.entries(o.set).map(([name, value]) => ({ name, value: value === null ? '' : String(value) }));
  if (isObj(o.collect)) out.collect = { into: o.collect.into, until: o.collect.until === undefined ? undefined : String(o.collect.until), reply: replyIn(o.collect) };
  return out;
}

/** A rule set (and the framing it needs) as YAML text. */
export function ruleSetToYaml(set: RuleSet, framing?: FramerSpec): string {
  const o: Obj = {};
  if (framing) o.framing = framingOut(framing);
  if (set.echo) o.echo = true;
  if (set.greeting) {
    const g = replyOut(set.greeting, 'greeting');
    Object.assign(o, g);
  }
  if (set.vars && Object.keys(set.vars).length) o.vars = set.vars;
  o.rules = set.rules.map(ruleOut);
  return stringify(o, { lineWidth: 0 });
}

/** A problem with the text itself (not YAML, an unknown framing, a rule without a match). */
export class RulesTextError extends Error {
  constructor(readonly why: Reason) {
    super(why.key);
  }
}

/**
 * Read YAML text back into a rule set input (to be checked with
 * ruleSetSchema) and the framing, when the text gives one.
 * @throws RulesTextError
 */
export function ruleSetFromYaml(text: string): { rules: RuleSetInput; framing?: FramerSpec } {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new RulesTextError(say('rulesText.notYaml', { detail: e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e) }));
  }
  if (!isObj(doc)) throw new RulesTextError(say('rulesText.notMap'));
  const rules: Obj = { echo: doc.echo === true, rules: Array.isArray(doc.rules) ? doc.rules.map(ruleIn) : [] };
  if (doc.greeting !== undefined || doc['greeting-hex'] !== undefined) {
    const g = replyIn(doc, 'greeting');
    rules.greeting = g;
  }
  if (isObj(doc.vars)) rules.vars = Object.fromEntries(Object.entries(doc.vars).map(([k, v]) => [k, v === null ? '' : String(v)]));
  return { rules: rules as RuleSetInput, ...(doc.framing !== undefined ? { framing: framingIn(doc.framing) } : {}) };
}
