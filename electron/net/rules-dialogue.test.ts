/**
 * Dialogue rules in the engine alone: per-peer states, variables, "collect
 * until", replies that echo request bytes and count what follows, the line
 * ending that follows the framing, and the checks at rules.set.
 */
import { describe, expect, it } from 'vitest';
import { formatHex, parseHex } from '../../shared/codec/hex';
import type { FramerSpec } from '../../shared/codec/types';
import { reasonOfIssue } from '../../shared/protocol/reason-format';
import { ruleSetSchema, type RuleSetInput } from '../../shared/protocol/rules';
import { RuleEngine, type PeerContext } from './rules';

const CRLF: FramerSpec = { kind: 'delimiter', delimiter: Uint8Array.of(13, 10), keep: false };
const ctx = (peerKey = 'p1'): PeerContext => ({ peerKey, peer: '127.0.0.1:5000', now: 0 });
const te = (s: string): Uint8Array => new TextEncoder().encode(s);
const engine = (input: RuleSetInput, framing?: FramerSpec): RuleEngine => new RuleEngine(ruleSetSchema.parse(input), 'utf-8', framing);
const say = (e: RuleEngine, text: string, peer = 'p1'): string[] =>
  e.onMessage(te(text), text, ctx(peer)).map((r) => new TextDecoder().decode(r.bytes));

const LOGIN: RuleSetInput = {
  rules: [
    { id: 'user', match: { kind: 'regex', pattern: '^USER (\\S+)' }, reply: { template: '331 Password for {{var.user}}' }, set: [{ name: 'user', value: '$1' }], then: 'auth' },
    { id: 'pass', when: 'auth', match: { kind: 'text-starts-with', text: 'PASS ' }, reply: { template: '230 Welcome {{var.user}}' }, then: 'ready' },
    { id: 'pass-early', match: { kind: 'text-starts-with', text: 'PASS ' }, reply: { template: '503 Login with USER first' } },
    { id: 'pwd', when: 'ready', match: { kind: 'text-equals', text: 'PWD' }, reply: { template: '257 "/"' } },
    { id: 'other', match: { kind: 'regex', pattern: '.' }, reply: { template: '530 Please login' } },
  ],
};

describe('per-peer state', () => {
  it('a rule with `when` answers only in its state, and `then` moves the peer on', () => {
    const e = engine(LOGIN, CRLF);
    expect(say(e, 'PASS x')).toEqual(['503 Login with USER first\r\n']);
    expect(say(e, 'PWD')).toEqual(['530 Please login\r\n']);
    expect(say(e, 'USER ann')).toEqual(['331 Password for ann\r\n']);
    expect(e.peerStates()).toEqual({ p1: 'auth' });
    expect(say(e, 'PASS secret')).toEqual(['230 Welcome ann\r\n']);
    expect(say(e, 'PWD')).toEqual(['257 "/"\r\n']);
  });

  it('keeps states and variables per peer, and forgets them when the peer leaves', () => {
    const e = engine(LOGIN, CRLF);
    say(e, 'USER ann', 'a');
    say(e, 'USER bob', 'b');
    expect(say(e, 'PASS 1', 'a')).toEqual(['230 Welcome ann\r\n']);
    expect(e.peerStates()).toEqual({ a: 'ready', b: 'auth' });
    e.forget('a');
    expect(say(e, 'PWD', 'a')).toEqual(['530 Please login\r\n']); // back in start
  });

  it('a `when` that lists states matches in any of them', () => {
    const e = engine({
      rules: [
        { id: 'user', match: { kind: 'text-equals', text: 'USER' }, reply: { template: 'u' }, then: 'user' },
        { id: 'go', match: { kind: 'text-equals', text: 'GO' }, reply: { template: 'g' }, then: 'ready' },
        { id: 'noop', when: ['user', 'ready'], match: { kind: 'text-equals', text: 'NOOP' }, reply: { template: 'ok' } },
        { id: 'other', match: { kind: 'regex', pattern: '.' }, reply: { template: 'no' } },
      ],
    });
    expect(say(e, 'NOOP')).toEqual(['no']); // start is not listed
    say(e, 'USER');
    expect(say(e, 'NOOP')).toEqual(['ok']);
    say(e, 'GO');
    expect(say(e, 'NOOP')).toEqual(['ok']);
  });

  it('step() tells the matched rules and the state change', () => {
    const e = engine(LOGIN);
    const s = e.step(te('USER ann'), 'USER ann', ctx());
    expect(s).toMatchObject({ matched: ['user'], from: 'start', to: 'auth', collected: false });
  });
});

