// @vitest-environment happy-dom
/** The new-session dialog starts from the engine's own defaults (the protocol's schemas). */
import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
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

/** What the dialog sends for `kind` when the user changes nothing but the kind. */
async function untouched(kind: SessionKind): Promise<unknown> {
  const pinia = createPinia();
  setActivePinia(pinia);
  const bridge = new FakeBridge()
    .on('system.interfaces', () => ok([]))
    .on('session.open', ({ config }) => ok(sessionInfo(config as SessionConfigInput)));
  useEventRouter().connect(bridge, { rates: false });
  wrapper = mount(NewSessionDialog, { props: { show: true }, global: { plugins: [pinia, createAppI18n('en')] }, attachTo: document.body });
  await flushPromises();
  document.querySelector<HTMLInputElement>(`input[type="radio"][value="${kind}"]`)?.click();
  await flushPromises();
  [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Create session')?.click();
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
