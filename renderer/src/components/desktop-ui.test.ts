// @vitest-environment happy-dom
/**
 * The dialogs in the desktop app: exports, captures and profile imports go
 * through the OS dialogs of the main process (the page never sends a path; a
 * cancelled dialog changes nothing), and Settings offers the quit question.
 * In a browser the same dialogs keep their own behaviour.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { err, ok, say, type CaptureInfo, type ExportInfo, type ProfileSummary, type Result } from '../../../shared/protocol';
import { createAppI18n } from '../i18n';
import { FakeBridge } from '../stores/fake-bridge.test-util';
import { useEventRouter } from '../stores/router';
import { sessionInfo } from '../stores/session-info.test-util';
import { useSessionsStore } from '../stores/sessions';
import { useSettingsStore } from '../stores/settings';
import CapturePanel from './CapturePanel.vue';
import ExportDialog from './ExportDialog.vue';
import ProfilesDialog from './ProfilesDialog.vue';
import SettingsDialog from './SettingsDialog.vue';

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
});

const button = (text: string) => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);

function setup(kind: 'ipc' | 'ws') {
  const pinia = createPinia();
  setActivePinia(pinia);
  localStorage.clear();
  const bridge = new FakeBridge().on('profile.list', () => ok([]));
  if (kind === 'ipc') Object.defineProperty(bridge, 'kind', { value: 'ipc' });
  useEventRouter().connect(bridge, { rates: false });
  useSessionsStore().replaceAll([sessionInfo({ kind: 'tcp-server', host: '127.0.0.1', port: 0 }, { sessionId: 's1', name: 'Bench' })]);
  return { pinia, bridge, global: { plugins: [pinia, createAppI18n('en')] } };
}

const exportInfo = (path: string): ExportInfo => ({
  exportId: 'x1',
  sessionId: 's1',
  format: 'csv',
  path,
  name: 'log.csv',
  records: 0,
  totalRecords: 10,
  bytes: 0,
  done: false,
});

describe('Export log in the desktop app', () => {
  it('asks the main process (no path from the page); a cancelled save dialog changes nothing', async () => {
    const { bridge, global } = setup('ipc');
    const answers: Result<ExportInfo | null>[] = [ok(null), ok(exportInfo('/home/ada/log.csv'))];
    bridge.on('desktop.exportTo', () => answers.shift()!);
    wrapper = mount(ExportDialog, { props: { show: true, sessionId: 's1' }, global, attachTo: document.body });
    await flushPromises();
    document.querySelector<HTMLInputElement>('input[type="radio"][value="csv"]')?.click();
    await flushPromises();
    button('Save as…')?.click();
    await flushPromises();
    expect(bridge.callsOf('desktop.exportTo')).toEqual([{ sessionId: 's1', format: 'csv', timeZone: 'local', language: 'en' }]);
    expect(bridge.callsOf('export.start')).toEqual([]);
    expect(document.querySelector('[role="progressbar"]')).toBeNull();
    expect(document.querySelector('[role="alert"]')).toBeNull();

    button('Save as…')?.click();
    await flushPromises();
    // started where the user chose: progress shows before the first event arrives
    expect(document.querySelector('[role="progressbar"]')).not.toBeNull();
    expect(document.querySelector('[data-testid="export-status"]')?.textContent).toContain('0 / 10');
  });

  it('shows a refusal of the main process in the dialog', async () => {
    const { bridge, global } = setup('ipc');
    bridge.on('desktop.exportTo', () => err('SESSION_NOT_FOUND', say('plain', { text: 'No such session' })));
    wrapper = mount(ExportDialog, { props: { show: true, sessionId: 's1' }, global, attachTo: document.body });
    await flushPromises();
    button('Save as…')?.click();
    await flushPromises();
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('No such session');
  });

  it('in a browser still exports to the data folder with export.start', async () => {
    const { bridge, global } = setup('ws');
    bridge.on('export.start', () => ok(exportInfo('/data/exports/log.csv')));
    wrapper = mount(ExportDialog, { props: { show: true, sessionId: 's1' }, global, attachTo: document.body });
    await flushPromises();
    expect(button('Save as…')).toBeUndefined();
    button('Export')?.click();
    await flushPromises();
    expect(bridge.callsOf('export.start')).toHaveLength(1);
    expect(bridge.callsOf('desktop.exportTo')).toEqual([]);
  });
});

describe('Save received data in the desktop app', () => {
  it('asks where with the save dialog; cancelled, the capture stays off', async () => {
    const { bridge, global } = setup('ipc');
    const capture: CaptureInfo = { active: true, perPeer: false, format: 'bin', files: [{ path: '/home/ada/c.bin', name: 'c.bin', bytes: 0 }] };
    const answers: Result<CaptureInfo | null>[] = [ok(null), ok(capture)];
    bridge.on('desktop.captureTo', () => answers.shift()!);
    wrapper = mount(CapturePanel, { props: { sessionId: 's1' }, global, attachTo: document.body });
    await flushPromises();
    const toggle = () => document.querySelector<HTMLElement>('[role="switch"]');
    toggle()?.click();
    await flushPromises();
    expect(bridge.callsOf('desktop.captureTo')).toEqual([{ sessionId: 's1', perPeer: false }]);
    expect(bridge.callsOf('capture.start')).toEqual([]);
    expect(toggle()?.getAttribute('aria-checked')).toBe('false');
    toggle()?.click();
    await flushPromises();
    expect(useSessionsStore().get('s1')?.capture).toEqual(capture);
    expect(toggle()?.getAttribute('aria-checked')).toBe('true');
  });
});

describe('Profiles in the desktop app', () => {
  const summary: ProfileSummary = { name: 'Bench', sessions: 2, builtin: false };

  it('imports with the OS open dialog, and the menu\'s "Import profile file…" opens it at once', async () => {
    const { bridge, global } = setup('ipc');
    const answers: Result<ProfileSummary | null>[] = [ok(null), ok(summary)];
    bridge.on('desktop.importProfile', () => answers.shift()!);
    wrapper = mount(ProfilesDialog, { props: { show: true, intent: null }, global, attachTo: document.body });
    await flushPromises();
    const picked: string[] = [];
    document.querySelector('input[type="file"]')?.addEventListener('click', () => picked.push('file input'));
    button('Import profile…')?.click();
    await flushPromises();
    expect(bridge.callsOf('desktop.importProfile')).toHaveLength(1);
    expect(picked).toEqual([]);
    expect(document.querySelector('[data-testid="profiles-error"]')).toBeNull();
    const listed = bridge.callsOf('profile.list').length;
    await wrapper.setProps({ intent: { kind: 'import', n: 1 } });
    await flushPromises();
    expect(bridge.callsOf('desktop.importProfile')).toHaveLength(2);
    // the list is read again after the import
    expect(bridge.callsOf('profile.list').length).toBeGreaterThan(listed);
  });

  it('in a browser picks the file with the file input', async () => {
    const { bridge, global } = setup('ws');
    wrapper = mount(ProfilesDialog, { props: { show: true }, global, attachTo: document.body });
    await flushPromises();
    const picked: string[] = [];
    document.querySelector('input[type="file"]')?.addEventListener('click', () => picked.push('file input'));
    button('Import profile…')?.click();
    await flushPromises();
    expect(picked).toEqual(['file input']);
    expect(bridge.callsOf('desktop.importProfile')).toEqual([]);
  });
});

describe('Settings: the quit question', () => {
  it('is offered in the desktop app only, and turns the question off', async () => {
    const { global } = setup('ipc');
    wrapper = mount(SettingsDialog, { props: { show: true }, global, attachTo: document.body });
    await flushPromises();
    const box = [...document.querySelectorAll('.n-checkbox')].find((c) => c.textContent?.includes('Ask before quitting while sessions are open')) as HTMLElement | undefined;
    expect(box).toBeDefined();
    expect(useSettingsStore().confirmQuit).toBe(true);
    box?.click();
    await flushPromises();
    expect(useSettingsStore().confirmQuit).toBe(false);
    wrapper.unmount();
    document.body.innerHTML = '';
    const browser = setup('ws');
    wrapper = mount(SettingsDialog, { props: { show: true }, global: browser.global, attachTo: document.body });
    await flushPromises();
    expect(document.body.textContent).not.toContain('Ask before quitting');
  });
});