describe('variables', () => {
  it('a name from a capture: SET k v / GET k', () => {
    const e = engine({
      rules: [
        { id: 'set', match: { kind: 'regex', pattern: '^SET (\\S+) (.*)$' }, reply: { template: '+OK' }, set: [{ name: '$1', value: '$2' }] },
        { id: 'get', match: { kind: 'regex', pattern: '^GET (\\S+)$' }, reply: { template: '+{{var.$1}}' } },
      ],
    }, CRLF);
    expect(say(e, 'SET colour blue sky')).toEqual(['+OK\r\n']);
    expect(say(e, 'GET colour')).toEqual(['+blue sky\r\n']);
    expect(say(e, 'GET nothing')).toEqual(['+\r\n']);
  });

  it('a client cannot grow its variables without bound: the least recently set are forgotten', () => {
    const e = engine({
      rules: [
        { id: 'set', match: { kind: 'regex', pattern: '^SET (\\S+) (.*)$' }, reply: { template: '+OK' }, set: [{ name: '$1', value: '$2' }] },
        { id: 'get', match: { kind: 'regex', pattern: '^GET (\\S+)$' }, reply: { template: '+{{var.$1}}' } },
      ],
    }, CRLF);
    for (let i = 0; i < 1500; i++) say(e, `SET k${i} v${i}`);
    expect(say(e, 'GET k0')).toEqual(['+\r\n']); // forgotten: over 1024 variables
    expect(say(e, 'GET k1499')).toEqual(['+v1499\r\n']);
    const big = 'x'.repeat(20_000);
    for (let i = 0; i < 300; i++) say(e, `SET big${i} ${big}`); // ~6 MB asked, 4 M characters kept
    expect(say(e, 'GET big0')).toEqual(['+\r\n']);
    expect(say(e, 'GET big299')).toEqual([`+${big}\r\n`]);
  });

  it('start values come from the rule set; {{random a b}} stays in range', () => {
    const e = engine({ vars: { name: 'TEMP-1' }, rules: [{ id: 't', match: { kind: 'regex', pattern: '.' }, reply: { template: '{{var.name}} {{random 20 30}}', lineEnding: 'none' } }] });
    for (let i = 0; i < 50; i++) {
      const [r] = say(e, 'x');
      const m = /^TEMP-1 (\d+)$/.exec(r ?? '');
      expect(Number(m?.[1])).toBeGreaterThanOrEqual(20);
      expect(Number(m?.[1])).toBeLessThanOrEqual(30);
    }
  });
});

describe('collect until', () => {
  const SMTP: RuleSetInput = {
    rules: [
      { id: 'mail', match: { kind: 'regex', pattern: '^MAIL FROM:', flags: 'i' }, reply: { template: '250 OK' } },
      { id: 'data', match: { kind: 'regex', pattern: '^DATA$', flags: 'i' }, reply: { template: '354 go on' }, collect: { into: 'body', until: '.', reply: { template: '250 queued #{{count}}' } } },
    ],
  };
  it('consumes lines until the terminator, then replies once', () => {
    const e = engine(SMTP, CRLF);
    expect(say(e, 'DATA')).toEqual(['354 go on\r\n']);
    expect(say(e, 'MAIL FROM: <x@y>')).toEqual([]); // body, not a command
    expect(say(e, 'hello')).toEqual([]);
    expect(say(e, '.')).toEqual(['250 queued #1\r\n']);
    expect(say(e, 'MAIL FROM: <x@y>')).toEqual(['250 OK\r\n']);
    say(e, 'DATA');
    expect(say(e, '.')).toEqual(['250 queued #2\r\n']);
  });
  it('stores what it collected in its variable', () => {
    const e = engine({ rules: [{ id: 'c', match: { kind: 'text-equals', text: 'BEGIN' }, reply: { template: '' }, collect: { into: 'text', until: 'END', reply: { template: '[{{var.text}}]', lineEnding: 'none' } } }] });
    say(e, 'BEGIN');
    say(e, 'a\r\n');
    say(e, 'b');
    expect(say(e, 'END\r\n')).toEqual(['[a\nb]']);
  });
});

