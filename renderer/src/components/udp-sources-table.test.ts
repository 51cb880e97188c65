// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { ok, type SessionInfo, type UdpStats } from '../../../shared/protocol';
import { createAppI18n } from '../i18n';
import { FakeBridge } from '../stores/fake-bridge.test-util';
import { useEventRouter } from '../stores/router';
import UdpSourcesTable from './UdpSourcesTable.vue';
import { sessionInfo } from '../stores/session-info.test-util';

const info: SessionInfo = sessionInfo({ kind: 'udp', bindPort: 9999 }, { sessionId: 'u1', name: 'sensors' });

const stats: UdpStats = {
  sources: [
    { address: '10.0.0.7', port: 5000, datagrams: 1234, bytes: 2048, rate: 12, byteRate: 100, firstSeen: 1, lastSeen: 2, maxGapMs: 1500, sequenceStats: { lost: 3, duplicates: 1, outOfOrder: 2, short: 0, highest: 9 } },
  ],
  forgottenSources: 0,
  kernelDrops: 42,
  recvBuffer: { requested: 1_048_576, granted: 2_097_152 },
};

function setup(lang: 'en' | 'zh-CN' = 'en') {
  const pinia = createPinia();
  setActivePinia(pinia);
  const bridge = new FakeBridge()
    .on('udp.stats', () => ok(stats))
    .on('udp.exportSources', () => ok({ path: '/d/exports/sensors-sources.csv', name: 'sensors-sources.csv', sources: 1 }))
    .on('session.update', () => ok(info));
  useEventRouter().connect(bridge, { rates: false });
  useEventRouter().applyBatch([{ type: 'session.opened', ts: 1, sessionId: 'u1', info }]);
  const w = mount(UdpSourcesTable, { props: { sessionId: 'u1' }, global: { plugins: [pinia, createAppI18n(lang)] } });
  return { w, bridge };
}

describe('UdpSourcesTable', () => {
  it('shows each source, the OS drops and the granted buffer, and exports the CSV', async () => {
    const { w, bridge } = setup();
    await flushPromises();
    const table = w.find('table');
    expect(table.attributes('aria-label')).toBe('Sources');
    const cells = table.findAll('tbody td').map((c) => c.text());
    expect(cells).toEqual(['10.0.0.7:5000', '1,234', expect.any(String), '12/s', expect.any(String), '1.5 s', '3', '1', '2']);
    expect(w.find('[data-testid="udp-kernel-drops"]').text()).toContain('42');
    expect(w.find('[data-testid="udp-recv-buffer"]').text()).toMatch(/2(\.0)? MiB|2(\.0)? MB/);
    await w.findAll('button').find((b) => b.text() === 'Export sources (CSV)')?.trigger('click');
    await flushPromises();
    expect(bridge.callsOf('udp.exportSources')).toEqual([{ sessionId: 'u1' }]);
    expect(w.text()).toContain('sensors-sources.csv');
    w.unmount();
  });

  it('sets the sequence number with session.update', async () => {
    const { w, bridge } = setup('zh-CN');
    await flushPromises();
    expect(w.find('table').attributes('aria-label')).toBe('来源');
    await w.find('[role="checkbox"]').trigger('click');
    await w.find('input[aria-label="序号偏移（字节）"]').setValue('2');
    await w.findAll('button').find((b) => b.text() === '应用序号设置')?.trigger('click');
    await flushPromises();
    const calls = bridge.callsOf('session.update') as Array<{ options: { sequence: unknown } }>;
    expect(calls.map((c) => c.options)).toEqual([{ sequence: { offset: 2, width: 4, endian: 'be' } }]);
    w.unmount();
  });
});
