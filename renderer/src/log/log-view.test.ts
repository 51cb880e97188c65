// @vitest-environment happy-dom
import { mount, flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import type { Endpoint, NetEvent } from '../../../shared/protocol';
import LogView from '../components/LogView.vue';
import { createAppI18n } from '../i18n';
import { useLogStore } from '../stores/logs';

const enc = new TextEncoder();
const A: Endpoint = { address: '127.0.0.1', port: 5000, family: 'IPv4' };
const B: Endpoint = { address: '::1', port: 6000, family: 'IPv6' };
let seq = 0;
const data = (text: string, dir: 'rx' | 'tx' = 'rx', remote: Endpoint = A): NetEvent => ({
  type: 'data', ts: Date.now(), sessionId: 's1', seq: ++seq, dir, remote, bytes: enc.encode(text), text,
});

async function settle(): Promise<void> {
  useLogStore().flush();
  await nextTick();
  await new Promise((r) => setTimeout(r, 0));
  await flushPromises();
}

function mountView() {
  const pinia = createPinia();
  setActivePinia(pinia);
  return mount(LogView, { props: { sessionId: 's1' }, global: { plugins: [pinia, createAppI18n('en')] }, attachTo: document.body });
}

describe('LogView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });

  it('renders rows with direction, peer, text and hex, as text (never HTML)', async () => {
    const w = mountView();
    useLogStore().ingest([data('你好\r\n'), data('<b>x</b>', 'tx', B)]);
    await settle();
    const rows = w.findAll('[role="row"]');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text()).toContain('RX');
    expect(rows[0]!.text()).toContain('127.0.0.1:5000');
    expect(rows[0]!.text()).toContain('你好\\r\\n');
    expect(rows[0]!.text()).toContain('E4 BD A0 E5 A5 BD 0D 0A');
    expect(rows[1]!.text()).toContain('TX');
    expect(rows[1]!.text()).toContain('[::1]:6000');
    expect(rows[1]!.find('b').exists()).toBe(false);
    expect(rows[1]!.text()).toContain('<b>x</b>');
    expect(w.find('[role="grid"]').attributes('aria-label')).toBe('Log');
    w.unmount();
  });

  it('switches display mode and filters by text search', async () => {
    const w = mountView();
    useLogStore().ingest([data('alpha'), data('beta'), data('ALPHABET')]);
    await settle();
    const hexBtn = w.findAll('button').find((b) => b.text() === 'Hex view')!;
    await hexBtn.trigger('click');
    await settle();
    expect(w.findAll('[role="row"]')[0]!.text()).not.toContain('alpha');
    expect(w.findAll('[role="row"]')[0]!.text()).toContain('61 6C 70 68 61');
    const input = w.find('input[aria-label="Search log"]');
    await input.setValue('alpha');
    await new Promise((r) => setTimeout(r, 250));
    await settle();
    expect(w.findAll('[role="row"]')).toHaveLength(2);
    w.unmount();
  });

  it('shows the evicted-rows note, and pause holds the view while rows arrive', async () => {
    const w = mountView();
    const s = useLogStore();
    s.ringOf('s1').setCapacity(3);
    s.ingest([data('1'), data('2'), data('3'), data('4')]);
    await settle();
    expect(w.find('[data-testid="log-evicted"]').text()).toBe('1 older rows were dropped from the view');
    const pause = w.findAll('button').find((b) => b.text() === 'Pause')!;
    await pause.trigger('click');
    s.ingest([data('5')]);
    await settle();
    const payloads = () => w.findAll('[role="row"] .p-text').map((e) => e.text());
    // '5' is kept in the ring but not shown; '2' was evicted by it (rows still leave the top while paused)
    expect(payloads()).toEqual(['3', '4']);
    const resume = w.findAll('button').find((b) => b.text() === 'Resume')!;
    expect(resume).toBeDefined();
    await resume.trigger('click');
    await settle();
    expect(payloads()).toEqual(['3', '4', '5']);
    const clear = w.findAll('button').find((b) => b.text() === 'Clear log')!;
    await clear.trigger('click');
    await settle();
    expect(w.findAll('[role="row"]')).toHaveLength(0);
    expect(w.find('[data-testid="log-evicted"]').exists()).toBe(false);
    w.unmount();
  });

  it('clicking a row opens the hexdump dialog', async () => {
    const w = mountView();
    useLogStore().ingest([data('Hello, World!\n')]);
    await settle();
    await w.find('[role="row"]').trigger('click');
    await settle();
    const dialog = document.body.querySelector('[role="dialog"]');
    expect(dialog?.getAttribute('aria-label')).toBe('Row details');
    expect(document.body.querySelector('[data-testid="hexdump"]')?.textContent).toBe(
      '00000000  48 65 6c 6c 6f 2c 20 57  6f 72 6c 64 21 0a        |Hello, World!.|',
    );
    w.unmount();
  });
});
