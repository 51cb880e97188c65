// @vitest-environment happy-dom
/**
 * The rule editor, the rules panel and the profiles dialog speak the UI's
 * language: schema problems and engine answers are translated by key, and
 * the rule editor says nothing before anything was typed.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { err, ok, say, type ProfileSummary } from '../../../shared/protocol';
import { applyLocale, createAppI18n } from '../i18n';
import { FakeBridge } from '../stores/fake-bridge.test-util';
import { openedEvent, serverInfo } from '../stores/automation.test-util';
import { useEventRouter } from '../stores/router';
import ProfilesDialog from './ProfilesDialog.vue';
import RuleEditor from './RuleEditor.vue';
import RulesPanel from './RulesPanel.vue';

function setup() {
  const pinia = createPinia();
  setActivePinia(pinia);
  const bridge = new FakeBridge();
  useEventRouter().connect(bridge, { rates: false });
  return { pinia, bridge };
}

const byLabel = (name: string) => document.body.querySelector<HTMLInputElement>(`[aria-label="${name}"]`);
const buttonNamed = (name: string) =>
  [...document.body.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === name || b.textContent?.trim() === name) as HTMLButtonElement | undefined;
const testId = (id: string) => document.body.querySelector(`[data-testid="${id}"]`);

async function type(el: HTMLInputElement | null, value: string): Promise<void> {
  if (!el) throw new Error('no such input');
  el.value = value;
  el.dispatchEvent(new Event('input'));
  await flushPromises();
}

describe('RuleEditor', () => {
  it('shows no problem on a blank rule; a cleared pattern is reported, in Chinese when the UI is', async () => {
    const { pinia } = setup();
    const i18n = createAppI18n('zh-CN');
    const w = mount(RuleEditor, { props: { show: true, rule: null, index: -1, isServer: true }, global: { plugins: [pinia, i18n] }, attachTo: document.body });
    await flushPromises();
    expect(testId('rule-error-pattern')).toBeNull();
    expect(document.body.textContent).not.toContain('the text to match is empty');
    const pattern = byLabel('匹配内容');
    await type(pattern, 'x');
    await type(pattern, '');
    expect(testId('rule-error-pattern')?.textContent?.trim()).toBe('请输入要匹配的文本');
    applyLocale(i18n, 'en');
    await flushPromises();
    expect(testId('rule-error-pattern')?.textContent?.trim()).toBe('the text to match is empty');
    w.unmount();
  });

  it('reports a regex error of RE2 in Chinese', async () => {
    const { pinia } = setup();
    const rule = { id: 'r1', name: '', enabled: true, match: { kind: 'regex', pattern: '(ab', flags: '' }, reply: { template: '', mode: 'text' }, delayMs: 0, to: 'sender', stop: true, close: false } as const;
    const w = mount(RuleEditor, { props: { show: true, rule, index: 0, isServer: true }, global: { plugins: [pinia, createAppI18n('zh-CN')] }, attachTo: document.body });
    await flushPromises();
    expect(testId('rule-error-pattern')?.textContent?.trim()).toBe('正则表达式无效：缺少右括号 )：`(ab`');
    w.unmount();
  });
});

describe('RulesPanel', () => {
  it('phrases the engine’s refusal by its key and re-phrases it when the language changes', async () => {
    const { pinia, bridge } = setup();
    bridge.on('rules.stats', () => ok([]));
    bridge.emit([openedEvent(serverInfo('s1'))]);
    const i18n = createAppI18n('en');
    const w = mount(RulesPanel, { props: { sessionId: 's1', show: false }, global: { plugins: [pinia, i18n] }, attachTo: document.body });
    await w.setProps({ show: true });
    await flushPromises();
    const why = say('schema.field', { field: 'rules.rules.0.match.pattern', message: say('regex.lookaround') });
    bridge.on('rules.set', () => ({ ...err('INVALID_ARGUMENT', why, { field: 'rules.rules.0.match.pattern' }) }));
    buttonNamed('Apply rules')?.click();
    await flushPromises();
    expect(testId('rules-errors')?.textContent).toContain('Rule 1 · pattern: Look-arounds');
    applyLocale(i18n, 'zh-CN');
    await flushPromises();
    expect(testId('rules-errors')?.textContent).toContain('规则 1 · 匹配内容: 不能使用零宽断言');
    w.unmount();
  });
});

describe('ProfilesDialog', () => {
  it('shows the built-in profiles and an import error in the UI’s language', async () => {
    const { pinia, bridge } = setup();
    const smtp: ProfileSummary = {
      name: 'SMTP server',
      description: 'Answers an SMTP dialogue',
      sessions: 1,
      builtin: true,
      nameWhy: say('example.smtp.name'),
      descriptionWhy: say('example.smtp.description'),
    };
    bridge.on('profile.list', () => ok([smtp]));
    bridge.on('profile.import', () => err('INVALID_ARGUMENT', say('profile.badJson', { detail: 'Unexpected token' })));
    const w = mount(ProfilesDialog, { props: { show: false }, global: { plugins: [pinia, createAppI18n('zh-CN')] }, attachTo: document.body });
    await w.setProps({ show: true });
    await flushPromises();
    expect(document.body.textContent).toContain('SMTP 服务器');
    expect(document.body.textContent).toContain('应答 SMTP 对话');
    expect(buttonNamed('打开方案 SMTP 服务器')).toBeDefined();
    const input = byLabel('要导入的方案文件');
    Object.defineProperty(input, 'files', { value: [new File(['{'], 'p.json')] });
    input?.dispatchEvent(new Event('change'));
    await flushPromises();
    expect(testId('profiles-error')?.textContent?.trim()).toBe('文件未导入: 该文件不是有效的 JSON：Unexpected token');
    w.unmount();
  });
});
