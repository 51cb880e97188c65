// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { ok, err, zeroCounters } from '../../../shared/protocol';
import type { Endpoint, LogRow, NetEvent, PeerInfo, SessionConfigInput, SessionInfo, SessionKind } from '../../../shared/protocol';
import { FakeBridge, FakeLog } from './fake-bridge.test-util';
import { useBridgeStore } from './bridge';
import { OPEN_ROWS, useLogStore } from './logs';
import { useSessionsStore } from './sessions';
import { useEventRouter } from './router';
import { sessionInfo } from './session-info.test-util';

const ep = (address: string, port: number): Endpoint => ({ address, port, family: 'IPv4' });

const CONFIG: Record<SessionKind, SessionConfigInput> = {
  'tcp-server': { kind: 'tcp-server', port: 0 },
  udp: { kind: 'udp' },
  'tcp-client': { kind: 'tcp-client', host: '127.0.0.1', port: 9 },
};

function info(sessionId: string, kind: SessionKind = 'tcp-server', extra: Partial<SessionInfo> = {}): SessionInfo {
  return sessionInfo(CONFIG[kind], { sessionId, state: 'idle', ...extra });
}

const peer = (peerId: string, port: number): PeerInfo => ({ peerId, remote: ep('127.0.0.1', port), connectedAt: 5, counters: zeroCounters() });
const opened = (i: SessionInfo): NetEvent => ({ type: 'session.opened', ts: 1, sessionId: i.sessionId, info: i });
const flush = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const bridge = new FakeBridge();
  const sessions = useSessionsStore();
  const logs = useLogStore();
  const apply = vi.spyOn(logs, 'apply');
  const remove = vi.spyOn(logs, 'remove');
  useEventRouter().connect(bridge, { rates: false });
  return { bridge, sessions, logs, apply, remove };
}