describe('binary replies', () => {
  it('echo request bytes, OR a byte, and count the bytes that follow', () => {
    const e = engine({
      vars: { regs: '00 0A 00 14 00 1E' },
      rules: [
        { id: 'fc3', match: { kind: 'hex-pattern', pattern: '?? ?? 00 00 ?? ?? ?? 03' }, reply: { mode: 'hex', template: '{{rx:0-1}} 00 00 {{rest16be}} {{rx:6}} 03 {{rest8}} {{words:regs:8:10}}' } },
        { id: 'exc', match: { kind: 'hex-pattern', pattern: '?? ?? 00 00' }, reply: { mode: 'hex', template: '{{rx:0-1}} 00 00 00 03 {{rx:6}} {{rx:7|80}} 01' } },
      ],
    });
    const hex = (h: string): string => formatHex(e.onMessage(parseHex(h), '', ctx())[0]!.bytes);
    expect(hex('12 34 00 00 00 06 01 03 00 01 00 02')).toBe('12 34 00 00 00 07 01 03 04 00 14 00 1E');
    // past the table (3 registers): the words rule does not match, the next rule answers
    expect(hex('00 07 00 00 00 06 11 03 00 02 00 02')).toBe('00 07 00 00 00 03 11 83 01');
    expect(hex('00 08 00 00 00 06 11 03 00 02 00 01')).toBe('00 08 00 00 00 05 11 03 02 00 1E');
    expect(hex('00 09 00 00 00 06 11 03 00 00 00 00')).toBe('00 09 00 00 00 03 11 83 01'); // count 0
    expect(e.stats().find((s) => s.ruleId === 'fc3')?.hits).toBe(2);
    expect(hex('AB CD 00 00 00 06 01 05 00 01 FF 00')).toBe('AB CD 00 00 00 03 01 85 01');
  });
});

describe('a reply that needs a variable', () => {
  it('{{var.x!}} matches only while the variable is set; the next rule answers otherwise, without side effects', () => {
    const e = engine({
      rules: [
        { id: 'set', match: { kind: 'regex', pattern: '^SET (\\S+) (.*)$' }, reply: { template: '+OK' }, set: [{ name: '$1', value: '$2' }] },
        { id: 'get', match: { kind: 'regex', pattern: '^GET (\\S+)$' }, reply: { template: '+{{var.$1!}}' }, set: [{ name: 'last', value: '$1' }], then: 'got' },
        { id: 'nil', match: { kind: 'regex', pattern: '^GET (\\S+)$' }, reply: { template: '$$-1' } },
      ],
    });
    expect(say(e, 'GET k')).toEqual(['$-1']);
    expect(e.peerVars('p1')).toEqual({});
    expect(e.peerStates()).toEqual({ p1: 'start' });
    say(e, 'SET k v');
    expect(say(e, 'GET k')).toEqual(['+v']);
    expect(e.peerStates()).toEqual({ p1: 'got' });
    expect(e.stats().map((s) => [s.ruleId, s.hits])).toEqual([['set', 1], ['get', 1], ['nil', 1]]);
  });
});

