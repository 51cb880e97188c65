import { describe, expect, it } from 'vitest';
import { ruleSchema } from './rules';
import { describeIssue, fillReason, formatReason, reasonOfIssue, say, slotsOf } from './reason-format';
import { REASONS } from './reasons';
import { portSchema } from './schemas';

describe('the reasons table', () => {
  it('has only {name} placeholders: no other brace in any sentence', () => {
    for (const [key, sentence] of Object.entries(REASONS)) {
      expect(sentence.replace(/\{\w+(\|lc)?\}/g, ''), key).not.toMatch(/[{}]/);
    }
  });

  it('lists the placeholders of a sentence, modifiers dropped', () => {
    expect(slotsOf(REASONS['status.reconnecting'])).toEqual(['delay', 'n']);
    expect(slotsOf(REASONS['schedule.stoppedBy'])).toEqual(['why']);
    expect(slotsOf(REASONS['status.closedByPeer'])).toEqual([]);
  });
});

describe('say and formatReason', () => {
  it('writes the English sentence with its parameters', () => {
    expect(formatReason(say('status.listening', { addr: '0.0.0.0:8080' }))).toBe('Listening on 0.0.0.0:8080');
    expect(formatReason(say('status.reconnecting', { delay: '2 s', n: 3 }))).toBe('Reconnecting in 2 s (attempt 3)');
  });

  it('fills nested reasons and lists of them', () => {
    const item = (label: string) => say('profile.notOpenedItem', { label, why: say('server.noClients') });
    const r = say('profile.partlyOpenedN', { opened: 1, total: 3, name: 'lab', list: [item('a'), item('b')] });
    expect(formatReason(r)).toBe(
      "1 of 3 sessions of 'lab' opened. Not opened as saved: 'a' (No client is connected to this server); 'b' (No client is connected to this server)",
    );
  });

  it('lower-cases the first letter of a {x|lc} value in English, but not an acronym', () => {
    expect(formatReason(say('schedule.stoppedBy', { why: say('server.noClients') }))).toBe('Stopped: no client is connected to this server');
    expect(formatReason(say('schedule.stoppedBy', { why: say('udp.notOpen') }))).toBe('Stopped: the UDP socket is not open: start the session first');
    expect(formatReason(say('schedule.stoppedBy', { why: 'UDP is off' }))).toBe('Stopped: UDP is off');
  });

  it('gives undefined for a key the other table lacks, nested keys included', () => {
    const other = { 'status.gaveUpWhy': '{n} 次后放弃：{why}' } as Record<string, string>;
    const opts = { listSeparator: '；', lowerFirst: false };
    const lookup = (k: string) => other[k];
    expect(fillReason(say('status.gaveUpWhy', { n: 3, why: 'x' }), lookup, opts)).toBe('3 次后放弃：x');
    expect(fillReason(say('status.gaveUpWhy', { n: 3, why: say('status.closedByPeer') }), lookup, opts)).toBeUndefined();
  });
});

describe('schema issues', () => {
  it('finds the Reason of a built-in check by its message, and of a custom issue in params', () => {
    const empty = ruleSchema.safeParse({ id: 'a', match: { kind: 'text-contains', text: '' }, reply: { template: '' } });
    expect(empty.success).toBe(false);
    const issue = empty.error?.issues[0];
    expect(issue?.message).toBe('the text to match is empty');
    expect(reasonOfIssue(issue as NonNullable<typeof issue>)).toEqual({ key: 'rule.textEmpty' });

    const group = ruleSchema.safeParse({ id: 'a', match: { kind: 'regex', pattern: 'x' }, reply: { template: '$1' } });
    const g = group.error?.issues[0];
    expect(g?.message).toBe('$1 at position 1 refers to group 1, but the regex has no groups');
    expect(reasonOfIssue(g as NonNullable<typeof g>)).toEqual({ key: 'rule.groupMissing0', params: { written: '$1', pos: 1, n: 1 } });
  });

  it('describes the first issue with its field', () => {
    const r = portSchema.safeParse(0);
    const d = describeIssue(r.error?.issues ?? [], say('schema.invalid'));
    expect(d).toEqual({ message: 'port must be between 1 and 65535', why: { key: 'schema.portRange' } });
    const none = describeIssue([], say('schema.invalid'));
    expect(none).toEqual({ message: 'Invalid arguments', why: { key: 'schema.invalid' } });
  });
});
