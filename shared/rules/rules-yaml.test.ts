import { describe, expect, it } from 'vitest';
import { ruleSetSchema } from '../protocol/rules';
import { EXAMPLE_PROFILES } from './examples';
import { ruleSetFromYaml, ruleSetToYaml, RulesTextError } from './rules-yaml';

describe('rule sets as YAML', () => {
  it.each(EXAMPLE_PROFILES.map((p) => [p.id, p] as const))('%s survives a round trip, framing included', (_id, p) => {
    const text = ruleSetToYaml(p.rules, p.framing);
    const back = ruleSetFromYaml(text);
    expect(ruleSetSchema.parse(back.rules)).toEqual(p.rules);
    expect(back.framing).toEqual(p.framing);
  });

  it('reads a hand-written dialogue', () => {
    const { rules, framing } = ruleSetFromYaml(
      ['framing: crlf', 'greeting: 220 ready', 'rules:', '  - regex: ^USER (\\S+)', '    set: { user: $1 }', '    reply: 331 hi {{var.user}}', '    then: auth', '  - when: auth', '    starts-with: PASS', '    reply: 230 ok'].join('\n'),
    );
    expect(framing).toEqual({ kind: 'delimiter', delimiter: Uint8Array.of(13, 10), keep: false });
    const set = ruleSetSchema.parse(rules);
    expect(set.rules.map((r) => [r.id, r.when, r.then])).toEqual([['r1', undefined, 'auth'], ['r2', 'auth', undefined]]);
    expect(set.rules[0]?.set).toEqual([{ name: 'user', value: '$1' }]);
    expect(set.greeting?.template).toBe('220 ready');
  });

  it('reads and writes a `when` that lists states', () => {
    const text = ['rules:', '  - equals: USER', '    then: user', '  - equals: PASS', '    then: ready', '  - when: [user, ready]', '    equals: NOOP', '    reply: 200 OK'].join('\n');
    const set = ruleSetSchema.parse(ruleSetFromYaml(text).rules);
    expect(set.rules[2]?.when).toEqual(['user', 'ready']);
    const back = ruleSetSchema.parse(ruleSetFromYaml(ruleSetToYaml(set)).rules);
    expect(back).toEqual(set);
  });

  it('says what is wrong with the text', () => {
    const why = (t: string): string | undefined => {
      try {
        ruleSetFromYaml(t);
      } catch (e) {
        return e instanceof RulesTextError ? e.why.key : 'other';
      }
      return undefined;
    };
    expect(why('rules: [')).toBe('rulesText.notYaml');
    expect(why('- a')).toBe('rulesText.notMap');
    expect(why('rules:\n  - reply: x')).toBe('rulesText.noMatch');
    expect(why('framing: tabs\nrules: []')).toBe('rulesText.badFraming');
  });
});
