// @vitest-environment happy-dom
/** Issue #9 in the renderer: the new-session dialog starts UDP's remote empty; framing choices apply at once. */
import { afterEach, describe, expect, it } from 'vitest';
import { mount, flushPromises, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { ok, type SessionConfig, type SessionInfo } from '../../../shared/protocol';
import { createAppI18n } from '../i18n';
import { FakeBridge } from '../stores/fake-bridge.test-util';
import { useEventRouter } from '../stores/router';
import FramingEditor from './FramingEditor.vue';
import NewSessionDialog from './NewSessionDialog.vue';
import { sessionInfo } from '../stores/session-info.test-util';

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
});

const input = (name: string) => document.querySelector<HTMLInputElement>(`input[aria-label="${name}"]`);
const button = (text: string) => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
async function type(el: HTMLInputElement | null, value: string): Promise<void> {
  if (!el) throw new Error('input not found');
  el.value = value;
  el.dispatchEvent(new Event('input'));
  await flushPromises();
}

function udpInfo(sessionId: string, config: SessionConfig): SessionInfo {
  return sessionInfo(config, { sessionId, createdAt: 1 });
}

describe('new-session dialog', () => {
  it("a new UDP dialog starts with no remote: the previous session's remote is not offered again", async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    let opened = 0;
    const bridge = new FakeBridge()
      .on('system.interfaces', () => ok([]))
      .on('session.open', ({ config }) => ok(udpInfo(`s${++opened}`, config as SessionConfig)));
    useEventRouter().connect(bridge, { rates: false });
    wrapper = mount(NewSessionDialog, { props: { show: true }, global: { plugins: [pinia, createAppI18n('en')] }, attachTo: document.body });
    await flushPromises();
    document.querySelector<HTMLInputElement>('input[type="radio"][value="udp"]')?.click();
    await flushPromises();
    await type(input('Port'), '40001');
    await type(input('Remote host'), '127.0.0.1');
    await type(input('Remote port'), '9000');
    button('Create session')?.click();
    await flushPromises();
    expect(bridge.callsOf('session.open')).toEqual([{ config: expect.objectContaining({ kind: 'udp', remoteHost: '127.0.0.1', remotePort: 9000 }) }]);

    await wrapper.setProps({ show: false });
    await wrapper.setProps({ show: true });
    await flushPromises();
    expect(input('Remote host')?.value).toBe('');
    expect(input('Remote port')?.value).toBe('');
    // what is not tied to the previous session is kept
    expect(input('Port')?.value).toBe('40001');
  });
});

describe('framing editor', () => {
  async function editor(value: SessionConfig['framing']) {
    const pinia = createPinia();
    setActivePinia(pinia);
    wrapper = mount(FramingEditor, { props: { value }, global: { plugins: [pinia, createAppI18n('en')] }, attachTo: document.body });
    await flushPromises();
    return wrapper;
  }
  const commits = (w: VueWrapper) => (w.emitted('commit') ?? []).map((e) => e[0]);
  const press = async (el: Element | null, key: string) => {
    el?.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    await flushPromises();
  };
  const checkbox = () => document.querySelector<HTMLElement>('.n-checkbox');

  it('a choice commits at once; a typed value only on Enter', async () => {
    const w = await editor({ kind: 'delimiter', delimiter: Uint8Array.of(13, 10), keep: false });
    checkbox()?.click(); // "keep the delimiter"
    await flushPromises();
    expect(commits(w)).toEqual([{ kind: 'delimiter', delimiter: Uint8Array.of(13, 10), keep: true }]);

    await type(input('Delimiter value'), ';');
    expect(commits(w)).toHaveLength(1);
    expect(w.emitted('change')?.at(-1)?.[0]).toEqual({ kind: 'delimiter', delimiter: Uint8Array.of(0x3b), keep: true });
    await press(input('Delimiter value'), 'Enter');
    expect(commits(w).at(-1)).toEqual({ kind: 'delimiter', delimiter: Uint8Array.of(0x3b), keep: true });
  });

  it('an invalid delimiter shows its error in place and commits nothing, by Enter or by a choice', async () => {
    const w = await editor({ kind: 'delimiter', delimiter: Uint8Array.of(13, 10), keep: false });
    await type(input('Delimiter value'), '\\q');
    expect(w.emitted('change')?.at(-1)?.[0]).toBeNull();
    expect(document.querySelector('[role="alert"]')?.textContent).toMatch(/escape/i);
    await press(input('Delimiter value'), 'Enter');
    checkbox()?.click();
    await flushPromises();
    expect(commits(w)).toEqual([]);
  });
});