describe('sessions store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
  });

  it('applies session.opened, makes the first session active, and the router hands the whole batch to the log store', () => {
    const { bridge, sessions, apply } = setup();
    const batch = [opened(info('s1')), opened(info('s2'))];
    bridge.emit(batch);
    expect(sessions.list.map((s) => s.sessionId)).toEqual(['s1', 's2']);
    expect(sessions.activeId).toBe('s1');
    expect(apply).toHaveBeenCalledTimes(1);
    expect(apply).toHaveBeenCalledWith(batch);
  });

  it('records status changes with their reason, the bound endpoint, and no duplicate status-log entry', () => {
    const { bridge, sessions } = setup();
    bridge.emit([opened(info('s1'))]);
    const status = { state: 'listening' as const, reason: 'Listening on 0.0.0.0:40001', ts: 10 };
    bridge.emit([{ type: 'session.status', ts: 10, sessionId: 's1', status, local: ep('0.0.0.0', 40001) }]);
    bridge.emit([{ type: 'session.status', ts: 10, sessionId: 's1', status }]);
    const s = sessions.get('s1');
    expect(s?.state).toBe('listening');
    expect(s?.local?.port).toBe(40001);
    expect(s?.statusLog).toEqual([status]);
  });

  it('changes only the session an event is about (copy-on-write)', () => {
    const { bridge, sessions } = setup();
    bridge.emit([opened(info('s1')), opened(info('s2'))]);
    const before = sessions.get('s2');
    bridge.emit([{ type: 'session.status', ts: 2, sessionId: 's1', status: { state: 'closed', reason: 'stopped', ts: 2 } }]);
    expect(sessions.get('s2')).toBe(before);
    expect(sessions.get('s1')?.state).toBe('closed');
  });

  it('tracks peers and drops a send target whose peer left', () => {
    const { bridge, sessions } = setup();
    bridge.emit([opened(info('s1')), { type: 'peer.joined', ts: 2, sessionId: 's1', peer: peer('p1', 5001) }]);
    bridge.emit([{ type: 'peer.joined', ts: 3, sessionId: 's1', peer: peer('p2', 5002) }]);
    sessions.setSendTarget('s1', { kind: 'peer', peerId: 'p1' });
    expect(sessions.sendTarget('s1')).toEqual({ kind: 'peer', peerId: 'p1' });
    bridge.emit([{ type: 'peer.left', ts: 4, sessionId: 's1', peerId: 'p1', remote: ep('127.0.0.1', 5001), reason: 'closed by peer' }]);
    expect(sessions.get('s1')?.peers.map((p) => p.peerId)).toEqual(['p2']);
    expect(sessions.sendTarget('s1')).toEqual({ kind: 'default' });
  });

  it('keeps exact counters per session and per peer, and computes byte rates from deltas', () => {
    const { bridge, sessions } = setup();
    bridge.emit([opened(info('s1')), { type: 'peer.joined', ts: 2, sessionId: 's1', peer: peer('p1', 5001) }]);
    sessions.tickRates(1000);
    const c = { rxBytes: 2048, txBytes: 512, rxMessages: 4, txMessages: 1 };
    bridge.emit([{ type: 'counters', ts: 3, sessionId: 's1', counters: c, peers: { p1: c } }]);
    expect(sessions.countersOf('s1')).toEqual(c);
    expect(sessions.peerCounters('s1', 'p1')).toEqual(c);
    sessions.tickRates(3000);
    expect(sessions.rateOf('s1')).toEqual({ rx: 1024, tx: 256 });
    // a reset (counters go down) never shows a negative rate
    bridge.emit([{ type: 'counters', ts: 4, sessionId: 's1', counters: zeroCounters(), peers: {} }]);
    sessions.tickRates(4000);
    expect(sessions.rateOf('s1')).toEqual({ rx: 0, tx: 0 });
  });

  it('remembers a UDP session\'s last sender from the newest received row of a tail, without re-rendering for the same sender', () => {
    const { bridge, sessions } = setup();
    bridge.emit([opened(info('u1', 'udp'))]);
    let seq = 0;
    const row = (dir: 'rx' | 'tx', port: number): LogRow => ({
      seq: ++seq, ts: 5, dir, remote: ep('127.0.0.1', port), size: 1, bytes: new Uint8Array([1]), text: '\x01',
    });
    const tail = (...rows: LogRow[]): NetEvent => ({ type: 'log.tail', ts: 5, sessionId: 'u1', rows, skipped: 0, firstSeq: 1, lastSeq: seq });
    bridge.emit([tail(row('rx', 6999), row('rx', 7000), row('tx', 9000))]);
    const first = sessions.get('u1');
    expect(first?.lastSender).toEqual(ep('127.0.0.1', 7000));
    bridge.emit([tail(row('rx', 7000))]);
    expect(sessions.get('u1')).toBe(first);
    bridge.emit([tail(row('rx', 7001))]);
    expect(sessions.get('u1')?.lastSender?.port).toBe(7001);
  });

  it('on session.removed forgets the session, tells the log store and activates another one', () => {
    const { bridge, sessions } = setup();
    bridge.emit([opened(info('s1')), opened(info('s2'))]);
    sessions.setActive('s2');
    expect(useLogStore().knows('s2')).toBe(true);
    bridge.emit([{ type: 'session.removed', ts: 9, sessionId: 's2' }]);
    expect(sessions.get('s2')).toBeUndefined();
    expect(useLogStore().knows('s2')).toBe(false);
    expect(sessions.activeId).toBe('s1');
  });

  it('re-syncs from session.list on every open state and drops sessions the engine no longer has', async () => {
    const { bridge, sessions } = setup();
    bridge.emit([opened(info('s1')), opened(info('s2'))]);
    sessions.setActive('s2');
    let listed = [info('s1', 'tcp-server', { state: 'listening' }), info('s3', 'udp')];
    bridge.on('session.list', () => ok(listed));
    bridge.setState('open');
    await flush();
    expect(sessions.list.map((s) => s.sessionId)).toEqual(['s1', 's3']);
    expect(sessions.get('s1')?.state).toBe('listening');
    expect(useLogStore().knows('s2')).toBe(false);
    expect(sessions.activeId).toBe('s3');

    bridge.setState('closed');
    listed = [info('s3', 'udp')];
    bridge.setState('open');
    await flush();
    expect(bridge.callsOf('session.list')).toHaveLength(2);
    expect(sessions.list.map((s) => s.sessionId)).toEqual(['s3']);
    expect(sessions.activeId).toBe('s3');
  });

  it('after a re-sync each session\'s log view opens at the tail (one log.read each), with no history replay', async () => {
    const { bridge, logs } = setup();
    const record = new FakeLog(bridge);
    record.append('s1', ...Array.from({ length: 300 }, (_, i) => ({ dir: 'rx' as const, bytes: `m${i + 1}` })));
    bridge.on('session.list', () => ok([info('s1', 'tcp-server', { log: record.bounds('s1') })]));
    bridge.setState('open');
    await vi.waitFor(() => expect(useEventRouter().syncing).toBe(false));
    expect(bridge.callsOf('log.read')).toEqual([{ sessionId: 's1', count: OPEN_ROWS }]);
    expect(logs.bounds('s1')).toEqual({ firstSeq: 1, lastSeq: 300 });
    expect(logs.row('s1', 300)?.text).toBe('m300');
    // the session list, then one read per view; nothing replays history
    expect(bridge.calls.map((c) => c.cmd).filter((c) => c === 'session.list' || c.startsWith('log.'))).toEqual(['session.list', 'log.read']);
  });

  it('open() returns the engine\'s refusal to the caller without a notification, and activates a new session', async () => {
    const { bridge, sessions } = setup();
    const notify = vi.fn();
    useBridgeStore().setNotifier({ error: notify, notice: vi.fn() });
    bridge.on('session.open', () => err('ADDRESS_IN_USE', 'Port 8080 is already in use on 0.0.0.0', { sysCode: 'EADDRINUSE' }));
    const refused = await sessions.open({ kind: 'tcp-server', port: 8080 });
    expect(refused).toMatchObject({ ok: false, code: 'ADDRESS_IN_USE' });
    expect(notify).not.toHaveBeenCalled();

    bridge.on('session.open', () => ok(info('s7')));
    const r = await sessions.open({ kind: 'tcp-server', port: 0 });
    expect(r.ok).toBe(true);
    expect(sessions.activeId).toBe('s7');
  });

  it('shows a failed command to the user with what was attempted', async () => {
    const { bridge, sessions } = setup();
    const notify = vi.fn();
    useBridgeStore().setNotifier({ error: notify, notice: vi.fn() });
    bridge.emit([opened(info('c1', 'tcp-client'))]);
    bridge.on('session.start', () => err('CONNECTION_REFUSED', 'Connection refused by 127.0.0.1:9'));
    const r = await sessions.start('c1', 'Connect · c1');
    expect(r.ok).toBe(false);
    expect(notify).toHaveBeenCalledWith(expect.objectContaining({ code: 'CONNECTION_REFUSED' }), 'Connect · c1');
  });

  it('close() removes the session at once; update() keeps the new config from the answer', async () => {
    const { bridge, sessions } = setup();
    bridge.emit([opened(info('s1')), opened(info('s2'))]);
    const changed = info('s1');
    changed.config = { ...changed.config, rxEncoding: 'gbk' };
    bridge.on('session.update', () => ok(changed));
    await sessions.update('s1', { rxEncoding: 'gbk' });
    expect(sessions.get('s1')?.config.rxEncoding).toBe('gbk');
    bridge.on('session.close', () => ok(null));
    await sessions.close('s1');
    expect(sessions.get('s1')).toBeUndefined();
    expect(useLogStore().knows('s1')).toBe(false);
    expect(sessions.activeId).toBe('s2');
  });

  it('app notices: a set-aside file is shown to the user, RESYNC re-reads the session list', async () => {
    const { bridge } = setup();
    const notice = vi.fn();
    useBridgeStore().setNotifier({ error: vi.fn(), notice });
    bridge.on('session.list', () => ok([]));
    const set = { code: 'FILE_SET_ASIDE' as const, file: '/d/profiles.json', movedTo: '/d/profiles.json.broken-1', reason: 'Unexpected end of JSON input' };
    bridge.emit([{ type: 'app.notice', ts: 1, notice: set }]);
    expect(notice).toHaveBeenCalledWith(set);
    const before = bridge.calls.filter((c) => c.cmd === 'session.list').length;
    bridge.emit([{ type: 'app.notice', ts: 2, notice: { code: 'RESYNC' } }]);
    await vi.waitFor(() => expect(bridge.calls.filter((c) => c.cmd === 'session.list').length).toBe(before + 1));
    expect(notice).toHaveBeenCalledTimes(1);
  });

  it('a Bridge that throws still yields a Result', async () => {
    const { bridge } = setup();
    vi.spyOn(bridge, 'request').mockRejectedValue(new Error('socket gone'));
    useBridgeStore().setNotifier({ error: () => undefined, notice: () => undefined });
    const r = await useBridgeStore().request('session.list', {});
    expect(r).toEqual({ ok: false, code: 'INTERNAL', message: 'socket gone' });
  });
});