describe('line ending', () => {
  it('a reply without one ends like the framing; "none" sends nothing after it; the greeting too', () => {
    const e = engine({ greeting: { template: '220 hi' }, rules: [
      { id: 'a', stop: false, match: { kind: 'text-equals', text: 'x' }, reply: { template: 'A' } },
      { id: 'b', match: { kind: 'text-equals', text: 'x' }, reply: { template: 'B', lineEnding: 'none' } },
    ] }, CRLF);
    expect(new TextDecoder().decode(e.onConnect(ctx())[0]!.bytes)).toBe('220 hi\r\n');
    expect(say(e, 'x')).toEqual(['A\r\n', 'B']);
    e.setFraming({ kind: 'raw' });
    expect(say(e, 'x')).toEqual(['A', 'B']);
  });
});

describe('checks at rules.set', () => {
  const problems = (input: unknown): { key: string; path: string; params: unknown }[] => {
    const r = ruleSetSchema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => ({ key: reasonOfIssue(i)?.key ?? '?', path: i.path.join('.'), params: reasonOfIssue(i)?.params }));
  };
  it('refuses a state no rule goes to, naming the rule', () => {
    expect(problems({ rules: [{ id: 'p', name: 'PASS', when: 'atuh', match: { kind: 'text-equals', text: 'x' }, reply: { template: '' } }] })).toEqual([
      { key: 'rule.unknownState', path: 'rules.0.when', params: { n: 1, rule: 'PASS', state: 'atuh', states: 'start' } },
    ]);
  });
  it('accepts a list of states in `when`, and names each unknown one with its place in the list', () => {
    const rule = (id: string, extra: object) => ({ id, match: { kind: 'text-equals', text: id }, reply: { template: '' }, ...extra });
    expect(problems({ rules: [rule('a', { then: 'user' }), rule('b', { then: 'ready' }), rule('c', { when: ['user', 'ready'] })] })).toEqual([]);
    expect(problems({ rules: [rule('a', { then: 'user' }), rule('c', { name: 'NOOP', when: ['user', 'redy', 'gone'] })] })).toEqual([
      { key: 'rule.unknownState', path: 'rules.1.when.1', params: { n: 2, rule: 'NOOP', state: 'redy', states: 'start, user' } },
      { key: 'rule.unknownState', path: 'rules.1.when.2', params: { n: 2, rule: 'NOOP', state: 'gone', states: 'start, user' } },
    ]);
    expect(problems({ rules: [rule('c', { when: [] })] }).map((p) => p.path)).toEqual(['rules.0.when']);
  });

  it('refuses a variable nothing sets, with the rule and the position', () => {
    expect(problems({ rules: [{ id: 'r', match: { kind: 'text-equals', text: 'x' }, reply: { template: 'hi {{var.usr}}' } }] })).toEqual([
      { key: 'rule.unknownVar', path: 'rules.0.reply.template', params: { n: 1, rule: 'r', written: '{{var.usr}}', pos: 4 } },
    ]);
  });
  it('refuses a capture the regex does not have in a variable name, and a bad state name', () => {
    const p = problems({ rules: [{ id: 'r', then: 'no space', match: { kind: 'text-equals', text: 'x' }, reply: { template: '' }, set: [{ name: '$1', value: 'v' }] }] });
    expect(p.map((x) => x.key).sort()).toEqual(['rule.badStateName', 'rule.captureNoMatch']);
  });
  it('accepts a dialogue whose references all resolve', () => {
    expect(problems(LOGIN)).toEqual([]);
  });
});

describe('Try it (rules.try)', () => {
  it('replays the messages from start and tells what the last one did', async () => {
    const { tryRules } = await import('./rules-try');
    const set = ruleSetSchema.parse({ greeting: { template: '220 hi' }, ...LOGIN });
    const greet = tryRules(set, 'utf-8', CRLF, []);
    expect(greet.replies.map((r) => r.hex)).toEqual(['32 32 30 20 68 69 0D 0A']);
    const r = tryRules(set, 'utf-8', CRLF, [te('USER ann'), te('PASS x')]);
    expect(r).toMatchObject({ matched: ['pass'], from: 'auth', to: 'ready', vars: { user: 'ann' } });
    expect(r.replies).toEqual([{ ruleId: 'pass', hex: formatHex(te('230 Welcome ann\r\n')), text: '230 Welcome ann\r\n', close: false }]);
  });
});
