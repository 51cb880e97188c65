// @vitest-environment happy-dom
/** The desktop menu's clicks reach the page as `desktop.action` events and open the dialogs the buttons open. */
import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { ok, type DesktopAction } from '../../../shared/protocol';
import App from '../App.vue';
import { createAppI18n } from '../i18n';
import { FakeBridge } from '../stores/fake-bridge.test-util';
import { useEventRouter } from '../stores/router';
import { sessionInfo } from '../stores/session-info.test-util';
import { useSettingsStore } from '../stores/settings';

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
});

async function app(sessions = 0) {
  const pinia = createPinia();
  setActivePinia(pinia);
  localStorage.clear();
  const list = Array.from({ length: sessions }, (_, i) => sessionInfo({ kind: 'tcp-server', host: '127.0.0.1', port: 0 }, { sessionId: `s${i + 1}` }));
  const bridge = new FakeBridge()
    .on('session.list', () => ok(list))
    .on('profile.list', () => ok([]))
    .on('workspace.get', () => ok(null))
    .on('schedule.list', () => ok([]))
    .on('system.interfaces', () => ok([]))
    .on('desktop.prefs', () => ok(null));
  Object.defineProperty(bridge, 'kind', { value: 'ipc' });
  useEventRouter().connect(bridge, { rates: false });
  wrapper = mount(App, { global: { plugins: [pinia, createAppI18n('en')] }, attachTo: document.body });
  bridge.setState('open');
  await flushPromises();
  const click = async (action: DesktopAction) => {
    bridge.emit([{ type: 'desktop.action', ts: Date.now(), action }]);
    await flushPromises();
  };
  return { bridge, click };
}

const dialog = (name: string) => document.querySelector(`[role="dialog"][aria-label="${name}"]`);

describe('the desktop menu in the page', () => {
  it('opens New session, Settings and Profiles as their buttons do', async () => {
    const { click } = await app();
    expect(dialog('New session')).toBeNull();
    await click({ kind: 'newSession' });
    expect(dialog('New session')).not.toBeNull();
    await click({ kind: 'settings' });
    expect(dialog('Settings')).not.toBeNull();
    await click({ kind: 'openProfile' });
    expect(dialog('Profiles')).not.toBeNull();
  });

  it('Save profile… and Import profile file… open Profiles too', async () => {
    const { bridge, click } = await app(1);
    bridge.on('desktop.importProfile', () => ok(null));
    await click({ kind: 'saveProfile' });
    expect(dialog('Profiles')).not.toBeNull();
    expect(bridge.callsOf('desktop.importProfile')).toEqual([]);
    await click({ kind: 'importProfile' });
    // the OS open dialog at once, as the dialog's own Import button asks for it
    expect(bridge.callsOf('desktop.importProfile')).toEqual([{}]);
  });

  it('Export log… opens the export dialog of the active session, or says there is none', async () => {
    const none = await app();
    await none.click({ kind: 'exportLog' });
    expect(dialog('Export log')).toBeNull();
    expect(document.body.textContent).toContain('Open a session first: there is no log to export.');
    wrapper?.unmount();
    document.body.innerHTML = '';
    const one = await app(1);
    await one.click({ kind: 'exportLog' });
    expect(dialog('Export log')).not.toBeNull();
  });

  it('tells the main process the page\'s language and theme, and follows the menu\'s choice of them', async () => {
    const { bridge, click } = await app();
    expect(bridge.callsOf('desktop.prefs').at(-1)).toMatchObject({ locale: 'en', theme: 'system', confirmQuit: true });
    await click({ kind: 'language', language: 'zh-CN' });
    expect(bridge.callsOf('desktop.prefs').at(-1)).toMatchObject({ locale: 'zh-CN', language: 'zh-CN' });
    expect(useSettingsStore().locale).toBe('zh-CN');
    await click({ kind: 'theme', theme: 'dark' });
    expect(useSettingsStore().isDark).toBe(true);
    expect(document.documentElement.classList.contains('wb-dark')).toBe(true);
    expect(bridge.callsOf('desktop.prefs').at(-1)).toMatchObject({ theme: 'dark' });
  });
});
