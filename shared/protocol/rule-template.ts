/**
 * Pure parsers behind the reply rules: reply templates, hex patterns with
 * `??` wildcards, and regex checks. Shared by the schemas (to reject a bad
 * rule when it is saved, with a position) and the engine (to run it).
 *
 * Reply template language, text mode (a reply typed as text):
 *
 *   $1 … $9, $0         regex capture group 1…9 ($0 = the whole match);
 *   {{1}} … {{99}}      a group that did not take part gives ''
 *   $<name>, {{name}}   named regex capture group (?<name>…)
 *   $$                  a literal $ (a $ followed by anything else is literal too)
 *   {{time}}            local time HH:MM:SS of the received message
 *   {{date}}            local date YYYY-MM-DD
 *   {{iso}}             UTC date and time, 2024-01-02T03:04:05.678Z
 *   {{peer}}            the sender, "192.168.1.5:50123" or "[::1]:50123"
 *   {{count}}           how many times this rule has replied to this peer,
 *                       this reply included (1, 2, 3 …)
 *   {{count8}}          the same counter as one raw byte (count mod 256)
 *   {{count16be}}       … as two raw bytes, big-endian (count mod 65536)
 *   {{count16le}}       … as two raw bytes, little-endian
 *   {{hex:0D 0A}}       raw bytes written in hex, sent as-is
 *   {{var.user}}        a per-peer variable (set by a rule's `set` or `collect`,
 *                       or given a start value in the rule set's `vars`);
 *                       unset gives ''
 *   {{var.$1}}          the variable whose name a capture gave ($1, $<name>)
 *   {{var.user!}}       the same, but the variable must be set: when it is
 *                       not, the rule does not match and the next rule is
 *                       tried ({{var.$1!}} too: Redis's GET of an unset key)
 *   {{random 20 30}}    a whole number from 20 to 30 (both included)
 *   {{rx:0-1}}          bytes 0 to 1 (0-based, both included) of the received
 *                       message, sent as-is: echo a transaction id
 *   {{rx:7}}            byte 7; {{rx:7|80}} byte 7 OR 0x80 (a Modbus exception)
 *   {{rest8}}           one byte: how many bytes of the reply follow it
 *   {{rest16be}}        … as two bytes, big-endian ({{rest16le}}: little-endian);
 *                       a length field counting what comes after it (MBAP)
 *   {{words:regs:8:10}} 16-bit registers read from the variable `regs` (hex
 *                       words, "00 0A 00 14 …", register 0 first): the start
 *                       address is the big-endian u16 at byte 8 of the
 *                       message, the count the u16 at byte 10 (1 to 125); a
 *                       request reaching past the table (or a count of 0 or
 *                       over 125) does not match the rule, so the next rule
 *                       can answer it (Modbus exception 02)
 *   \r \n \t \0 \\      CR, LF, TAB, NUL and backslash, as in the send box
 *   \xHH \uHHHH         a raw byte / a character, as in the send box
 *
 * Escapes apply to what the user typed only: text captured from a message
 * or a variable's value is sent as it is, never escape-processed. Text is
 * encoded with the reply's encoding (by default the session's); raw bytes
 * ({{hex:…}}, \xHH, counters) never are. A placeholder name that is a
 * variable wins over a capture group of the same name: write $<time> for a
 * group called "time". A `{{` without a closing `}}` is literal text.
 *
 * Hex mode (a reply typed as hex): fixed hex bytes, in any form the hex
 * send box accepts, plus {{count8}}, {{count16be}}, {{count16le}}, {{rx:…}},
 * {{rest8}}, {{rest16be}}, {{rest16le}}, {{words:…}} and {{var.name}} (whose
 * value is read as hex bytes). Captures and text variables are not allowed
 * in a hex reply.
 *
 * Every error is a CodecError whose message names a 1-based position in the
 * template (code points, like every other codec error).
 */
import { parseEscapes } from '../codec/escapes';
import { codePointPosition, hexValue, parseHex } from '../codec/hex';
import { CodecError } from '../codec/types';
import { say, type Reason } from './reason-format';
import { REASONS, type ReasonKey } from './reasons';
import { RE2JS } from 're2js';

