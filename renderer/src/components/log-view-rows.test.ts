// @vitest-environment happy-dom
/** LogView: word wrap, row selection and "Copy as …", timestamps (the grid as a user drives it). */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { type Endpoint, type SessionInfo } from '../../../shared/protocol';
import LogView from './LogView.vue';
import { createAppI18n } from '../i18n';
import { FakeBridge, FakeLog, type FakeRowInput } from '../stores/fake-bridge.test-util';
import { useLogStore } from '../stores/logs';
import { useEventRouter } from '../stores/router';
import { useSettingsStore } from '../stores/settings';
import { WRAP_ROW_BYTES } from '../log/full-rows';
import { sessionInfo } from '../stores/session-info.test-util';

const A: Endpoint = { address: '127.0.0.1', port: 5000, family: 'IPv4' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const info: SessionInfo = sessionInfo({ kind: 'tcp-server', port: 0 });

async function settle(): Promise<void> {
  useLogStore().flush();
  await nextTick();
  await sleep(0);
  await flushPromises();
  useLogStore().flush();
  await nextTick();
}
async function until(cond: () => boolean, ms = 1500): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end && !cond()) await settle().then(() => sleep(5));
  expect(cond()).toBe(true);
}

function mountView() {
  const pinia = createPinia();
  setActivePinia(pinia);
  const bridge = new FakeBridge();
  const record = new FakeLog(bridge);
  useEventRouter().connect(bridge, { rates: false });
  bridge.emit([{ type: 'session.opened', ts: 1, sessionId: 's1', info }]);
  const w = mount(LogView, { props: { sessionId: 's1' }, global: { plugins: [pinia, createAppI18n('en')] }, attachTo: document.body });
  const grid = w.find('[role="grid"]');
  const rows = () => w.findAll('[role="row"]:not([aria-busy="true"])');
  const row = (text: string) => rows().find((r) => r.text().includes(text))!;
  const add = (...r: FakeRowInput[]) => record.append('s1', ...r);
  return { w, bridge, record, grid, rows, row, add, tail: () => record.emitTail('s1') };
}

describe('LogView rows', () => {
  let clip = '';
  beforeEach(() => {
    document.body.innerHTML = '';
    localStorage.clear();
    clip = '';
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (s: string) => void (clip = s) } });
  });
  afterEach(() => vi.restoreAllMocks());

  it('word wrap shows the whole message: the row is read again with more than its first 1024 bytes', async () => {
    const v = mountView();
    const long = `BEGIN${'x'.repeat(3000)}END`;
    v.add({ dir: 'rx', bytes: long, remote: A });
    v.tail();
    await settle();
    expect(v.row('BEGIN').text()).not.toContain('END');
    await v.w.find('.tb-check input, .tb-check').trigger('click'); // the "Word wrap" checkbox
    await until(() => v.row('BEGIN').find('.p-text').text().endsWith('END'));
    expect(v.grid.classes()).toContain('wrap');
    expect(v.row('BEGIN').find('.p-hex').text().endsWith('45 4E 44')).toBe(true);
    expect(v.bridge.callsOf('log.read').at(-1)).toMatchObject({ seqs: [1], byteLimit: WRAP_ROW_BYTES });
    expect(useLogStore().wrap('s1')).toBe(true);
    v.w.unmount();
  });

  it('a click on a row\'s left edge selects it, Ctrl adds, Shift extends; copy as a C array and as Python bytes', async () => {
    const v = mountView();
    v.add({ dir: 'rx', bytes: new Uint8Array([1, 3, 0, 0]), remote: A }, { dir: 'info', text: 'a note' }, { dir: 'tx', bytes: new Uint8Array([0x0a, 0xff]), remote: A });
    v.tail();
    await settle();
    const sel = (i: number, mods: Record<string, boolean> = {}) => v.rows()[i]!.find('.c-select').trigger('click', { button: 0, ...mods });
    await sel(0);
    await sel(2, { ctrlKey: true });
    expect(v.rows().map((r) => r.attributes('aria-selected'))).toEqual(['true', 'false', 'true']);
    expect(v.w.text()).toContain('2 rows selected');
    await v.w.vm.$nextTick();
    // the toolbar's menu, as its select handler gets it
    const toolbar = v.w.findComponent({ name: 'LogToolbar' });
    toolbar.vm.$emit('copy', 'c');
    await until(() => clip !== '');
    expect(clip).toBe('{0x01, 0x03, 0x00, 0x00}\n{0x0A, 0xFF}');
    expect(v.w.find('[data-testid="log-copy-status"]').text()).toBe('Copied 2 rows as a C array');
    clip = '';
    await sel(0, { shiftKey: true }); // anchor is row 3: rows 1…3
    expect(v.rows().map((r) => r.attributes('aria-selected'))).toEqual(['true', 'true', 'true']);
    toolbar.vm.$emit('copy', 'text');
    await until(() => clip !== '');
    expect(clip).toBe('\u0001\u0003\u0000\u0000\na note\n\n\uFFFD');
    await v.grid.trigger('keydown', { key: 'Escape' });
    expect(v.rows().map((r) => r.attributes('aria-selected'))).toEqual(['false', 'false', 'false']);
    await v.grid.trigger('keydown', { key: 'a', ctrlKey: true });
    expect(v.rows().every((r) => r.attributes('aria-selected') === 'true')).toBe(true);
    v.w.unmount();
  });

  it('timestamps: time of day, with the date, Δt since the previous row', async () => {
    const v = mountView();
    const t0 = new Date(2024, 4, 6, 12, 0, 0, 0).getTime();
    v.add({ dir: 'rx', bytes: 'one', remote: A, ts: t0 }, { dir: 'rx', bytes: 'two', remote: A, ts: t0 + 1234 });
    v.tail();
    await settle();
    expect(v.row('two').find('.c-time').text()).toBe('12:00:01.234');
    expect(v.row('two').find('.c-delta').exists()).toBe(false);
    useSettingsStore().update({ logDate: true, logDelta: true });
    await settle();
    expect(v.row('two').find('.c-time').text()).toBe('2024-05-06 12:00:01.234');
    expect(v.row('two').find('.c-delta').text()).toBe('+1.234');
    useSettingsStore().update({ logTime: false });
    await settle();
    expect(v.row('two').find('.c-time').exists()).toBe(false);
    v.w.unmount();
  });
});
