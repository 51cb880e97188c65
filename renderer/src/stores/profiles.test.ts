// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { nextTick } from 'vue';
import { err, ok, PROFILE_VERSION, type Profile, type SessionInfo } from '../../../shared/protocol';
import { FakeBridge } from './fake-bridge.test-util';
import { openedEvent, serverInfo } from './automation.test-util';
import { useAutomationStore } from './automation';
import { useProfilesStore, WORKSPACE_DEBOUNCE_MS } from './profiles';
import { useSessionsStore } from './sessions';
import { useEventRouter } from './router';

const flush = async () => {
  for (let i = 0; i < 50; i++) await Promise.resolve();
  await nextTick();
};

function workspace(n: number): Profile {
  return {
    wirebench: 'profile',
    version: PROFILE_VERSION,
    name: 'workspace',
    sessions: Array.from({ length: n }, (_, i) => ({
      config: serverInfo(`w${i}`).config,
      quickCommands: [{ name: `Q${i}`, payload: { kind: 'hex' as const, hex: '0A' } }],
      sequences: [],
    })),
  };
}

function setup(live: SessionInfo[], saved: Profile | null) {
  const bridge = new FakeBridge();
  bridge.on('session.list', () => ok(live));
  bridge.on('workspace.get', () => ok(saved));
  bridge.on('workspace.save', () => ok(null));
  const sessions = useSessionsStore();
  useEventRouter().connect(bridge, { rates: false });
  const automation = useAutomationStore();
  const profiles = useProfilesStore();
  return { bridge, sessions, automation, profiles };
}

describe('profiles store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.useRealTimers());

  it('builds a profile from the live sessions with their rules, quick commands and sequences', () => {
    const { bridge, automation, profiles } = setup([], null);
    const rules = { echo: true, rules: [] };
    bridge.emit([openedEvent(serverInfo('s2')), openedEvent({ ...serverInfo('s1'), rules })]);
    automation.putQuick('s1', { name: 'PING', payload: { kind: 'hex', hex: '01' } });
    automation.putSequence('s2', { name: 'seq', items: [{ payload: { kind: 'hex', hex: '02' }, delayMs: 5 }], loop: false });
    const p = profiles.buildProfile('Bench', 'two servers');
    expect(p).toMatchObject({ wirebench: 'profile', version: PROFILE_VERSION, name: 'Bench', description: 'two servers' });
    // creation order, not event order
    expect(p.sessions.map((s) => s.quickCommands.map((q) => q.name))).toEqual([['PING'], []]);
    expect(p.sessions[0]?.rules).toEqual(rules);
    expect(p.sessions[1]?.sequences[0]?.name).toBe('seq');
  });

  it('opens a profile and gives quick commands and sequences to its sessions, matched by order', async () => {
    const { bridge, automation, profiles } = setup([], null);
    const prof = workspace(2);
    bridge.on('profile.get', () => ok(prof));
    bridge.on('profile.apply', () => ok([serverInfo('n1'), serverInfo('n2')]));
    const r = await profiles.open('bench');
    expect(r.ok).toBe(true);
    expect(bridge.callsOf('profile.apply')).toEqual([{ profile: prof }]);
    expect(automation.quickOf('n1')[0]?.name).toBe('Q0');
    expect(automation.quickOf('n2')[0]?.name).toBe('Q1');
  });

  it('reports a bad import and changes nothing', async () => {
    const { bridge, profiles } = setup([], null);
    bridge.on('profile.import', () => err('INVALID_ARGUMENT', 'sessions.0.config.port: port must be between 0 and 65535'));
    bridge.on('profile.list', () => ok([]));
    const r = await profiles.importJson('{"wirebench":"profile"}');
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toContain('port must be');
    expect(bridge.callsOf('profile.list')).toHaveLength(0);
  });

  it('offers the last workspace when nothing is open, and saves nothing until the offer is settled', async () => {
    vi.useFakeTimers();
    const { bridge, profiles } = setup([], workspace(3));
    profiles.start();
    bridge.setState('open');
    await flush();
    expect(profiles.offer?.sessions).toHaveLength(3);
    expect(profiles.autosave).toBe(false);
    bridge.emit([openedEvent(serverInfo('s1'))]);
    await flush();
    vi.advanceTimersByTime(WORKSPACE_DEBOUNCE_MS * 2);
    expect(bridge.callsOf('workspace.save')).toHaveLength(0);
    bridge.on('profile.apply', () => ok([serverInfo('a1'), serverInfo('a2'), serverInfo('a3')]));
    const r = await profiles.reopenOffer();
    expect(r?.ok).toBe(true);
    expect(profiles.offer).toBeNull();
    expect(profiles.autosave).toBe(true);
  });

  it('gives quick commands back to the live sessions of a reloaded page', async () => {
    const { bridge, automation, profiles } = setup([serverInfo('s1'), serverInfo('s2')], workspace(2));
    profiles.start();
    bridge.setState('open');
    await vi.waitFor(() => expect(automation.quickOf('s2')[0]?.name).toBe('Q1'));
    expect(profiles.offer).toBeNull();
  });

  it('saves the workspace about a second after a change, once per real change', async () => {
    vi.useFakeTimers();
    const { bridge, automation, profiles } = setup([], null);
    profiles.start();
    bridge.setState('open');
    await flush();
    expect(profiles.autosave).toBe(true);
    bridge.emit([openedEvent(serverInfo('s1'))]);
    automation.putQuick('s1', { name: 'A', payload: { kind: 'hex', hex: '01' } });
    await flush();
    vi.advanceTimersByTime(WORKSPACE_DEBOUNCE_MS - 100);
    expect(bridge.callsOf('workspace.save')).toHaveLength(0);
    vi.advanceTimersByTime(200);
    await flush();
    const saves = bridge.callsOf('workspace.save') as { profile: Profile }[];
    expect(saves).toHaveLength(1);
    expect(saves[0]?.profile.sessions[0]?.quickCommands[0]?.name).toBe('A');
    // a state change that does not alter the workspace is not saved again
    bridge.emit([{ type: 'session.status', ts: 9, sessionId: 's1', status: { state: 'closed', reason: 'stopped', ts: 9 } }]);
    await flush();
    vi.advanceTimersByTime(WORKSPACE_DEBOUNCE_MS * 2);
    await flush();
    expect(bridge.callsOf('workspace.save')).toHaveLength(1);
  });
});