export type TemplateVar = 'time' | 'date' | 'iso' | 'peer' | 'count';

export type TemplatePart =
  /**
   * Literal text. `source` is the piece of the template it came from (a
   * UTF-16 index `at`), `segment` its index among parseEscapes(source):
   * enough to point at the character the user typed.
   */
  | { kind: 'text'; text: string; at: number; source: string; segment: number }
  | { kind: 'bytes'; bytes: Uint8Array }
  /** a capture group by number or name; `at` is the UTF-16 index of `$` or `{{`, `written` as typed */
  | { kind: 'capture'; ref: number | string; at: number; written: string }
  | { kind: 'var'; name: TemplateVar }
  | { kind: 'counter'; width: 1 | 2; endian: 'be' | 'le' }
  /**
   * A per-peer variable: `name` for {{var.user}}, or `ref` (a capture that
   * gives the name) for {{var.$1}}. `at` is the UTF-16 index of `{{`.
   * `required` ({{var.user!}}): the rule matches only while it is set.
   */
  | { kind: 'peervar'; name?: string; ref?: number | string; at: number; written: string; required?: true }
  | { kind: 'random'; min: number; max: number }
  /** bytes `from`..`to` of the received message, OR-ed with `or` */
  | { kind: 'rx'; from: number; to: number; or: number }
  /** the count of reply bytes after this placeholder */
  | { kind: 'rest'; width: 1 | 2; endian: 'be' | 'le' }
  /** 16-bit words of variable `name`: start address u16be at `addrAt`, count u16be at `countAt` */
  | { kind: 'words'; name: string; addrAt: number; countAt: number; at: number; written: string };

const BAD_EXAMPLES = '{{var.user}}, {{var.$1}}, {{rx:0-1}}, {{rx:7|80}}, {{rest16be}}, {{random 20 30}}, {{words:regs:8:10}}';
/** What a variable name may be. */
export const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Most registers one {{words:…}} reads (Modbus's own limit). */
export const MAX_WORDS = 125;
const RESTS: Record<string, Extract<TemplatePart, { kind: 'rest' }>> = {
  rest8: { kind: 'rest', width: 1, endian: 'be' },
  rest16be: { kind: 'rest', width: 2, endian: 'be' },
  rest16le: { kind: 'rest', width: 2, endian: 'le' },
};

/**
 * The placeholders both modes share: {{var.…}}, {{rx:…}}, {{rest…}},
 * {{words:…}} (and in text mode {{random a b}}); undefined when `name` is none of them.
 * @throws CodecError for one of them written wrong.
 */
function sharedPlaceholder(t: string, at: number, inner: string, mode: 'text' | 'hex'): TemplatePart | undefined {
  const name = inner.trim();
  const written = `{{${inner}}}`;
  const bad = (): CodecError => templateError('INVALID_ARGUMENT', t, at, (pos) => say('template.badPlaceholder', { written, pos, examples: BAD_EXAMPLES }));
  if (name.startsWith('var.')) {
    const must = name.endsWith('!') ? { required: true as const } : {};
    const v = name.slice(4, must.required ? -1 : undefined);
    const num = /^\$(\d)$/.exec(v);
    const named = /^\$<([A-Za-z_$][A-Za-z0-9_$]*)>$/.exec(v);
    if (num) return { kind: 'peervar', ref: Number(num[1]), at, written, ...must };
    if (named) return { kind: 'peervar', ref: named[1], at, written, ...must };
    if (VAR_NAME.test(v)) return { kind: 'peervar', name: v, at, written, ...must };
    throw bad();
  }
  if (RESTS[name]) return RESTS[name];
  if (name.startsWith('rx:')) {
    const m = /^rx:(\d{1,5})(?:-(\d{1,5}))?(?:\|([0-9A-Fa-f]{2}))?$/.exec(name);
    if (!m) throw bad();
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || (m[3] !== undefined && to !== from)) throw bad();
    return { kind: 'rx', from, to, or: m[3] === undefined ? 0 : parseInt(m[3], 16) };
  }
  if (name.startsWith('words:')) {
    const m = /^words:([A-Za-z_][A-Za-z0-9_]*):(\d{1,5}):(\d{1,5})$/.exec(name);
    if (!m) throw bad();
    return { kind: 'words', name: m[1]!, addrAt: Number(m[2]), countAt: Number(m[3]), at, written };
  }
  if (mode === 'text' && /^random\b/.test(name)) {
    const m = /^random\s+(-?\d{1,9})\s+(-?\d{1,9})$/.exec(name);
    if (!m || Number(m[2]) < Number(m[1])) throw bad();
    return { kind: 'random', min: Number(m[1]), max: Number(m[2]) };
  }
  return undefined;
}

