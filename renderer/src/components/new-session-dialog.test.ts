// @vitest-environment happy-dom
/** The new-session dialog: its starting values (the engine's defaults), inline checks, what it sends. */
import { afterEach, describe, expect, it } from 'vitest';
import { mount, flushPromises, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { ok, sessionConfigSchema, type SessionConfigInput, type SessionKind } from '../../../shared/protocol';
import { createAppI18n } from '../i18n';
import { FakeBridge } from '../stores/fake-bridge.test-util';
import { useEventRouter } from '../stores/router';
import { sessionInfo } from '../stores/session-info.test-util';
import NewSessionDialog from './NewSessionDialog.vue';

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

  it("a new UDP dialog starts with no remote: the previous session's remote is not offered again", async () => {
    const { bridge, input, button } = await openDialog();
    let opened = 0;
    bridge.on('session.open', ({ config }) => ok(sessionInfo(config as SessionConfigInput, { sessionId: `s${++opened}` })));
    document.querySelector<HTMLInputElement>('input[type="radio"][value="udp"]')?.click();
    await flushPromises();
    await type(input('Port'), '40001');
    await type(input('Remote host'), '127.0.0.1');
    await type(input('Remote port'), '9000');
    button('Create session')?.click();
    await flushPromises();
    expect(bridge.callsOf('session.open')).toEqual([{ config: expect.objectContaining({ kind: 'udp', remoteHost: '127.0.0.1', remotePort: 9000 }) }]);

    await wrapper!.setProps({ show: false });
    await wrapper!.setProps({ show: true });
    await flushPromises();
    expect(input('Remote host')?.value).toBe('');
    expect(input('Remote port')?.value).toBe('');
    // what is not tied to the previous session is kept
    expect(input('Port')?.value).toBe('40001');
  });
});

/** What the dialog sends for `kind` when the user changes nothing but the kind. */
async function untouched(kind: SessionKind): Promise<unknown> {
  const { bridge, button } = await openDialog();
  bridge.on('session.open', ({ config }) => ok(sessionInfo(config as SessionConfigInput)));
  document.querySelector<HTMLInputElement>(`input[type="radio"][value="${kind}"]`)?.click();
  await flushPromises();
  button('Create session')?.click();
  await flushPromises();
  const calls = bridge.callsOf('session.open') as Array<{ config: SessionConfigInput }>;
  expect(calls).toHaveLength(1);
  return sessionConfigSchema.parse(calls[0]!.config);
}

describe('new-session dialog defaults', () => {
  // only what the schema leaves to the user is the dialog's suggestion; every other option is the engine's default
  it.each<[SessionKind, SessionConfigInput]>([
    ['tcp-client', { kind: 'tcp-client', host: '127.0.0.1', port: 8080 }],
    ['tcp-server', { kind: 'tcp-server', port: 8080 }],
    ['udp', { kind: 'udp', bindAddress: '0.0.0.0' }],
  ])('%s: an untouched dialog sends the schema defaults', async (kind, suggestion) => {
    expect(await untouched(kind)).toEqual(sessionConfigSchema.parse(suggestion));
  });
});
