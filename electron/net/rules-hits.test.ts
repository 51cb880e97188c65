/** The hit log in the engine alone: what an entry says, and every bound. */
import { describe, expect, it } from 'vitest';
import { ruleSetSchema, type RuleSetInput } from '../../shared/protocol/rules';
import { RuleEngine, type PeerContext } from './rules';
import { hitText, MAX_LEFT_LOGS, MAX_LOGGED_PEERS, shortText } from './rules-hits';

const te = (s: string): Uint8Array => new TextEncoder().encode(s);
const ctx = (peerKey: string, now = 1000): PeerContext => ({ peerKey, peer: `10.0.0.1:${peerKey}`, now });
const engine = (input: RuleSetInput): RuleEngine => new RuleEngine(ruleSetSchema.parse(input), 'utf-8');
const say = (e: RuleEngine, text: string, peer = 'p1'): void => void e.onMessage(te(text), text, ctx(peer));

describe('hit-log text', () => {
  it('escapes control characters and cuts long text with an ellipsis', () => {
    expect(shortText('a\r\n\tb\\c\x00\x7f', 60)).toBe('a\\r\\n\\tb\\\\c\\x00\\x7f');
    expect(shortText('x'.repeat(70), 60)).toBe(`${'x'.repeat(60)}…`);
    expect(shortText('ab\r\n', 3)).toBe('ab…'); // an escape is never cut in half
  });
  it('shows a binary message as hex (its first 24 bytes), a text with one control byte as text', () => {
    expect(hitText(Uint8Array.of(0, 1, 0, 0, 0, 6, 1, 3), '')).toBe('00 01 00 00 00 06 01 03');
    expect(hitText(new Uint8Array(30), '')).toBe(`${Array(24).fill('00').join(' ')} …`);
    expect(hitText(te('HELLO\x01 there'), 'HELLO\x01 there')).toBe('HELLO\\x01 there');
  });
});

describe('hit log in the engine', () => {
  const SET: RuleSetInput = {
    rules: [
      { id: 'a', name: 'A', stop: false, match: { kind: 'text-equals', text: 'go' }, reply: { template: '1' }, then: 'one' },
      { id: 'b', match: { kind: 'text-equals', text: 'go' }, reply: { template: '2' }, when: ['one', 'two'], then: 'two', set: [{ name: 'x', value: 'y' }] },
    ],
  };
  it('writes one entry per matching rule with its own states, and one for a message no rule matched', () => {
    const e = engine(SET);
    say(e, 'go');
    say(e, 'nope');
    const [log] = e.hitLogs('p1');
    expect(log!.hits).toEqual([
      { at: 1000, ruleId: 'a', n: 1, name: 'A', text: 'go', from: 'start', to: 'one' },
      { at: 1000, ruleId: 'b', n: 2, text: 'go', from: 'one', to: 'two', set: { x: 'y' } },
      { at: 1000, text: 'nope', from: 'two', to: 'two' },
    ]);
    expect(e.hitCount).toBe(3);
  });
  it(`keeps the logs of the last ${MAX_LEFT_LOGS} peers that left, and starts a new one on a reconnect`, () => {
    const e = engine(SET);
    for (let i = 0; i < MAX_LEFT_LOGS + 2; i++) {
      say(e, 'go', `p${i}`);
      e.forget(`p${i}`, 5000 + i);
    }
    const left = e.hitLogs();
    expect(left).toHaveLength(MAX_LEFT_LOGS);
    expect(left[0]).toMatchObject({ peer: `p${MAX_LEFT_LOGS + 1}`, leftAt: 5000 + MAX_LEFT_LOGS + 1, state: 'two', total: 2 });
    say(e, 'nope', `p${MAX_LEFT_LOGS + 1}`); // the same key connects again
    const again = e.hitLogs(`p${MAX_LEFT_LOGS + 1}`);
    expect(again.map((l) => [l.leftAt, l.state, l.total])).toEqual([[undefined, 'start', 1], [5000 + MAX_LEFT_LOGS + 1, 'two', 2]]);
  });
  it(`keeps logs for at most ${MAX_LOGGED_PEERS} peers: the least recently seen lose theirs, not their state`, () => {
    const e = engine(SET);
    for (let i = 0; i <= MAX_LOGGED_PEERS; i++) say(e, 'go', `u${i}`);
    const logs = e.hitLogs();
    expect(logs).toHaveLength(MAX_LOGGED_PEERS);
    expect(logs.some((l) => l.peer === 'u0')).toBe(false);
    expect(e.peerStates()['u0']).toBe('two');
    say(e, 'go', 'u0'); // back: a new log, and another peer's goes
    expect(e.hitLogs('u0')[0]?.total).toBe(2); // rules a and b: a fresh log
    expect(e.hitLogs()).toHaveLength(MAX_LOGGED_PEERS);
  });
});