const VARS: ReadonlySet<string> = new Set<TemplateVar>(['time', 'date', 'iso', 'peer', 'count']);
const COUNTERS: Record<string, Extract<TemplatePart, { kind: 'counter' }>> = {
  count8: { kind: 'counter', width: 1, endian: 'be' },
  count16be: { kind: 'counter', width: 2, endian: 'be' },
  count16le: { kind: 'counter', width: 2, endian: 'le' },
};
/** what a regex group name may be (ASCII subset of an identifier) */
const CAPTURE_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** the placeholders an "unknown placeholder" error lists */
const PLACEHOLDER_VARS = '{{time}}, {{date}}, {{iso}}, {{peer}}, {{count}}, {{count8}}, {{count16be}}, {{count16le}}, {{hex:0D 0A}}, {{var.name}}, {{random 1 6}}, {{rx:0-1}}, {{rest16be}}, {{words:regs:8:10}}';
/** the counters a hex reply may hold */
const HEX_COUNTERS = { c8: '{{count8}}', c16be: '{{count16be}}', c16le: '{{count16le}}, {{rx:0-1}}, {{rest8}}, {{rest16be}}, {{rest16le}}, {{words:regs:8:10}}, {{var.name}}' };

function templateError(
  code: CodecError['code'],
  t: string,
  index: number,
  what: (pos: number) => Reason,
  char?: string,
): CodecError {
  const pos = codePointPosition(t, index);
  return new CodecError(code, what(pos), pos, char);
}

/**
 * Run `parse` on `piece`, which starts at UTF-16 index `index` of `t`. When it
 * fails, run it again behind padding so the error's position and message
 * count from the start of `t` (positions are code points; padding is ASCII).
 */
function atOffset<T>(t: string, index: number, piece: string, parse: (s: string) => T): T {
  try {
    return parse(piece);
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    parse(' '.repeat(codePointPosition(t, index) - 1) + piece);
    throw e; // not reached: the padded parse fails the same way
  }
}

function literalParts(t: string, start: number, end: number, out: TemplatePart[]): void {
  if (end <= start) return;
  const source = t.slice(start, end);
  const segments = atOffset(t, start, source, parseEscapes);
  segments.forEach((seg, segment) => {
    out.push(seg.kind === 'bytes' ? seg : { kind: 'text', text: seg.text, at: start, source, segment });
  });
}

function placeholder(t: string, at: number, inner: string, out: TemplatePart[]): void {
  const name = inner.trim();
  const shared = sharedPlaceholder(t, at, inner, 'text');
  if (shared) {
    out.push(shared);
  } else if (/^hex:/i.test(name)) {
    const from = at + 2 + inner.indexOf(':') + 1;
    const bytes = atOffset(t, from, t.slice(from, at + 2 + inner.length), parseHex);
    if (bytes.length === 0) {
      throw templateError('BAD_HEX', t, at, (pos) => say('template.hexEmpty', { written: '{{hex:}}', pos, example: '{{hex:0D 0A}}' }));
    }
    out.push({ kind: 'bytes', bytes });
  } else if (VARS.has(name)) {
    out.push({ kind: 'var', name: name as TemplateVar });
  } else if (COUNTERS[name]) {
    out.push(COUNTERS[name]);
  } else if (/^\d{1,2}$/.test(name)) {
    out.push({ kind: 'capture', ref: Number(name), at, written: `{{${inner}}}` });
  } else if (CAPTURE_NAME.test(name)) {
    out.push({ kind: 'capture', ref: name, at, written: `{{${inner}}}` });
  } else {
    const written = `{{${inner}}}`;
    throw templateError('INVALID_ARGUMENT', t, at, (pos) =>
      say('template.unknownPlaceholder', { written, pos, vars: PLACEHOLDER_VARS, one: '{{1}}', name: '{{name}}' }),
    );
  }
}

