// @vitest-environment happy-dom
/**
 * The hit log from the peer list: a button per client opens that client's
 * log (rules.hits with its peer id), the rows show rule, message and state
 * transition, and a grown hit count in rules.stats reads the log again.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { ok, ruleSetSchema, zeroCounters, type PeerHitLog, type RuleHit } from '../../../shared/protocol';
import { createAppI18n } from '../i18n';
import { FakeBridge } from '../stores/fake-bridge.test-util';
import { openedEvent, serverInfo } from '../stores/automation.test-util';
import { useEventRouter } from '../stores/router';
import PeerList from './PeerList.vue';

const rules = ruleSetSchema.parse({
  greeting: { template: '220 hi' },
  rules: [{ id: 'user', name: 'USER', match: { kind: 'regex', pattern: '^USER (\\S+)' }, reply: { template: '331' }, set: [{ name: 'user', value: '$1' }], then: 'user' }],
});
const peer = { peerId: 'p7', remote: { address: '10.0.0.5', port: 50123, family: 'IPv4' as const }, connectedAt: 1, counters: zeroCounters(), ruleState: 'user' };
const hit = (h: Partial<RuleHit>): RuleHit => ({ at: Date.UTC(2026, 0, 1, 9, 30), text: '', from: 'start', to: 'start', ...h });

function mountList(log: () => PeerHitLog) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const bridge = new FakeBridge();
  bridge.on('rules.hits', (a) => {
    const l = log();
    return ok(a.peer === undefined ? [{ ...l, hits: l.hits.slice(-1) }] : a.peer === l.peer ? [l] : []);
  });
  useEventRouter().connect(bridge, { rates: false });
  bridge.emit([openedEvent({ ...serverInfo('s1'), rules, peers: [peer] })]);
  const w = mount(PeerList, { props: { sessionId: 's1' }, global: { plugins: [pinia, createAppI18n('en')] }, attachTo: document.body });
  return { w, bridge };
}

const rows = (): string[][] =>
  [...document.body.querySelectorAll('[data-testid="hit-row"]')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''));

describe('the hit log', () => {
  it("opens from a client's row and shows what the rules did, with the state before → after", async () => {
    let hits: RuleHit[] = [
      hit({ ruleId: '@greeting', n: 0 }),
      hit({ ruleId: 'user', n: 1, name: 'USER', text: 'USER alice', to: 'user', set: { user: 'alice' } }),
    ];
    const { w, bridge } = mountList(() => ({ peer: 'p7', addr: '10.0.0.5:50123', state: hits.at(-1)!.to, total: hits.length, hits }));
    const open = [...document.body.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === 'Hit log of 10.0.0.5:50123');
    expect(open).toBeDefined();
    open!.click();
    await flushPromises();
    expect(bridge.callsOf('rules.hits')).toEqual([{ sessionId: 's1' }, { sessionId: 's1', peer: 'p7' }]);
    expect(document.body.querySelector('[role="dialog"], .n-modal')?.textContent).toContain('Hit log · s1');
    expect(rows().map((r) => r.slice(1))).toEqual([
      ['Greeting', '', 'start', ''],
      ['#1 USER', 'USER alice', 'start → user', 'user = alice'],
    ]);
    // a message no rule matched, then the engine's counter says there is more
    hits = [...hits, hit({ text: 'RETR x', from: 'user', to: 'user' })];
    bridge.emit([{ type: 'rules.stats', ts: 2, sessionId: 's1', stats: [], hits: 3 }]);
    await flushPromises();
    expect(rows().at(-1)?.slice(1)).toEqual(['no rule matched', 'RETR x', 'user', '']);
    expect(bridge.callsOf('rules.hits')).toHaveLength(4);
    w.unmount();
  });

  it('has no button while the session has no reply rules', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const bridge = new FakeBridge();
    useEventRouter().connect(bridge, { rates: false });
    bridge.emit([openedEvent({ ...serverInfo('s2'), peers: [peer] })]);
    const w = mount(PeerList, { props: { sessionId: 's2' }, global: { plugins: [pinia, createAppI18n('en')] }, attachTo: document.body });
    await flushPromises();
    expect(w.text()).toContain('10.0.0.5:50123');
    expect(w.find('button[aria-label^="Hit log"]').exists()).toBe(false);
    w.unmount();
  });
});
