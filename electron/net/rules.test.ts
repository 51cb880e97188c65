import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../shared/codec/types';
import { createFramer } from '../../shared/codec/framer';
import { formatHex } from '../../shared/codec/hex';
import type { Encoding } from '../../shared/protocol/encodings';
import {
  GREETING_RULE_ID,
  MAX_RULES,
  ruleSchema,
  ruleSetSchema,
  type RuleInput,
  type RuleSetInput,
} from '../../shared/protocol/rules';
import { exampleProfile, HTTP_BODY } from '../../shared/rules/examples';
import { parseHexPattern, parseTemplate } from '../../shared/protocol/rule-template';
import { RuleEngine, type PeerContext, type Reply } from './rules';
import { decodeText, encodeText } from './text-codec';

const NOW = new Date(2024, 0, 2, 3, 4, 5, 678).getTime(); // local time 03:04:05
const ctx = (peerKey = 'p1', now = NOW): PeerContext => ({ peerKey, peer: peerKey === 'p1' ? '127.0.0.1:50001' : '[::1]:50002', now });
const te = (s: string): Uint8Array => encodeText(s, 'utf-8');
const td = (b: Uint8Array): string => decodeText(b, 'utf-8');

function engine(input: RuleSetInput, encoding: Encoding = 'utf-8'): RuleEngine {
  return new RuleEngine(ruleSetSchema.parse(input), encoding);
}
function rule(match: RuleInput['match'], template: string, extra: Partial<RuleInput> = {}): RuleInput {
  return { id: 'r', ...extra, match, reply: { mode: 'text', ...extra.reply, template } };
}
/** Replies to a text message, as text. */
function say(e: RuleEngine, text: string, c: PeerContext = ctx()): string[] {
  return e.onMessage(te(text), text, c).map((r) => td(r.bytes));
}
function issues(input: unknown): string[] {
  const r = ruleSetSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

describe('matching', () => {
  it('bytes: the message is exactly those bytes', () => {
    const e = engine({ rules: [{ id: 'b', match: { kind: 'bytes', hex: '01 02 03' }, reply: { template: 'AA', mode: 'hex' } }] });
    expect(e.onMessage(Uint8Array.of(1, 2, 3), '', ctx()).map((r) => formatHex(r.bytes))).toEqual(['AA']);
    expect(e.onMessage(Uint8Array.of(1, 2, 3, 4), '', ctx())).toEqual([]);
    expect(e.onMessage(Uint8Array.of(1, 2), '', ctx())).toEqual([]);
  });

  it('text-equals ignores one trailing line ending; ignoreCase folds case', () => {
    const e = engine({ rules: [rule({ kind: 'text-equals', text: 'PING' }, 'PONG')] });
    expect(say(e, 'PING')).toEqual(['PONG']);
    expect(say(e, 'PING\r\n')).toEqual(['PONG']);
    expect(say(e, 'PING\n')).toEqual(['PONG']);
    expect(say(e, 'PING\n\n')).toEqual([]);
    expect(say(e, 'ping')).toEqual([]);
    const i = engine({ rules: [rule({ kind: 'text-equals', text: 'PING', ignoreCase: true }, 'PONG')] });
    expect(say(i, 'pInG')).toEqual(['PONG']);
  });

  it('text-contains and text-starts-with, with and without ignoreCase', () => {
    const c = engine({ rules: [rule({ kind: 'text-contains', text: 'error' }, 'seen')] });
    expect(say(c, 'an error here')).toEqual(['seen']);
    expect(say(c, 'an ERROR here')).toEqual([]);
    const ci = engine({ rules: [rule({ kind: 'text-contains', text: 'error', ignoreCase: true }, 'seen')] });
    expect(say(ci, 'an ERROR here')).toEqual(['seen']);
    const s = engine({ rules: [rule({ kind: 'text-starts-with', text: 'AT+' }, 'OK')] });
    expect(say(s, 'AT+GMR')).toEqual(['OK']);
    expect(say(s, 'xAT+GMR')).toEqual([]);
    expect(say(s, 'at+gmr')).toEqual([]);
    const si = engine({ rules: [rule({ kind: 'text-starts-with', text: 'AT+', ignoreCase: true }, 'OK')] });
    expect(say(si, 'at+gmr')).toEqual(['OK']);
  });

  it('regex: numbered and named captures, in both spellings', () => {
    const e = engine({
      rules: [rule({ kind: 'regex', pattern: '^SET (?<key>\\w+)=(\\d+)', flags: 'i' }, '$<key> is $2; {{key}}/{{2}}; $0; $$1 costs $ 5')],
    });
    expect(say(e, 'set speed=42 please')).toEqual(['speed is 42; speed/42; set speed=42; $1 costs $ 5']);
  });

  it('regex: a group that did not take part gives an empty string', () => {
    const e = engine({ rules: [rule({ kind: 'regex', pattern: '^HI( \\w+)?' }, '[$1]')] });
    expect(say(e, 'HI')).toEqual(['[]']);
    expect(say(e, 'HI bob')).toEqual(['[ bob]']);
  });

  it('hex-pattern: ?? wildcards with each anchoring', () => {
    const mk = (anchored: 'start' | 'anywhere' | 'exact') =>
      engine({ rules: [{ id: 'h', match: { kind: 'hex-pattern', pattern: '01 03 ?? ?? 00 0A', anchored }, reply: { template: 'ok' } }] });
    const exact = Uint8Array.of(1, 3, 0xaa, 0xbb, 0, 0x0a);
    const longer = Uint8Array.of(1, 3, 0xaa, 0xbb, 0, 0x0a, 0xff);
    const inside = Uint8Array.of(9, 9, 1, 3, 1, 2, 0, 0x0a, 9);
    const wrong = Uint8Array.of(1, 3, 0xaa, 0xbb, 0, 0x0b);
    const hits = (e: RuleEngine, m: Uint8Array): boolean => e.onMessage(m, '', ctx()).length === 1;
    const start = mk('start');
    expect([hits(start, exact), hits(start, longer), hits(start, inside), hits(start, wrong)]).toEqual([true, true, false, false]);
    const anywhere = mk('anywhere');
    expect([hits(anywhere, exact), hits(anywhere, longer), hits(anywhere, inside), hits(anywhere, wrong)]).toEqual([true, true, true, false]);
    // the fixed run "00 0A" appears before a real match: keep looking
    expect(hits(anywhere, Uint8Array.of(0, 0x0a, 1, 3, 5, 5, 0, 0x0a))).toBe(true);
    expect(hits(anywhere, Uint8Array.of(3, 0, 0x0a))).toBe(false);
    const ex = mk('exact');
    expect([hits(ex, exact), hits(ex, longer), hits(ex, inside), hits(ex, wrong)]).toEqual([true, false, false, false]);
  });

  it('hex-pattern of wildcards only matches any message that long', () => {
    const e = engine({ rules: [{ id: 'h', match: { kind: 'hex-pattern', pattern: '????', anchored: 'anywhere' }, reply: { template: 'ok' } }] });
    expect(e.onMessage(Uint8Array.of(1), '', ctx())).toEqual([]);
    expect(e.onMessage(Uint8Array.of(1, 2, 3), '', ctx())).toHaveLength(1);
  });

  it('stop ends matching at the first match; stop: false goes on; disabled rules are skipped', () => {
    const stop = engine({
      rules: [rule({ kind: 'text-contains', text: 'a' }, 'one', { id: '1' }), rule({ kind: 'text-contains', text: 'a' }, 'two', { id: '2' })],
    });
    expect(say(stop, 'a')).toEqual(['one']);
    const go = engine({
      rules: [
        rule({ kind: 'text-contains', text: 'a' }, 'one', { id: '1', stop: false }),
        rule({ kind: 'text-contains', text: 'z' }, 'no', { id: '2' }),
        rule({ kind: 'text-contains', text: 'a' }, 'off', { id: '3', enabled: false }),
        rule({ kind: 'text-contains', text: 'a' }, 'two', { id: '4' }),
      ],
    });
    expect(say(go, 'a')).toEqual(['one', 'two']);
    expect(go.stats().map((s) => s.hits)).toEqual([1, 0, 0, 1]);
  });

  it('an empty reply swallows the message without sending anything', () => {
    const e = engine({ rules: [rule({ kind: 'text-equals', text: 'x' }, '', { id: 'mute' }), rule({ kind: 'text-contains', text: 'x' }, 'y', { id: 'y' })] });
    expect(say(e, 'x')).toEqual([]);
    expect(e.stats()[0]!.hits).toBe(1);
  });
});

describe('echo, greeting and reply options', () => {
  it('echo sends the message back first, and the rules still run', () => {
    const e = engine({ echo: true, rules: [rule({ kind: 'text-equals', text: 'hi' }, 'hello')] });
    const msg = te('hi');
    const out = e.onMessage(msg, 'hi', ctx());
    expect(out.map((r) => td(r.bytes))).toEqual(['hi', 'hello']);
    expect(out[0]).toEqual({ bytes: msg, delayMs: 0, to: 'sender', close: false });
    expect(say(e, 'other')).toEqual(['other']);
  });

  it('greets each peer on connect; counts it in the stats', () => {
    const e = engine({ greeting: { template: 'Welcome {{peer}}', lineEnding: 'crlf' }, rules: [] });
    const [g] = e.onConnect(ctx());
    expect(td(g!.bytes)).toBe('Welcome 127.0.0.1:50001\r\n');
    expect(g).toMatchObject({ ruleId: GREETING_RULE_ID, to: 'sender', delayMs: 0, close: false });
    expect(e.stats()).toEqual([{ ruleId: GREETING_RULE_ID, hits: 1, lastMatchAt: NOW, errors: 0 }]);
    expect(engine({ rules: [] }).onConnect(ctx())).toEqual([]);
  });

  it('passes delay, target and close through with the rule id', () => {
    const e = engine({ rules: [rule({ kind: 'text-equals', text: 'bye' }, 'ciao', { id: 'q', delayMs: 250, to: 'all', close: true })] });
    const [r] = e.onMessage(te('bye'), 'bye', ctx());
    expect(r).toMatchObject({ delayMs: 250, to: 'all', close: true, ruleId: 'q' });
  });

  it('a closing rule with an empty reply still closes', () => {
    const e = engine({ rules: [rule({ kind: 'text-equals', text: 'bye' }, '', { close: true })] });
    const out: Reply[] = e.onMessage(te('bye'), 'bye', ctx());
    expect(out).toHaveLength(1);
    expect(out[0]!.bytes.length).toBe(0);
  });

  it('stats: hits, last match time and the first 200 characters', () => {
    const e = engine({ rules: [rule({ kind: 'text-starts-with', text: 'x' }, 'y')] });
    say(e, 'x' + 'a'.repeat(300), ctx('p1', NOW + 5));
    const [s] = e.stats();
    expect(s).toMatchObject({ ruleId: 'r', hits: 1, lastMatchAt: NOW + 5, errors: 0 });
    expect(s!.lastMatchText).toHaveLength(200);
  });
});

describe('templates', () => {
  it('{{time}}, {{date}}, {{iso}}, {{peer}}', () => {
    const e = engine({ rules: [rule({ kind: 'text-equals', text: 't' }, '{{time}} {{date}} {{iso}} {{peer}}')] });
    expect(say(e, 't')).toEqual([`03:04:05 2024-01-02 ${new Date(NOW).toISOString()} 127.0.0.1:50001`]);
    expect(new Date(NOW).toISOString()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.678Z$/);
  });

  it('escapes and inline hex; captured text is never escape-processed', () => {
    const e = engine({ rules: [rule({ kind: 'regex', pattern: '^echo (.*)' }, 'A\\tB\\x00{{hex:0D 0A}}$1\\\\\\r\\n')] });
    const [r] = e.onMessage(te('echo \\n'), 'echo \\n', ctx());
    expect(formatHex(r!.bytes)).toBe(formatHex(Uint8Array.of(0x41, 9, 0x42, 0, 0x0d, 0x0a, 0x5c, 0x6e, 0x5c, 0x0d, 0x0a)));
  });

  it('encodes text with the session encoding, or the reply encoding, and follows setEncoding', () => {
    const e = engine({ rules: [rule({ kind: 'text-equals', text: 'q' }, '中')] }, 'gbk');
    expect(formatHex(e.onMessage(te('q'), 'q', ctx())[0]!.bytes)).toBe('D6 D0');
    e.setEncoding('utf-8');
    expect(formatHex(e.onMessage(te('q'), 'q', ctx())[0]!.bytes)).toBe('E4 B8 AD');
    const fixed = engine({ rules: [rule({ kind: 'text-equals', text: 'q' }, '中', { reply: { template: '', encoding: 'big5' } })] });
    expect(formatHex(fixed.onMessage(te('q'), 'q', ctx())[0]!.bytes)).toBe('A4 A4');
  });

  it('{{count}} counts per peer and per rule; forget() resets a peer', () => {
    const e = engine({
      rules: [rule({ kind: 'text-equals', text: 'a' }, 'a{{count}}', { id: 'a' }), rule({ kind: 'text-equals', text: 'b' }, 'b{{count}}', { id: 'b' })],
    });
    expect([say(e, 'a'), say(e, 'a'), say(e, 'b'), say(e, 'a', ctx('p2'))].flat()).toEqual(['a1', 'a2', 'b1', 'a1']);
    e.forget('p1');
    expect(say(e, 'a')).toEqual(['a1']);
    expect(say(e, 'a', ctx('p2'))).toEqual(['a2']);
  });

  it('hex replies with {{count8}}, {{count16be}} and {{count16le}}', () => {
    const e = engine({
      rules: [{ id: 'h', match: { kind: 'bytes', hex: '01' }, reply: { template: 'AA {{count8}} 0x0102{{count16be}}{{count16le}}', mode: 'hex' } }],
    });
    const send = (): string => formatHex(e.onMessage(Uint8Array.of(1), '', ctx())[0]!.bytes);
    expect(send()).toBe('AA 01 01 02 00 01 01 00');
    expect(send()).toBe('AA 02 01 02 00 02 02 00');
  });

  it('an unencodable reply is reported in the stats, not thrown, and sends nothing', () => {
    const e = engine(
      {
        rules: [
          rule({ kind: 'text-equals', text: 'x' }, 'Price: 5€ #{{count}}', { id: 'typed' }),
          rule({ kind: 'regex', pattern: '^say (.*)' }, 'you said $1', { id: 'captured' }),
        ],
      },
      'iso-8859-1',
    );
    expect(() => say(e, 'x')).not.toThrow();
    expect(say(e, 'x')).toEqual([]);
    expect(say(e, 'say 😀')).toEqual([]);
    const [typed, captured] = e.stats();
    expect(typed).toMatchObject({ hits: 2, errors: 2, lastError: { code: 'UNENCODABLE', position: 9, char: '€', at: NOW } });
    expect(typed!.lastError!.message).toContain('position 9');
    expect(captured).toMatchObject({ hits: 1, errors: 1, lastError: { code: 'UNENCODABLE', char: '😀' } });
    expect(captured!.lastError!.message).toContain('$1 captured');
    // the failed reply did not count: the next good one is still number 1
    e.setEncoding('utf-8');
    expect(say(e, 'x')).toEqual(['Price: 5€ #1']);
  });

  it('setRules keeps the stats of rules that keep their id', () => {
    const e = engine({ rules: [rule({ kind: 'text-equals', text: 'a' }, 'x', { id: 'keep' }), rule({ kind: 'text-equals', text: 'a' }, 'x', { id: 'gone' })] });
    say(e, 'a');
    e.setRules(ruleSetSchema.parse({ rules: [rule({ kind: 'text-equals', text: 'a' }, 'y', { id: 'keep' })] }));
    expect(e.stats()).toEqual([expect.objectContaining({ ruleId: 'keep', hits: 1 })]);
    expect(say(e, 'a')).toEqual(['y']);
  });
});

describe('schema', () => {
  it('rejects an invalid regex and forbidden flags', () => {
    expect(issues({ rules: [rule({ kind: 'regex', pattern: '(' }, 'x')] })[0]).toMatch(/^The regex is not valid: /);
    expect(issues({ rules: [rule({ kind: 'regex', pattern: 'a', flags: 'g' }, 'x')] })[0]).toMatch(/flag 'g' is not allowed/);
    expect(issues({ rules: [rule({ kind: 'regex', pattern: 'a', flags: 'y' }, 'x')] })[0]).toMatch(/flag 'y' is not allowed/);
    expect(issues({ rules: [rule({ kind: 'regex', pattern: 'a', flags: 'd' }, 'x')] })[0]).toMatch(/Unknown regex flag 'd'/);
    expect(issues({ rules: [rule({ kind: 'regex', pattern: 'a', flags: 'ii' }, 'x')] })[0]).toMatch(/given twice/);
    expect(issues({ rules: [rule({ kind: 'regex', pattern: 'a', flags: 'imsu' }, 'x')] })).toEqual([]);
  });

  it('rejects bad hex patterns and bytes with a position', () => {
    expect(() => parseHexPattern('01 0?')).toThrow("'?' at position 5 must be part of '??'");
    expect(() => parseHexPattern('01 0')).toThrow("Hex digit '0' at position 4 has no partner");
    expect(() => parseHexPattern('01 zz')).toThrow("'z' at position 4 is not a hex digit or '??'");
    expect(() => parseHexPattern('  ')).toThrow(/empty/);
    expect(Array.from(parseHexPattern('0x01??,FF'))).toEqual([1, -1, 255]);
    expect(issues({ rules: [{ id: 'h', match: { kind: 'hex-pattern', pattern: '01 ?' }, reply: { template: '' } }] })).toHaveLength(1);
    expect(issues({ rules: [{ id: 'b', match: { kind: 'bytes', hex: '' }, reply: { template: '' } }] })[0]).toMatch(/empty/);
  });

  it('checks templates: escapes, placeholders, captures and hex mode', () => {
    const bad = (template: string, match: RuleInput['match'] = { kind: 'regex', pattern: '(a)(?<n>b)' }, mode: 'text' | 'hex' = 'text') =>
      issues({ rules: [{ id: 'r', match, reply: { template, mode } }] });
    expect(bad('ok \\q')[0]).toMatch(/Unknown escape \\q at position 4/);
    expect(bad('{{time}}\\x4')[0]).toMatch(/Incomplete escape \\x4 at position 9/);
    expect(bad('ab{{nope!}}')[0]).toMatch(/Unknown placeholder \{\{nope!\}\} at position 3/);
    expect(bad('{{hex:0G}}')[0]).toMatch(/'G' at position 8 is not a hex digit/);
    expect(bad('$3')[0]).toMatch(/\$3 at position 1 refers to group 3, but the regex has only 2 groups/);
    expect(bad('{{m}}')[0]).toMatch(/no group named 'm'/);
    expect(bad('$1 $2 $<n> {{n}} {{time}}')).toEqual([]);
    expect(bad('x $1', { kind: 'text-equals', text: 'a' })[0]).toMatch(/only a regex match has captures/);
    expect(bad('01 $1', { kind: 'text-equals', text: 'a' }, 'hex')[0]).toMatch(/cannot be used in a hex reply/);
    expect(bad('01 {{count}}', { kind: 'text-equals', text: 'a' }, 'hex')[0]).toMatch(/\{\{count\}\} at position 4 cannot be used in a hex reply/);
    expect(bad('0{{count8}}1', { kind: 'text-equals', text: 'a' }, 'hex')[0]).toMatch(/position 1 has no partner/);
    expect(issues({ greeting: { template: 'hi $1' }, rules: [] })[0]).toMatch(/a greeting has no match/);
  });

  it('template and hex-pattern parsers either parse or throw a CodecError, whatever the input', () => {
    const pieces = fc.constantFrom('$', '$$', '$1', '$<', '$<n>', '{{', '}}', '{{time}}', '{{hex:', '\\', '\\x', 'x4', '??', '?', '0x', ' ', 'é', '😀', 'a', '0A');
    const input = fc.array(fc.oneof(pieces, fc.string({ maxLength: 3 })), { maxLength: 12 }).map((a) => a.join(''));
    /** true when `run` parses, or throws a CodecError whose position lies inside `t` */
    const onlyCodecErrors = (t: string, run: () => unknown): boolean => {
      try {
        run();
        return true;
      } catch (e) {
        return e instanceof CodecError && (e.position === undefined || (e.position >= 1 && e.position <= [...t].length));
      }
    };
    fc.assert(
      fc.property(input, (t) =>
        onlyCodecErrors(t, () => parseTemplate(t, 'text')) &&
        onlyCodecErrors(t, () => parseTemplate(t, 'hex')) &&
        onlyCodecErrors(t, () => parseHexPattern(t)),
      ),
      { numRuns: 500 },
    );
  });

  it('checks ids, sizes and limits', () => {
    const r = (id: string): RuleInput => rule({ kind: 'text-equals', text: 'a' }, 'b', { id });
    expect(issues({ rules: [r('a'), r('a')] })[0]).toMatch(/two rules have the id 'a'/);
    expect(issues({ rules: [r(GREETING_RULE_ID)] })[0]).toMatch(/reserved/);
    expect(issues({ rules: Array.from({ length: MAX_RULES + 1 }, (_, i) => r(String(i))) })[0]).toMatch(/at most 500 rules/);
    expect(issues({ rules: [rule({ kind: 'regex', pattern: 'a'.repeat(4097) }, '')] })[0]).toMatch(/longer than 4,096/);
    expect(issues({ rules: [rule({ kind: 'text-equals', text: 'a' }, 'b'.repeat(64 * 1024 + 1))] })[0]).toMatch(/longer than 65,536/);
    expect(issues({ rules: [rule({ kind: 'text-equals', text: 'a' }, 'b', { delayMs: 600_001 })] })).toHaveLength(1);
    expect(ruleSchema.parse(r('x'))).toMatchObject({ enabled: true, delayMs: 0, to: 'sender', stop: true, close: false });
  });
});

/** Feed `chunks` through the profile's real framer and engine, like a session does. */
function converse(id: 'smtp' | 'http', chunks: string[], peer = ctx()): { greeting: string[]; replies: { after: string; said: string[]; close: boolean }[] } {
  const profile = exampleProfile(id);
  const e = new RuleEngine(profile.rules, 'utf-8');
  const framer = createFramer(profile.framing);
  const greeting = e.onConnect(peer).map((r) => td(r.bytes));
  const replies: { after: string; said: string[]; close: boolean }[] = [];
  for (const chunk of chunks) {
    for (const msg of framer.push(te(chunk), peer.now)) {
      const text = td(msg);
      const out = e.onMessage(msg, text, peer);
      replies.push({ after: text, said: out.map((r) => td(r.bytes)), close: out.some((r) => r.close) });
    }
  }
  return { greeting, replies };
}

describe('example profiles', () => {
  it('SMTP: a curl dialogue gets the exact replies, and body lines get none', () => {
    const { greeting, replies } = converse('smtp', [
      'EHLO client.example\r\n',
      'MAIL FROM:<a@b>\r\n',
      'RCPT TO:<c@d>\r\n',
      'DATA\r\n',
      'Subject: test\r\nFrom: a@b\r\n\r\nHello,\r\nthis mail mentions data and quit and EHLO mid-line.\r\n',
      '..a dot-stuffed line\r\n.\r\n',
      'QUIT\r\n',
    ]);
    expect(greeting).toEqual(['220 wirebench.local ESMTP Wirebench mock\r\n']);
    expect(replies).toEqual([
      { after: 'EHLO client.example', said: ['250-wirebench.local Hello\r\n250 OK\r\n'], close: false },
      { after: 'MAIL FROM:<a@b>', said: ['250 OK\r\n'], close: false },
      { after: 'RCPT TO:<c@d>', said: ['250 OK\r\n'], close: false },
      { after: 'DATA', said: ['354 End data with <CR><LF>.<CR><LF>\r\n'], close: false },
      { after: 'Subject: test', said: [], close: false },
      { after: 'From: a@b', said: [], close: false },
      { after: '', said: [], close: false },
      { after: 'Hello,', said: [], close: false },
      { after: 'this mail mentions data and quit and EHLO mid-line.', said: [], close: false },
      { after: '..a dot-stuffed line', said: [], close: false },
      { after: '.', said: ['250 OK: queued as 1\r\n'], close: false },
      { after: 'QUIT', said: ['221 Bye\r\n'], close: true },
    ]);
  });

  it('SMTP: HELO, RSET, NOOP and lower-case commands', () => {
    const { replies } = converse('smtp', ['helo x\r\nrset\r\nNOOP\r\nmail from:<a@b>\r\n']);
    expect(replies.map((r) => r.said[0])).toEqual(['250 wirebench.local Hello\r\n', '250 OK\r\n', '250 OK\r\n', '250 OK\r\n']);
  });

  it('HTTP: a curl request head gets 200 with an exact Content-Length, then close', () => {
    const head = 'GET /status HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n';
    const { greeting, replies } = converse('http', [head.slice(0, 10), head.slice(10)]);
    expect(greeting).toEqual([]);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.close).toBe(true);
    expect(replies[0]!.said).toEqual([
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 21\r\nConnection: close\r\n\r\nHello from Wirebench\n',
    ]);
    const reply = replies[0]!.said[0]!;
    const body = reply.slice(reply.indexOf('\r\n\r\n') + 4);
    expect(body).toBe(HTTP_BODY);
    expect(te(body).length).toBe(21);
  });

  it('HTTP: HEAD gets headers only; an unknown method gets 405 with an exact length', () => {
    const { replies } = converse('http', ['HEAD / HTTP/1.1\r\nHost: x\r\n\r\nBREW /pot HTTP/1.0\r\n\r\n']);
    expect(replies[0]!.said[0]).toBe('HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 21\r\nConnection: close\r\n\r\n');
    const r405 = replies[1]!.said[0]!;
    expect(r405).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    const len = Number(/Content-Length: (\d+)/.exec(r405)![1]);
    expect(te(r405.slice(r405.indexOf('\r\n\r\n') + 4)).length).toBe(len);
  });
});