function parseTextTemplate(t: string): TemplatePart[] {
  const out: TemplatePart[] = [];
  let pieceStart = 0;
  let i = 0;
  const len = t.length;
  while (i < len) {
    const c = t.charAt(i);
    if (c === '\\') {
      i += 2; // an escape is one unit, so "\{{" or "\$" stays with the escape (and is reported there)
      continue;
    }
    if (c === '$') {
      const n = t.charAt(i + 1);
      let end = -1;
      if (n === '$') {
        literalParts(t, pieceStart, i, out);
        out.push({ kind: 'text', text: '$', at: i, source: '$', segment: 0 });
        end = i + 2;
      } else if (n >= '0' && n <= '9') {
        literalParts(t, pieceStart, i, out);
        out.push({ kind: 'capture', ref: Number(n), at: i, written: `$${n}` });
        end = i + 2;
      } else if (n === '<') {
        const close = t.indexOf('>', i + 2);
        const name = close < 0 ? '' : t.slice(i + 2, close);
        if (!CAPTURE_NAME.test(name)) {
          throw templateError('INVALID_ARGUMENT', t, i, (pos) => say('template.badCaptureName', { pos }), '$<');
        }
        literalParts(t, pieceStart, i, out);
        out.push({ kind: 'capture', ref: name, at: i, written: `$<${name}>` });
        end = close + 1;
      }
      if (end < 0) {
        i++; // any other $ is literal
      } else {
        i = pieceStart = end;
      }
      continue;
    }
    if (c === '{' && t.charAt(i + 1) === '{') {
      const close = t.indexOf('}}', i + 2);
      if (close >= 0) {
        literalParts(t, pieceStart, i, out);
        placeholder(t, i, t.slice(i + 2, close), out);
        i = pieceStart = close + 2;
        continue;
      }
    }
    i++;
  }
  literalParts(t, pieceStart, len, out);
  return out;
}

function parseHexTemplate(t: string): TemplatePart[] {
  const dollar = t.indexOf('$');
  if (dollar >= 0) {
    throw templateError('BAD_HEX', t, dollar, (pos) => say('template.hexCapture', { pos, ...HEX_COUNTERS }), '$');
  }
  const out: TemplatePart[] = [];
  let pieceStart = 0;
  let i = t.indexOf('{{');
  while (i >= 0) {
    const close = t.indexOf('}}', i + 2);
    const inner = close < 0 ? '' : t.slice(i + 2, close).trim();
    const counter = close < 0 ? undefined : (COUNTERS[inner] ?? sharedPlaceholder(t, i, t.slice(i + 2, close), 'hex'));
    if (!counter) {
      const written = close < 0 ? '{{' : `{{${inner}}}`;
      throw templateError('BAD_HEX', t, i, (pos) => say('template.hexPlaceholder', { written, pos, ...HEX_COUNTERS }), written);
    }
    if (i > pieceStart) out.push({ kind: 'bytes', bytes: atOffset(t, pieceStart, t.slice(pieceStart, i), parseHex) });
    out.push(counter);
    pieceStart = close + 2;
    i = t.indexOf('{{', pieceStart);
  }
  if (pieceStart < t.length) out.push({ kind: 'bytes', bytes: atOffset(t, pieceStart, t.slice(pieceStart), parseHex) });
  return out.filter((p) => p.kind !== 'bytes' || p.bytes.length > 0);
}

/**
 * Parse a reply template (see the language at the top of this file).
 * @throws CodecError BAD_ESCAPE, BAD_HEX or INVALID_ARGUMENT with a 1-based position.
 */
