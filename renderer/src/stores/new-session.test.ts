// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { mount, flushPromises, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { ok } from '../../../shared/protocol';
import { createAppI18n } from '../i18n';
import NewSessionDialog from '../components/NewSessionDialog.vue';
import { FakeBridge } from './fake-bridge.test-util';
import { useEventRouter } from './router';

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
});

async function openDialog() {
  const pinia = createPinia();
  setActivePinia(pinia);
  const bridge = new FakeBridge().on('system.interfaces', () => ok([]));
  useEventRouter().connect(bridge, { rates: false });
  wrapper = mount(NewSessionDialog, {
    props: { show: true },
    global: { plugins: [pinia, createAppI18n('en')] },
    attachTo: document.body,
  });
  await flushPromises();
  const input = (name: string) => document.querySelector<HTMLInputElement>(`input[aria-label="${name}"]`);
  const button = (text: string) => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
  return { bridge, input, button };
}

const type = async (el: HTMLInputElement | null, value: string) => {
  if (!el) throw new Error('input not found');
  el.value = value;
  el.dispatchEvent(new Event('input'));
  await flushPromises();
};

describe('New session dialog', () => {
  it('refuses an out-of-range port inline, without asking the engine', async () => {
    const { bridge, input, button } = await openDialog();
    await type(input('Port'), '70000');
    button('Create session')?.click();
    await flushPromises();
    expect(bridge.callsOf('session.open')).toHaveLength(0);
    expect(document.body.textContent).toContain('Port must be between 1 and 65535');
  });

  it('sends a valid TCP client config to session.open', async () => {
    const { bridge, input, button } = await openDialog();
    bridge.on('session.open', () => ({ ok: false, code: 'CONNECTION_REFUSED', message: 'Connection refused by 127.0.0.1:9' }));
    await type(input('Host'), ' 127.0.0.1 ');
    await type(input('Port'), '9');
    button('Create session')?.click();
    await flushPromises();
    expect(bridge.callsOf('session.open')).toEqual([
      { config: expect.objectContaining({ kind: 'tcp-client', host: '127.0.0.1', port: 9, rxEncoding: 'utf-8' }) },
    ]);
    // the refusal shows inside the dialog, which stays open
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('Connection refused by 127.0.0.1:9');
  });
});
