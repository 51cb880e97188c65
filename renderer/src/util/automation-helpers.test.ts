import { describe, expect, it } from 'vitest';
import { ruleSetSchema } from '../../../shared/protocol';
import { downloadUrl } from '../bridge/ws';
import { canonical, payloadSummary, percent, rulePlace, stripField, withMatchKind } from './automation-helpers';

describe('automation helpers', () => {
  it('gives whole percentages', () => {
    expect(percent(1, 4)).toBe(25);
    expect(percent(0, 0)).toBe(100);
    expect(percent(9, 4)).toBe(100);
  });

  it('builds download links with each path segment and the token encoded', () => {
    expect(downloadUrl('exports', 's 1/log#1.csv', 'a+b')).toBe('/files/exports/s%201/log%231.csv?token=a%2Bb');
    expect(downloadUrl('captures', 'x.bin', '')).toBe('/files/captures/x.bin');
  });

  it('maps the engine field of a rules.set error to a rule and field', () => {
    expect(rulePlace('rules.rules.2.match.pattern')).toEqual({ scope: 'rule', index: 2, field: 'pattern' });
    expect(rulePlace('rules.rules.0.reply.template')).toEqual({ scope: 'rule', index: 0, field: 'reply' });
    expect(rulePlace('rules.rules.4.delayMs')).toEqual({ scope: 'rule', index: 4, field: 'delay' });
    expect(rulePlace('rules.greeting.template')).toEqual({ scope: 'greeting', field: 'reply' });
    expect(rulePlace('rules.rules')).toEqual({ scope: 'set' });
    expect(stripField('rules.rules.2.match.pattern: the regex is empty', 'rules.rules.2.match.pattern')).toBe('the regex is empty');
    expect(stripField('plain', undefined)).toBe('plain');
  });

  it('maps the schema issue paths of a bad rule set the same way', () => {
    const r = ruleSetSchema.safeParse({
      rules: [
        { id: 'a', match: { kind: 'text-equals', text: 'x' }, reply: { template: 'ok' } },
        { id: 'b', match: { kind: 'regex', pattern: '(' }, reply: { template: 'ok' } },
        { id: 'c', match: { kind: 'text-contains', text: 'x' }, reply: { template: '$1' } },
      ],
    });
    expect(r.success).toBe(false);
    const places = r.success ? [] : r.error.issues.map((i) => rulePlace(i.path));
    expect(places).toContainEqual({ scope: 'rule', index: 1, field: 'pattern' });
    expect(places).toContainEqual({ scope: 'rule', index: 2, field: 'reply' });
  });

  it('summarises payloads on one line with invisible characters escaped', () => {
    expect(payloadSummary({ kind: 'text', text: 'PING\r', encoding: 'utf-8', escapes: false, lineEnding: 'crlf' })).toBe('TXT PING\\r\\r\\n');
    expect(payloadSummary({ kind: 'hex', hex: ' 01 02 ' })).toBe('HEX 01 02');
  });

  it('keeps the typed pattern when the match kind changes', () => {
    expect(withMatchKind({ kind: 'text-contains', text: 'HELO', ignoreCase: true }, 'regex')).toEqual({ kind: 'regex', pattern: 'HELO', flags: 'i' });
    expect(withMatchKind({ kind: 'regex', pattern: 'a', flags: '' }, 'text-equals')).toEqual({ kind: 'text-equals', text: 'a', ignoreCase: false });
    expect(withMatchKind({ kind: 'bytes', hex: '01 02' }, 'hex-pattern')).toEqual({ kind: 'hex-pattern', pattern: '01 02', anchored: 'start' });
  });

  it('compares data whatever the key order', () => {
    expect(canonical({ a: 1, b: { d: 2, c: [3] } })).toBe(canonical({ b: { c: [3], d: 2 }, a: 1 }));
    expect(canonical({ a: 1 })).not.toBe(canonical({ a: 2 }));
  });
});