export function parseTemplate(template: string, mode: 'text' | 'hex'): TemplatePart[] {
  return mode === 'hex' ? parseHexTemplate(template) : parseTextTemplate(template);
}

/**
 * The capture parts of a template, for checking them against the rule's
 * match; a {{var.$1}} counts as a use of its capture.
 */
export function templateCaptures(parts: readonly TemplatePart[]): Extract<TemplatePart, { kind: 'capture' }>[] {
  const out: Extract<TemplatePart, { kind: 'capture' }>[] = [];
  for (const p of parts) {
    if (p.kind === 'capture') out.push(p);
    else if (p.kind === 'peervar' && p.ref !== undefined) out.push({ kind: 'capture', ref: p.ref, at: p.at, written: p.written });
  }
  return out;
}

/** The variables a template reads by a fixed name ({{var.user}}, {{words:regs:…}}), with where. */
export function templateVars(parts: readonly TemplatePart[]): { name: string; at: number; written: string }[] {
  const out: { name: string; at: number; written: string }[] = [];
  for (const p of parts) {
    if (p.kind === 'peervar' && p.name !== undefined) out.push({ name: p.name, at: p.at, written: p.written });
    else if (p.kind === 'words') out.push({ name: p.name, at: p.at, written: p.written });
  }
  return out;
}

/** The parts that decide whether a rule matches at all: {{var.x!}} and {{words:…}}. */
export function templateGuards(parts: readonly TemplatePart[]): Extract<TemplatePart, { kind: 'peervar' | 'words' }>[] {
  const out: Extract<TemplatePart, { kind: 'peervar' | 'words' }>[] = [];
  for (const p of parts) if ((p.kind === 'peervar' && p.required) || p.kind === 'words') out.push(p);
  return out;
}

/** Separators allowed between hex-pattern bytes: the same as in hex send. */
const PATTERN_SEPARATORS = ' \t\r\n,;:-';

/**
 * Parse a hex pattern such as `01 03 ?? ?? 00 0A`: hex bytes, and `??` for
 * any one byte. Byte values 0–255, -1 for a wildcard.
 * @throws CodecError BAD_HEX with a 1-based position.
 */
export function parseHexPattern(pattern: string): Int16Array {
  const out: number[] = [];
  let i = 0;
  const len = pattern.length;
  const bad = (at: number, what: (ch: string, pos: number) => Reason): CodecError => {
    const ch = String.fromCodePoint(pattern.codePointAt(at) ?? 0);
    return templateError('BAD_HEX', pattern, at, (pos) => what(ch, pos), ch);
  };
  const isSep = (ch: string): boolean => ch !== '' && PATTERN_SEPARATORS.includes(ch);
  while (i < len) {
    if (isSep(pattern.charAt(i))) {
      i++;
      continue;
    }
    // one group: pairs of hex digits or "??", optionally after 0x
    const prefixAt = i;
    if (pattern.charAt(i) === '0' && (pattern.charAt(i + 1) === 'x' || pattern.charAt(i + 1) === 'X')) {
      i += 2;
      if (i >= len || isSep(pattern.charAt(i))) {
        throw bad(prefixAt, (_ch, pos) => say('pattern.prefixAlone', { prefix: pattern.slice(prefixAt, prefixAt + 2), pos }));
      }
    }
    while (i < len && !isSep(pattern.charAt(i))) {
      const a = pattern.charAt(i);
      const b = pattern.charAt(i + 1);
      if (a === '?' && b === '?') {
        out.push(-1);
      } else if (a === '?' || b === '?') {
        throw bad(a === '?' ? i : i + 1, (_ch, pos) => say('pattern.lonelyQuestion', { pos }));
      } else {
        const hi = hexValue(a.charCodeAt(0));
        if (hi < 0) throw bad(i, (ch, pos) => say('pattern.notDigit', { char: ch, pos }));
        if (i + 1 >= len || isSep(b)) {
          throw bad(i, (ch, pos) => say('pattern.unpaired', { char: ch, pos }));
        }
        const lo = hexValue(b.charCodeAt(0));
        if (lo < 0) throw bad(i + 1, (ch, pos) => say('pattern.notDigit', { char: ch, pos }));
        out.push((hi << 4) | lo);
      }
      i += 2;
    }
  }
  if (out.length === 0) throw new CodecError('BAD_HEX', say('pattern.empty'));
  return Int16Array.from(out);
}

