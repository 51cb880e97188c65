// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { ok } from '../../../shared/protocol';
import type { Endpoint, LogRow, SessionInfo } from '../../../shared/protocol';
import LogView from './LogView.vue';
import { createAppI18n } from '../i18n';
import { FakeBridge, FakeLog, type FakeRowInput } from '../stores/fake-bridge.test-util';
import { useLogStore } from '../stores/logs';
import { useEventRouter } from '../stores/router';
import { MAX_CONTENT_PX } from '../log/use-log-rows';
import { sessionInfo } from '../stores/session-info.test-util';

const A: Endpoint = { address: '127.0.0.1', port: 5000, family: 'IPv4' };
const B: Endpoint = { address: '::1', port: 6000, family: 'IPv6' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function info(extra: Partial<SessionInfo> = {}, rxEncoding: 'utf-8' | 'gbk' = 'utf-8'): SessionInfo {
  return sessionInfo({ kind: 'tcp-server', port: 0, rxEncoding }, extra);
}

async function settle(): Promise<void> {
  useLogStore().flush();
  await nextTick();
  await sleep(0);
  await flushPromises();
  useLogStore().flush();
  await nextTick();
}

/** Wait (real time) until the view shows what `cond` wants. */
async function until(cond: () => boolean, ms = 1500): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end && !cond()) await settle().then(() => sleep(5));
  expect(cond()).toBe(true);
}

/** happy-dom has no layout: give the scroll box a height and a scroll height from its content. */
function layout(el: HTMLElement, height = 400): void {
  Object.defineProperty(el, 'clientHeight', { configurable: true, get: () => height });
  Object.defineProperty(el, 'scrollHeight', {
    configurable: true,
    get: () => parseFloat((el.querySelector('.log-content') as HTMLElement | null)?.style.height ?? '0') || 0,
  });
}

function mountView(opts: { layout?: boolean } = {}) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const bridge = new FakeBridge();
  const record = new FakeLog(bridge);
  useEventRouter().connect(bridge, { rates: false });
  bridge.emit([{ type: 'session.opened', ts: 1, sessionId: 's1', info: info() }]);
  const w = mount(LogView, { props: { sessionId: 's1' }, global: { plugins: [pinia, createAppI18n('en')] }, attachTo: document.body });
  const grid = w.find('[role="grid"]').element as HTMLElement;
  if (opts.layout) layout(grid);
  const add = (...rows: FakeRowInput[]) => record.append('s1', ...rows);
  const rx = (text: string, remote: Endpoint = A): FakeRowInput => ({ dir: 'rx', bytes: text, remote });
  const rowsEl = () => w.findAll('[role="row"]');
  const loaded = () => w.findAll('[role="row"]:not([aria-busy="true"])');
  const button = (name: string) => w.findAll('button').find((b) => (b.attributes('aria-label') ?? b.text()) === name)!;
  const checkbox = (name: string) => w.findAll('.n-checkbox').find((c) => c.text() === name)!;
  return { w, bridge, record, grid, add, rx, rowsEl, loaded, button, checkbox, tail: () => record.emitTail('s1') };
}

const searchCalls = (bridge: FakeBridge) => bridge.callsOf('log.search') as { filter: Record<string, unknown>; fromSeq?: number }[];

