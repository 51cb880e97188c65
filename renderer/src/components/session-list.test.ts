// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { type SessionInfo } from '../../../shared/protocol';
import { createAppI18n } from '../i18n';
import { FakeBridge } from '../stores/fake-bridge.test-util';
import { useEventRouter } from '../stores/router';
import SessionList from './SessionList.vue';
import { sessionInfo } from '../stores/session-info.test-util';

const info = (name: string): SessionInfo => sessionInfo({ kind: 'tcp-client', host: '10.0.0.2', port: 502 }, { name });

describe('SessionList', () => {
  it('shows bidi controls in a name as escapes, isolated, in the list, its tooltip and the remove button', () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useEventRouter().connect(new FakeBridge(), { rates: false });
    useEventRouter().applyBatch([{ type: 'session.opened', ts: 1, sessionId: 's1', info: info('invoice\u202Efdp.exe') }]);
    const w = mount(SessionList, { global: { plugins: [pinia, createAppI18n('en')] } });
    const name = w.find('.wb-stext');
    expect(name.element.tagName).toBe('BDI');
    expect(name.text()).toBe('invoice\\u202Efdp.exe');
    expect(w.html()).not.toContain('\u202E');
    expect(w.find('[role="tab"]').attributes('title')).toContain('invoice\\u202Efdp.exe');
    expect(w.find('button').attributes('aria-label')).toBe('Remove session invoice\\u202Efdp.exe');
    w.unmount();
  });

  it('as a rail: badges only, the name still in the tab\'s accessible name', () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useEventRouter().connect(new FakeBridge(), { rates: false });
    useEventRouter().applyBatch([{ type: 'session.opened', ts: 1, sessionId: 's1', info: info('PLC \u2067gateway') }]);
    const w = mount(SessionList, { props: { compact: true }, global: { plugins: [pinia, createAppI18n('en')] } });
    expect(w.find('.wb-sbody').exists()).toBe(false);
    expect(w.find('[role="tab"]').text()).toContain('PLC \\u2067gateway (TCP client, Connected)');
    expect(w.find('button').exists()).toBe(false);
    w.unmount();
  });
});
