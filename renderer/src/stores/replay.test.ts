import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { ok, err, zeroCounters } from '../../../shared/protocol';
import type { CommandResults, DataEvent, Endpoint, NetEvent, Result, SessionInfo } from '../../../shared/protocol';
import { FakeBridge } from './fake-bridge.test-util';
import { useLogStore } from './logs';
import { useSessionsStore } from './sessions';

const A: Endpoint = { address: '127.0.0.1', port: 5000, family: 'IPv4' };
const enc = new TextEncoder();
const flush = () => new Promise((r) => setTimeout(r, 0));

function info(sessionId: string): SessionInfo {
  return {
    sessionId,
    kind: 'tcp-server',
    name: sessionId,
    config: { kind: 'tcp-server', host: '0.0.0.0', port: 0, maxClients: 0, noDelay: true, keepAlive: false, rxEncoding: 'utf-8', framing: { kind: 'raw' } },
    state: 'listening',
    history: [],
    peers: [],
    counters: zeroCounters(),
    groups: [],
    createdAt: 1,
  };
}

const data = (seq: number, sessionId = 's1'): DataEvent => ({
  type: 'data',
  ts: 1000 + seq,
  sessionId,
  seq,
  dir: seq % 2 ? 'rx' : 'tx',
  remote: A,
  bytes: enc.encode(`m${seq}`),
  text: `m${seq}`,
});
const range = (from: number, to: number, sessionId = 's1') =>
  Array.from({ length: to - from + 1 }, (_, i) => data(from + i, sessionId));
const status = (reason: string, sessionId = 's1'): NetEvent => ({
  type: 'session.status',
  ts: 5,
  sessionId,
  status: { state: 'listening', reason, ts: 5 },
});

type History = Result<CommandResults['session.history']>;

/** A session.history answer the test releases by hand. */
function deferred() {
  let release!: (r: History) => void;
  const promise = new Promise<History>((r) => (release = r));
  return { promise, release };
}

const texts = (id = 's1') => {
  const ring = useLogStore().ringOf(id);
  return Array.from({ length: ring.size }, (_, i) => ring.at(i)!.text);
};

function setup(sessions: SessionInfo[] = [info('s1')]) {
  const bridge = new FakeBridge();
  const store = useSessionsStore();
  store.connect(bridge, { rates: false });
  bridge.on('session.list', () => ok(sessions));
  return { bridge, store, logs: useLogStore() };
}

describe('log replay after a (re)connect', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('a page opened on a running host shows the recent rows, then live rows, each once and in order', async () => {
    const { bridge } = setup();
    const h = deferred();
    bridge.on('session.history', () => h.promise);
    bridge.emit([data(1)]); // arrives before the re-sync: the history holds it too
    bridge.setState('open');
    await flush();
    expect(bridge.callsOf('session.history')).toEqual([{ sessionId: 's1', limit: 1000 }]);
    // live events while the history request is pending: some are in the history too
    bridge.emit([data(3), data(4)]);
    bridge.emit([data(5)]);
    h.release(ok({ events: range(1, 4) }));
    await flush();
    expect(texts()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    bridge.emit([data(6)]);
    expect(texts()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
  });

  it('after a reconnect the view is rebuilt from the history: no row twice, none out of order', async () => {
    const { bridge } = setup();
    bridge.on('session.history', () => ok({ events: [] }));
    bridge.setState('open');
    await flush();
    bridge.emit([status('Listening'), ...range(1, 5)]);
    expect(texts()).toEqual(['Listening', 'm1', 'm2', 'm3', 'm4', 'm5']);

    bridge.setState('closed'); // rows 6 and 7 are lost on the wire
    const h = deferred();
    bridge.on('session.history', () => h.promise);
    bridge.setState('open');
    await flush();
    bridge.emit([data(8), status('still here')]);
    bridge.emit([data(7)]); // late delivery of a row the history holds
    h.release(ok({ events: range(3, 8) }));
    await flush();
    // info rows are not replayed; the one that came during the replay stays
    expect(texts()).toEqual(['m3', 'm4', 'm5', 'm6', 'm7', 'm8', 'still here']);
    bridge.emit([data(8), data(2), data(9), data(9)]); // duplicates and stale rows are ignored
    expect(texts()).toEqual(['m3', 'm4', 'm5', 'm6', 'm7', 'm8', 'still here', 'm9']);
  });

  it('replays every session on its own', async () => {
    const { bridge } = setup([info('s1'), info('s2')]);
    bridge.on('session.history', ({ sessionId }) => ok({ events: sessionId === 's1' ? range(1, 2, 's1') : range(7, 9, 's2') }));
    bridge.setState('open');
    await flush();
    expect(texts('s1')).toEqual(['m1', 'm2']);
    expect(texts('s2')).toEqual(['m7', 'm8', 'm9']);
  });

  it('keeps the rows it has and adds the held ones when the history request fails', async () => {
    const { bridge } = setup();
    bridge.on('session.history', () => ok({ events: [] }));
    bridge.setState('open');
    await flush();
    bridge.emit(range(1, 2));
    const h = deferred();
    bridge.on('session.history', () => h.promise);
    bridge.setState('open');
    await flush();
    bridge.emit([data(3)]);
    expect(texts()).toEqual(['m1', 'm2']);
    h.release(err('INTERNAL', 'gone'));
    await flush();
    expect(texts()).toEqual(['m1', 'm2', 'm3']);
  });

  it('a session removed while its history is pending stays gone', async () => {
    const { bridge, logs } = setup();
    const h = deferred();
    bridge.on('session.history', () => h.promise);
    bridge.setState('open');
    await flush();
    bridge.emit([data(1), { type: 'session.removed', ts: 9, sessionId: 's1' }]);
    h.release(ok({ events: range(1, 1) }));
    await flush();
    expect(useSessionsStore().get('s1')).toBeUndefined();
    expect(logs.ringOf('s1').size).toBe(0);
  });

  it('an older replay answering after a newer one changes nothing', async () => {
    const { bridge } = setup();
    const first = deferred();
    const second = deferred();
    const answers = [first.promise, second.promise];
    bridge.on('session.history', () => answers.shift()!);
    bridge.setState('open');
    await flush();
    bridge.emit([data(1)]);
    bridge.setState('open');
    await flush();
    bridge.emit([data(2)]);
    second.release(ok({ events: range(1, 2) }));
    await flush();
    first.release(ok({ events: range(1, 1) }));
    await flush();
    expect(texts()).toEqual(['m1', 'm2']);
  });
});
