// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ok, type NetEvent, type SessionInfo } from '../../../shared/protocol';
import { useAutomationStore } from './automation';
import { SPILL_KEY, useRecordingStore } from './recording';
import { FakeBridge } from './fake-bridge.test-util';
import { useLogStore } from './logs';
import { useProfilesStore } from './profiles';
import { useEventRouter } from './router';
import { useSessionsStore } from './sessions';
import { sessionInfo } from './session-info.test-util';

const info = (id: string): SessionInfo => sessionInfo({ kind: 'tcp-server', host: '127.0.0.1', port: 0 }, { sessionId: id });
const opened = (i: SessionInfo): NetEvent => ({ type: 'session.opened', ts: 1, sessionId: i.sessionId, info: i });

describe('the event router', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('hands each batch to sessions, then logs, automation and recording, in that order', () => {
    const bridge = new FakeBridge();
    const order: string[] = [];
    vi.spyOn(useSessionsStore(), 'apply').mockImplementation(() => void order.push('sessions'));
    vi.spyOn(useLogStore(), 'apply').mockImplementation(() => void order.push('logs'));
    vi.spyOn(useAutomationStore(), 'apply').mockImplementation(() => void order.push('automation'));
    vi.spyOn(useRecordingStore(), 'apply').mockImplementation(() => void order.push('recording'));
    useEventRouter().connect(bridge, { rates: false });
    bridge.emit([opened(info('s1'))]);
    expect(order).toEqual(['sessions', 'logs', 'automation', 'recording']);
  });

  it('removes a closed session from every store once, and the engine’s later session.removed changes nothing', async () => {
    const bridge = new FakeBridge();
    useEventRouter().connect(bridge, { rates: false });
    bridge.emit([opened(info('s1')), opened(info('s2'))]);
    const logApply = vi.spyOn(useLogStore(), 'apply');
    const removals = () => logApply.mock.calls.flatMap((c) => [...c[0]]).filter((e) => e.type === 'session.removed');
    bridge.on('session.close', () => ok(null));
    expect(useLogStore().knows('s2')).toBe(true);
    await useSessionsStore().close('s2');
    // gone from every store at once, by one removal through the router
    expect(useSessionsStore().get('s2')).toBeUndefined();
    expect(useLogStore().knows('s2')).toBe(false);
    expect(removals()).toHaveLength(1);
    // the engine's own session.removed comes later and finds nothing left
    bridge.emit([{ type: 'session.removed', ts: 2, sessionId: 's2' }]);
    expect(useSessionsStore().list.map((s) => s.sessionId)).toEqual(['s1']);
    expect(useSessionsStore().activeId).toBe('s1');
  });

  it('one re-sync per open: the list, each view at its tail, schedules, the record limit, and the workspace offer the first time only', async () => {
    const bridge = new FakeBridge();
    localStorage.setItem(SPILL_KEY, String(256 * 1024 * 1024));
    bridge.on('session.list', () => ok([]));
    bridge.on('schedule.list', () => ok([]));
    bridge.on('spill.configure', (a) => ok({ limitBytes: (a as { limitBytes: number }).limitBytes }));
    bridge.on('workspace.get', () => ok(null));
    const check = vi.spyOn(useProfilesStore(), 'checkWorkspace');
    const router = useEventRouter();
    router.connect(bridge, { rates: false });
    bridge.setState('open');
    await vi.waitFor(() => expect(check).toHaveBeenCalledTimes(1));
    await vi.waitFor(() => expect(router.syncing).toBe(false));
    const first = bridge.calls.map((c) => c.cmd);
    expect(first[0]).toBe('session.list');
    expect(first).toEqual(expect.arrayContaining(['schedule.list', 'spill.configure', 'workspace.get']));
    bridge.setState('closed');
    bridge.setState('open');
    await vi.waitFor(() => expect(bridge.callsOf('session.list')).toHaveLength(2));
    await vi.waitFor(() => expect(router.syncing).toBe(false));
    expect(check).toHaveBeenCalledTimes(1);
    expect(bridge.callsOf('workspace.get')).toHaveLength(1);
  });
});
