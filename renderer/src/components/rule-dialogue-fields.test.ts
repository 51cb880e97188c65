// @vitest-environment happy-dom
/** The rule editor's "Only in state" box: one state, or several separated by commas or spaces. */
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { ruleSchema, type Rule } from '../../../shared/protocol';
import { createAppI18n } from '../i18n';
import RuleDialogueFields from './RuleDialogueFields.vue';

const base = (extra: object = {}): Rule => ruleSchema.parse({ id: 'r', match: { kind: 'text-equals', text: 'NOOP' }, reply: { template: '200' }, ...extra });

function mountFields(rule: Rule) {
  const w = mount(RuleDialogueFields, {
    props: { rule, issues: new Map(), 'onUpdate:rule': (r: Rule) => w.setProps({ rule: r }) },
    global: { plugins: [createAppI18n('en')] },
  });
  const input = w.find('input[aria-label="Only in state"]');
  return { w, input };
}

describe('RuleDialogueFields: when', () => {
  it('shows a list of states and turns what is typed into one state or a list', async () => {
    const rule = base({ when: ['user', 'ready'] });
    const { w, input } = mountFields(rule);
    expect((input.element as HTMLInputElement).value).toBe('user, ready');
    await input.setValue('auth');
    expect(rule.when).toBe('auth');
    await input.setValue('user, ready ');
    expect(rule.when).toEqual(['user', 'ready']);
    expect((input.element as HTMLInputElement).value).toBe('user, ready '); // what is typed stays as typed
    await input.setValue('user ready,auth');
    expect(rule.when).toEqual(['user', 'ready', 'auth']);
    await input.setValue('  ');
    expect(rule.when).toBeUndefined();
    expect(w.emitted('touch')?.flat()).toContain('when');
  });
});