describe('LogView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    localStorage.clear(); // views are remembered per session: every test starts from the defaults
  });

  it('renders tail rows with direction, peer, length, text and hex, as text (never HTML); notes in the user\'s words', async () => {
    const v = mountView();
    v.add(
      v.rx('你好\r\n'),
      { dir: 'tx', bytes: '<b>x</b>', remote: B },
      { dir: 'info', text: '127.0.0.1:5000 connected', note: { kind: 'peer.joined' }, remote: A, peerId: 'p1' },
      { dir: 'info', text: 'Listening on 0.0.0.0:80', note: { kind: 'status', state: 'listening', reason: 'Listening on 0.0.0.0:80', why: { key: 'status.listening', params: { addr: '0.0.0.0:80' } } } },
      { dir: 'error', text: 'The peer 1.2.3.4:5 reset the connection', note: { kind: 'error', code: 'CONNECTION_RESET', message: 'The peer 1.2.3.4:5 reset the connection', sysCode: 'ECONNRESET' } },
    );
    v.tail();
    await settle();
    const rows = v.rowsEl();
    expect(rows).toHaveLength(5);
    expect(rows[0]!.text()).toContain('RX');
    expect(rows[0]!.text()).toContain('127.0.0.1:5000');
    expect(rows[0]!.text()).toContain('8'); // length in bytes
    expect(rows[0]!.text()).toContain('你好\\r\\n');
    expect(rows[0]!.text()).toContain('E4 BD A0 E5 A5 BD 0D 0A');
    expect(rows[1]!.text()).toContain('TX');
    expect(rows[1]!.text()).toContain('[::1]:6000');
    expect(rows[1]!.find('b').exists()).toBe(false);
    expect(rows[1]!.text()).toContain('<b>x</b>');
    expect(rows[2]!.text()).toContain('INFO');
    expect(rows[2]!.text()).toContain('127.0.0.1:5000 connected');
    expect(rows[4]!.text()).toContain('ERROR');
    expect(rows[4]!.text()).toContain('The peer 1.2.3.4:5 reset the connection (ECONNRESET)');
    expect(v.grid.getAttribute('aria-label')).toBe('Log');
    v.w.unmount();
  });

  it('phrases notes in Chinese when the UI is in Chinese', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const bridge = new FakeBridge();
    const record = new FakeLog(bridge);
    useEventRouter().connect(bridge, { rates: false });
    bridge.emit([{ type: 'session.opened', ts: 1, sessionId: 's1', info: info() }]);
    const w = mount(LogView, { props: { sessionId: 's1' }, global: { plugins: [pinia, createAppI18n('zh-CN')] }, attachTo: document.body });
    record.append(
      's1',
      { dir: 'info', text: '[::1]:6000 connected', note: { kind: 'peer.joined' }, remote: B },
      { dir: 'info', text: 'Listening on 0.0.0.0:80', note: { kind: 'status', state: 'listening', reason: 'Listening on 0.0.0.0:80', why: { key: 'status.listening', params: { addr: '0.0.0.0:80' } } } },
      { dir: 'info', text: 'Reading paused', note: { kind: 'paused', paused: true } },
    );
    record.emitTail('s1');
    await settle();
    const texts = w.findAll('[role="row"] .p-text').map((e) => e.text());
    expect(texts).toEqual(['[::1]:6000 已连接', '正在监听 0.0.0.0:80', '已暂停读取：磁盘日志写入跟不上']);
    w.unmount();
  });

  it('switches display mode; the text search runs in the engine, page by page', async () => {
    const v = mountView();
    v.record.scanPerCall = 2;
    v.add(v.rx('alpha'), v.rx('beta'), v.rx('ALPHABET'), v.rx('gamma'), v.rx('alphorn'));
    v.tail();
    await settle();
    await v.button('Hex view').trigger('click');
    await settle();
    expect(v.rowsEl()[0]!.text()).not.toContain('alpha');
    expect(v.rowsEl()[0]!.text()).toContain('61 6C 70 68 61');
    await v.button('Text view').trigger('click');
    await v.w.find('input[aria-label="Search log"]').setValue('alpha');
    const status = () => v.w.find('[data-testid="log-search-status"]');
    await until(() => status().exists() && status().text() === '2 matching rows');
    expect(v.loaded().map((r) => r.find('.p-text').text())).toEqual(['alpha', 'ALPHABET']);
    // three pages of two rows each, the later ones from nextSeq
    expect(searchCalls(v.bridge).map((c) => c.fromSeq)).toEqual([undefined, 3, 5]);
    expect(searchCalls(v.bridge)[0]!.filter).toEqual({ query: 'alpha', mode: 'text' });
    v.w.unmount();
  });

  it('a growing log extends an active search; rows of a filtered view are read by seq', async () => {
    const v = mountView();
    v.add(...Array.from({ length: 100 }, (_, i) => v.rx(i % 10 === 0 ? `hit ${i + 1}` : `row ${i + 1}`)));
    v.record.emitTail('s1'); // only the newest 64 rows come with the tail
    await settle();
    await v.w.find('input[aria-label="Search log"]').setValue('hit');
    await until(() => v.loaded().length === 10);
    expect(v.loaded()[0]!.text()).toContain('hit 1');
    const reads = v.bridge.callsOf('log.read') as { seqs?: number[] }[];
    // rows 1…15 were read for the unfiltered view (happy-dom shows the top); 37…100 came with the tail
    expect(reads.at(-1)).toEqual({ sessionId: 's1', seqs: [21, 31], count: 2 });
    v.add(v.rx('hit 101'));
    v.tail();
    await until(() => v.loaded().length === 11, 2000);
    v.w.unmount();
  });

  it('a bad hex query shows the error note and is never sent; a good one searches bytes', async () => {
    const v = mountView();
    v.add(v.rx('AB'), v.rx('\r\n'));
    v.tail();
    await settle();
    await v.button('Hex search').trigger('click');
    await v.w.find('input[aria-label="Search log"]').setValue('0D 0G');
    await until(() => v.w.find('[data-testid="log-search-error"]').exists());
    expect(v.w.find('[data-testid="log-search-error"]').text()).toBe("Search: 'G' at position 5 is not valid hex");
    expect(searchCalls(v.bridge)).toHaveLength(0);
    expect(v.rowsEl()).toHaveLength(2);
    await v.w.find('input[aria-label="Search log"]').setValue('0d0a');
    await until(() => v.loaded().length === 1);
    expect(searchCalls(v.bridge).at(-1)!.filter).toEqual({ query: '0D 0A', mode: 'hex' });
    expect(v.w.find('[data-testid="log-search-error"]').exists()).toBe(false);
    v.w.unmount();
  });

  it('direction and peer filters go to the engine; the peer as [address]:port for IPv6', async () => {
    const v = mountView();
    v.add(v.rx('from a', A), v.rx('from b', B), { dir: 'tx', bytes: 'to b', remote: B });
    v.tail();
    await settle();
    const select = v.w.find('select[aria-label="Peer filter"]');
    expect(select.findAll('option').map((o) => o.text())).toEqual(['All peers', '127.0.0.1:5000', '[::1]:6000']);
    await select.setValue('[::1]:6000');
    await until(() => v.loaded().length === 2);
    expect(searchCalls(v.bridge).at(-1)!.filter).toEqual({ query: '', mode: 'text', peer: '[::1]:6000' });
    await v.checkbox('RX').find('.n-checkbox-box-wrapper, .n-checkbox-box').trigger('click');
    await until(() => v.loaded().length === 1);
    expect(searchCalls(v.bridge).at(-1)!.filter).toEqual({ query: '', mode: 'text', dirs: ['tx', 'info', 'error'], peer: '[::1]:6000' });
    expect(v.loaded()[0]!.text()).toContain('to b');
    v.w.unmount();
  });

  it('rows not in the cache show as placeholders and are read from the engine', async () => {
    const v = mountView();
    v.add(...Array.from({ length: 1000 }, (_, i) => v.rx(`m${i + 1}`)));
    v.tail(); // 937…1000 cached; happy-dom shows the top of the list: rows 1…
    await settle();
    expect(v.rowsEl()[0]!.attributes('aria-busy')).toBe('true');
    expect(v.grid.getAttribute('aria-busy')).toBe('true');
    expect(v.rowsEl()[0]!.text()).not.toContain('RX');
    await until(() => v.loaded().length > 0 && v.loaded().length === v.rowsEl().length);
    expect(v.loaded()[0]!.find('.p-text').text()).toBe('m1');
    expect(v.grid.getAttribute('aria-busy')).toBe('false');
    expect(v.grid.getAttribute('aria-rowcount')).toBe('1000');
    v.w.unmount();
  });

  it('scales a list taller than the browser allows: row 1 and the last of 10,000,000 are both reachable', async () => {
    const v = mountView({ layout: true });
    const N = 10_000_000;
    const make = (seq: number): LogRow => ({ seq, ts: 1, dir: 'rx', size: 3, bytes: new TextEncoder().encode(`r${seq}`), text: `r${seq}` });
    v.bridge.on('log.read', (a) => {
      const seqs = a.seqs ?? Array.from({ length: a.count ?? 100 }, (_, i) => (a.fromSeq ?? N - (a.count ?? 100) + 1) + i);
      return ok({ firstSeq: 1, lastSeq: N, rows: seqs.filter((s) => s >= 1 && s <= N).map(make) });
    });
    v.bridge.emit([{ type: 'log.tail', ts: 1, sessionId: 's1', firstSeq: 1, lastSeq: N, rows: [make(N - 1), make(N)], skipped: N - 2 }]);
    await settle();
    const content = v.w.find('.log-content').element as HTMLElement;
    expect(parseFloat(content.style.height)).toBe(MAX_CONTENT_PX);
    // following: the newest rows
    await until(() => v.loaded().some((r) => r.text().includes(`r${N}`)));
    expect(v.w.find('[data-testid="log-dropped"]').text()).toContain('9,999,998');
    // to the top
    v.grid.scrollTop = 0;
    await v.w.find('[role="grid"]').trigger('scroll');
    await until(() => v.loaded().some((r) => r.find('.p-text').text() === 'r1'));
    expect(v.button('Auto-scroll').attributes('aria-pressed')).toBe('false');
    v.w.unmount();
  });

  it('pause holds the view while rows arrive; resume jumps live; clear asks the engine', async () => {
    const v = mountView();
    v.add(v.rx('1'), v.rx('2'));
    v.tail();
    await settle();
    await v.button('Pause').trigger('click');
    v.add(v.rx('3'));
    v.tail();
    await settle();
    const payloads = () => v.w.findAll('[role="row"] .p-text').map((e) => e.text());
    expect(payloads()).toEqual(['1', '2']);
    expect(v.button('Resume')).toBeDefined();
    await v.button('Resume').trigger('click');
    await settle();
    expect(payloads()).toEqual(['1', '2', '3']);
    await v.button('Clear log').trigger('click');
    await until(() => v.rowsEl().length === 0);
    expect(v.bridge.callsOf('log.clear')).toEqual([{ sessionId: 's1' }]);
    v.add(v.rx('4'));
    v.tail();
    await settle();
    expect(payloads()).toEqual(['4']);
    v.w.unmount();
  });

  it('shows the record limit, skipped rows and the engine pausing reads', async () => {
    const v = mountView();
    v.add(...Array.from({ length: 100 }, (_, i) => v.rx(`m${i}`)));
    v.tail();
    v.bridge.emit([
      { type: 'session.updated', ts: 2, sessionId: 's1', info: info({ spill: { bytes: 1, records: 1, limitBytes: 1, droppedRecords: 1234 } }) },
      { type: 'session.readPaused', ts: 2, sessionId: 's1', paused: true },
    ]);
    await settle();
    expect(v.w.find('[data-testid="log-evicted"]').text()).toBe('1,234 older rows are gone: the session’s disk log reached its size limit');
    expect(v.w.find('[data-testid="log-dropped"]').text()).toBe('36 rows arrived faster than shown; scroll up to read them');
    expect(v.w.find('[data-testid="log-read-paused"]').exists()).toBe(true);
    v.bridge.emit([{ type: 'session.readPaused', ts: 3, sessionId: 's1', paused: false }]);
    await settle();
    expect(v.w.find('[data-testid="log-read-paused"]').exists()).toBe(false);
    v.w.unmount();
  });

  it('re-decodes what is shown when the receive encoding changes', async () => {
    const v = mountView();
    v.add(v.rx('abc'));
    v.tail();
    await settle();
    expect(v.w.find('[role="row"] .p-text').text()).toBe('abc');
    v.record.decode = (b) => new TextDecoder().decode(b).toUpperCase();
    v.bridge.emit([{ type: 'session.updated', ts: 2, sessionId: 's1', info: info({ log: v.record.bounds('s1') }, 'gbk') }]);
    await until(() => v.w.find('[role="row"]:not([aria-busy="true"]) .p-text').exists() && v.w.find('[role="row"] .p-text').text() === 'ABC');
    v.w.unmount();
  });

  it('the details dialog shows the whole row, read from the engine, not the cached first 1024 bytes', async () => {
    const v = mountView();
    v.add({ dir: 'rx', bytes: 'Hello, World!\n', remote: A }, { dir: 'rx', bytes: new Uint8Array(2000).fill(0x41), remote: A });
    v.tail();
    await settle();
    await v.rowsEl()[0]!.trigger('click'); // a click no longer opens details: text in rows can be selected
    await settle();
    expect(document.body.querySelector('[data-testid="hexdump"]')).toBeNull();
    await v.rowsEl()[0]!.find('.c-payload').trigger('dblclick');
    await until(() => document.body.querySelector('[data-testid="hexdump"]') !== null);
    const dialog = document.body.querySelector('[role="dialog"]');
    expect(dialog?.getAttribute('aria-label')).toBe('Row details');
    expect(document.body.querySelector('[data-testid="hexdump"]')?.textContent).toBe(
      '00000000  48 65 6c 6c 6f 2c 20 57  6f 72 6c 64 21 0a        |Hello, World!.|',
    );
    await v.rowsEl()[1]!.find('button[aria-label="Details"]').trigger('click');
    await until(() => (document.body.querySelector('[data-testid="hexdump"]')?.textContent ?? '').includes('000007c0'));
    expect(v.bridge.callsOf('log.read').at(-1)).toMatchObject({ seqs: [2], byteLimit: 16 * 1024 * 1024 });
    v.w.unmount();
  });
});
