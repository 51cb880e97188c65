// @vitest-environment happy-dom
/**
 * A built-in profile opened from Profiles names its session and its rules in
 * the UI's language; the rules' matches and replies are the example's.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { ok, profileSchema, PROFILE_VERSION, type Profile, type ProfileSummary } from '../../../shared/protocol';
import { exampleProfile } from '../../../shared/rules/examples';
import { createAppI18n, type Locale } from '../i18n';
import { FakeBridge } from '../stores/fake-bridge.test-util';
import { useEventRouter } from '../stores/router';
import ProfilesDialog from './ProfilesDialog.vue';

const ftp = exampleProfile('ftp');
const summary: ProfileSummary = { name: ftp.name, sessions: 1, builtin: true, nameWhy: ftp.nameWhy, descriptionWhy: ftp.descriptionWhy };
/** the profile as the engine keeps it: English names */
const builtin: Profile = profileSchema.parse({
  wirebench: 'profile',
  version: PROFILE_VERSION,
  name: ftp.name,
  sessions: [{ config: { kind: 'tcp-server', name: ftp.name, host: '127.0.0.1', port: 2121, framing: ftp.framing }, rules: ftp.rules }],
});

async function openIn(locale: Locale, button: string): Promise<Profile> {
  const pinia = createPinia();
  setActivePinia(pinia);
  const bridge = new FakeBridge();
  useEventRouter().connect(bridge, { rates: false });
  bridge.on('profile.list', () => ok([summary]));
  bridge.on('profile.get', () => ok(builtin));
  bridge.on('profile.apply', () => ok([]));
  bridge.on('session.list', () => ok([]));
  const w = mount(ProfilesDialog, { props: { show: false }, global: { plugins: [pinia, createAppI18n(locale)] }, attachTo: document.body });
  await w.setProps({ show: true });
  await flushPromises();
  const open = [...document.body.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === button);
  expect(open, button).toBeDefined();
  open?.click();
  await flushPromises();
  const applied = bridge.callsOf('profile.apply') as { profile: Profile }[];
  w.unmount();
  expect(applied).toHaveLength(1);
  return applied[0]!.profile;
}

describe('ProfilesDialog: a built-in example', () => {
  it('opens with its rules named in 简体中文 in the Chinese UI', async () => {
    const p = await openIn('zh-CN', '打开方案 FTP 服务器（控制连接）');
    const s = p.sessions[0]!;
    expect(s.config.name).toBe('FTP 服务器（控制连接）');
    expect(s.rules?.rules.map((r) => r.name)).toContain('数据连接命令（502）');
    expect(s.rules?.rules.map((r) => ({ ...r, name: '' }))).toEqual(ftp.rules.rules.map((r) => ({ ...r, name: '' })));
    expect(s.rules?.greeting).toEqual(ftp.rules.greeting);
  });

  it('opens with the English names in the English UI', async () => {
    const p = await openIn('en', 'Open profile FTP server (control channel)');
    expect(p.sessions[0]!.rules).toEqual(ftp.rules);
  });
});