export const REGEX_FLAGS = ['i', 'm', 's', 'u'] as const;

/** Why `flags` cannot be used on a rule's regex, or undefined when they can. */
export function regexFlagsProblem(flags: string): Reason | undefined {
  const seen = new Set<string>();
  for (const f of flags) {
    if (f === 'g' || f === 'y') return say('regex.flagGlobal', { flag: f });
    if (!(REGEX_FLAGS as readonly string[]).includes(f)) return say('regex.flagUnknown', { flag: f });
    if (seen.has(f)) return say('regex.flagTwice', { flag: f });
    seen.add(f);
  }
  return undefined;
}

/**
 * A rule's compiled regex. It runs on RE2 (re2js, pure JavaScript): matching
 * takes time linear in the text whatever the pattern, so no message from a
 * peer can stall the engine (a backtracking engine takes minutes on
 * `(a+)+$` against 30 × 'a' + '!'). RE2 has no back-references and no
 * look-arounds; such patterns are refused when the rule is set.
 */
export interface RuleRegex {
  /** Like RegExp.prototype.exec, on at most the first REGEX_INPUT_MAX characters. */
  exec(text: string): RegExpExecArray | null;
  /** capture groups (group 0, the whole match, not counted) */
  count: number;
  /** names of the named groups */
  names: string[];
}

/** A regex rule looks at most at this many characters of a message (≈ 25 ms worst case). */
export const REGEX_INPUT_MAX = 32 * 1024;

/** RE2's own error sentences (re2js Parser.ERR_*), as keys of the reasons table. */
const RE2_ERRORS = (Object.keys(REASONS) as ReasonKey[]).filter((k) => k.startsWith('re2.'));

function describeRegexError(e: unknown): Reason {
  const raw = e instanceof Error ? e.message : String(e);
  if (/invalid escape sequence: `\\[1-9k]/.test(raw)) return say('regex.backReference');
  if (/`\(\?(<?[=!])/.test(raw)) return say('regex.lookaround');
  const { error, input } = e as { error?: unknown; input?: unknown };
  if (typeof error !== 'string') return say('regex.invalid', { detail: raw.replace(/^error parsing regexp: /, '') });
  const key = RE2_ERRORS.find((k) => REASONS[k] === error);
  const detail: Reason | string = key ? { key } : error;
  return typeof input === 'string' && input !== '' ? say('regex.invalidAt', { detail, input }) : say('regex.invalid', { detail });
}

/** Compile a rule's regex. @throws CodecError INVALID_ARGUMENT in the user's words. */
export function compileRuleRegex(pattern: string, flags: string): RuleRegex {
  const problem = regexFlagsProblem(flags);
  if (problem) throw new CodecError('INVALID_ARGUMENT', problem);
  let f = 0;
  if (flags.includes('i')) f |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) f |= RE2JS.MULTILINE;
  if (flags.includes('s')) f |= RE2JS.DOTALL;
  // 'u' changes nothing: RE2 always reads the text as Unicode code points
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, f);
  } catch (e) {
    throw new CodecError('INVALID_ARGUMENT', describeRegexError(e));
  }
  return {
    exec: (text) => re.exec(text.length > REGEX_INPUT_MAX ? text.slice(0, REGEX_INPUT_MAX) : text) as RegExpExecArray | null,
    count: re.groupCount(),
    names: Object.keys(re.namedGroups()),
  };
}

/** How many capture groups a valid regex has, and the names of its named groups. */
export function regexGroups(pattern: string, flags: string): { count: number; names: string[] } {
  const { count, names } = compileRuleRegex(pattern, flags);
  return { count, names };
}
