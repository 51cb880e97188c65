// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { ok, type RuleSet } from '../../../shared/protocol';
import { exampleProfile } from '../../../shared/rules/examples';
import { createAppI18n, type Locale } from '../i18n';
import { FakeBridge } from '../stores/fake-bridge.test-util';
import { openedEvent, serverInfo } from '../stores/automation.test-util';
import { useEventRouter } from '../stores/router';
import RulesToolbar from './RulesToolbar.vue';

/** Load the FTP example from the toolbar's menu in `locale`; the rules the engine was given. */
async function loadFtp(locale: Locale, label: string, menuItem: string): Promise<RuleSet> {
  const pinia = createPinia();
  setActivePinia(pinia);
  const bridge = new FakeBridge();
  const info = serverInfo('s1');
  bridge.on('session.update', () => ok(info));
  bridge.on('rules.set', (a) => ok({ ...info, rules: a.rules as RuleSet }));
  useEventRouter().connect(bridge, { rates: false });
  bridge.emit([openedEvent(info)]);
  const w = mount(RulesToolbar, { props: { sessionId: 's1' }, global: { plugins: [pinia, createAppI18n(locale)] }, attachTo: document.body });
  const button = [...document.body.querySelectorAll('button')].find((b) => b.textContent?.includes(label));
  button?.click();
  await flushPromises();
  const option = [...document.body.querySelectorAll('.n-dropdown-option')].find((o) => o.textContent?.trim() === menuItem);
  expect(option, menuItem).toBeDefined();
  (option?.querySelector('.n-dropdown-option-body') as HTMLElement | null)?.click();
  await flushPromises();
  const sets = bridge.callsOf('rules.set') as { rules: RuleSet }[];
  w.unmount();
  expect(sets).toHaveLength(1);
  return sets[0]!.rules;
}

describe('RulesToolbar: Load example', () => {
  it('gives the engine the rules named in English in the English UI', async () => {
    const rules = await loadFtp('en', 'Load example', 'FTP server (control channel)');
    expect(rules).toEqual(exampleProfile('ftp').rules);
  });

  it('gives the engine the rules named in 简体中文 in the Chinese UI, replies unchanged', async () => {
    const rules = await loadFtp('zh-CN', '载入示例', 'FTP 服务器（控制连接）');
    const ftp = exampleProfile('ftp').rules;
    expect(rules.rules.map((r) => r.name).slice(0, 3)).toEqual(['USER', 'PASS（USER 之后）', 'PASS（先于 USER）']);
    expect(rules.rules.map((r) => r.reply)).toEqual(ftp.rules.map((r) => r.reply));
    expect(rules.greeting).toEqual(ftp.greeting);
  });
});
