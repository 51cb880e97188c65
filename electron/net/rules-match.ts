/**
 * How a rule's match is tested against a message. The engine's own (the UI
 * previews a rule with "Try it", which runs the engine).
 *
 * - bytes: the message is exactly those bytes.
 * - text-equals: the text equals the rule's text, ignoring one trailing CR,
 *   LF or CRLF of the message (so it works with and without line framing).
 * - text-contains, text-starts-with, regex: on the text exactly as decoded.
 * - ignoreCase compares lower-cased text.
 * - hex-pattern: `??` is any one byte; start = the message begins with the
 *   pattern, anywhere = contains it, exact = is exactly it.
 */
import { parseHex } from '../../shared/codec/hex';
import type { Match } from '../../shared/protocol/rules';
import { compileRuleRegex, parseHexPattern } from '../../shared/protocol/rule-template';

/** What a match found: null = no match; a regex match brings its groups. */
export type Found = RegExpExecArray | true | null;
/** `text` is `message` decoded with the session's receive encoding. */
export type Test = (message: Uint8Array, text: string) => Found;

/** The text without one trailing line ending (CRLF, LF or CR). */
export function stripLineEnding(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n') || text.endsWith('\r')) return text.slice(0, -1);
  return text;
}

function hexPatternTest(pattern: Int16Array, anchored: 'start' | 'anywhere' | 'exact'): (m: Uint8Array) => boolean {
  const n = pattern.length;
  const fits = (m: Uint8Array, off: number): boolean => {
    for (let k = 0; k < n; k++) {
      const p = pattern[k]!;
      if (p >= 0 && m[off + k] !== p) return false;
    }
    return true;
  };
  if (anchored === 'exact') return (m) => m.length === n && fits(m, 0);
  if (anchored === 'start') return (m) => m.length >= n && fits(m, 0);
  // anywhere: anchor the search on the longest run of fixed bytes (fewest false starts)
  let runAt = 0;
  let runLen = 0;
  for (let k = 0; k < n; ) {
    if (pattern[k]! < 0) {
      k++;
      continue;
    }
    let e = k;
    while (e < n && pattern[e]! >= 0) e++;
    if (e - k > runLen) [runAt, runLen] = [k, e - k];
    k = e;
  }
  if (runLen === 0) return (m) => m.length >= n;
  const first = pattern[runAt]!;
  return (m) => {
    // candidates: where the run's first byte sits, far enough in for the bytes before it
    for (let idx = m.indexOf(first, runAt); idx >= 0; idx = m.indexOf(first, idx + 1)) {
      const off = idx - runAt;
      if (off + n > m.length) return false;
      if (fits(m, off)) return true;
    }
    return false;
  };
}

/** Compile a validated match. @throws CodecError for a match the schema would reject. */
export function compileMatch(match: Match): Test {
  switch (match.kind) {
    case 'bytes': {
      const want = parseHex(match.hex);
      return (m) => (m.length === want.length && m.every((b, i) => b === want[i]) ? true : null);
    }
    case 'text-equals':
    case 'text-contains':
    case 'text-starts-with': {
      const fold = match.ignoreCase ? (s: string): string => s.toLowerCase() : (s: string): string => s;
      const want = fold(match.text);
      if (match.kind === 'text-equals') return (_m, t) => (fold(stripLineEnding(t)) === want ? true : null);
      if (match.kind === 'text-contains') return (_m, t) => (fold(t).includes(want) ? true : null);
      return (_m, t) => (fold(t.slice(0, want.length * 2 + 8)).startsWith(want) ? true : null);
    }
    case 'regex': {
      const re = compileRuleRegex(match.pattern, match.flags);
      return (_m, t) => re.exec(t);
    }
    case 'hex-pattern': {
      const test = hexPatternTest(parseHexPattern(match.pattern), match.anchored);
      return (m) => (test(m) ? true : null);
    }
  }
}

