// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { err, ok, ruleSetSchema } from '../../../shared/protocol';
import { createAppI18n } from '../i18n';
import { FakeBridge } from '../stores/fake-bridge.test-util';
import { openedEvent, serverInfo } from '../stores/automation.test-util';
import { useEventRouter } from '../stores/router';
import RulesPanel from './RulesPanel.vue';

const rules = ruleSetSchema.parse({
  rules: [{ id: 'a', name: 'Hello', match: { kind: 'text-contains', text: 'hi' }, reply: { template: 'yo' } }],
});

async function mountPanel() {
  const pinia = createPinia();
  setActivePinia(pinia);
  const bridge = new FakeBridge();
  bridge.on('rules.stats', () => ok([{ ruleId: 'a', hits: 7, errors: 0, lastMatchAt: 1, lastMatchText: 'hi there' }]));
  useEventRouter().connect(bridge, { rates: false });
  bridge.emit([openedEvent({ ...serverInfo('s1'), rules })]);
  const w = mount(RulesPanel, {
    props: { sessionId: 's1', show: false },
    global: { plugins: [pinia, createAppI18n('en')] },
    attachTo: document.body,
  });
  await w.setProps({ show: true });
  await flushPromises();
  return { w, bridge };
}

const button = (name: string) =>
  [...document.body.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === name || b.textContent?.trim() === name) as HTMLButtonElement | undefined;

describe('RulesPanel', () => {
  it('shows the rules with their hit counts, and names the rule and field of an engine error', async () => {
    const { w, bridge } = await mountPanel();
    expect(document.body.querySelector('[data-testid="rule-hits-1"]')?.textContent).toBe('7');
    expect(document.body.textContent).toContain('Hello');
    bridge.on('rules.set', () => err('INVALID_ARGUMENT', 'rules.rules.0.match.text: the text is odd', { field: 'rules.rules.0.match.text' }));
    button('Apply rules')?.click();
    await flushPromises();
    const alert = document.body.querySelector('[data-testid="rules-errors"]');
    expect(alert?.textContent).toContain('Rule 1 · pattern: the text is odd');
    expect(bridge.callsOf('rules.set')).toEqual([{ sessionId: 's1', rules }]);
    w.unmount();
  });

  it('reorders and deletes rules in the draft, which "Revert" undoes', async () => {
    const { w } = await mountPanel();
    button('Delete rule 1')?.click();
    await flushPromises();
    expect(document.body.querySelector('[data-testid="rule-hits-1"]')).toBeNull();
    expect(document.body.querySelector('[data-testid="rules-dirty"]')).not.toBeNull();
    button('Revert')?.click();
    await flushPromises();
    expect(document.body.querySelector('[data-testid="rule-hits-1"]')).not.toBeNull();
    w.unmount();
  });
});
