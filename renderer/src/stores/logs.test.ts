import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import type { Endpoint, NetEvent } from '../../../shared/protocol';
import { useLogStore } from './logs';
import { useSettingsStore } from './settings';

const enc = new TextEncoder();
const A: Endpoint = { address: '127.0.0.1', port: 5000, family: 'IPv4' };
const B: Endpoint = { address: '::1', port: 6000, family: 'IPv6' };

let seq = 0;
const data = (sessionId: string, text: string, dir: 'rx' | 'tx' = 'rx', remote: Endpoint = A): NetEvent => ({
  type: 'data',
  ts: 1000,
  sessionId,
  seq: ++seq,
  dir,
  peerId: 'p1',
  remote,
  bytes: enc.encode(text),
  text,
});

const rows = (id: string) => {
  const ring = useLogStore().ringOf(id);
  return Array.from({ length: ring.size }, (_, i) => ring.at(i)!);
};

describe('useLogStore', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
  });

  it('turns data events into rx/tx rows with bytes, text and peer', () => {
    const s = useLogStore();
    s.ingest([data('s1', '你好'), data('s1', 'ping', 'tx', B)]);
    const r = rows('s1');
    expect(r.map((e) => [e.dir, e.text])).toEqual([
      ['rx', '你好'],
      ['tx', 'ping'],
    ]);
    expect(r[0]!.bytes).toEqual(enc.encode('你好'));
    expect(r[0]!.peerId).toBe('p1');
    expect(r[1]!.remote).toEqual(B);
    expect(r[0]!.seq).toBeLessThan(r[1]!.seq);
    expect(s.peersOf('s1')).toEqual(['127.0.0.1:5000', '[::1]:6000']);
  });

  it('turns error, status and peer events into error/info rows', () => {
    const s = useLogStore();
    s.ingest([
      { type: 'session.status', ts: 1, sessionId: 's1', status: { state: 'listening', reason: 'Listening on 0.0.0.0:8080', ts: 1 } },
      { type: 'peer.joined', ts: 2, sessionId: 's1', peer: { peerId: 'p1', remote: A, connectedAt: 2, counters: { rxBytes: 0, txBytes: 0, rxMessages: 0, txMessages: 0 } } },
      { type: 'error', ts: 3, sessionId: 's1', code: 'CONNECTION_RESET', message: 'The client reset the connection', sysCode: 'ECONNRESET' },
      { type: 'peer.left', ts: 4, sessionId: 's1', peerId: 'p1', remote: B, reason: 'closed by the client' },
    ]);
    const r = rows('s1');
    expect(r.map((e) => e.dir)).toEqual(['info', 'info', 'error', 'info']);
    expect(r[0]!.text).toBe('Listening on 0.0.0.0:8080');
    expect(r[1]!.text).toBe('127.0.0.1:5000 connected');
    expect(r[2]!.text).toBe('The client reset the connection (ECONNRESET)');
    expect(r[3]!.text).toBe('[::1]:6000 disconnected: closed by the client');
  });

  it('uses installed phrases for peer rows', () => {
    const s = useLogStore();
    s.setPhrases({ peerJoined: (p) => `${p} 已连接`, peerLeft: (p) => `${p} 已断开`, reason: (r) => r });
    s.ingest([{ type: 'peer.joined', ts: 2, sessionId: 's1', peer: { peerId: 'p1', remote: A, connectedAt: 2, counters: { rxBytes: 0, txBytes: 0, rxMessages: 0, txMessages: 0 } } }]);
    expect(rows('s1')[0]!.text).toBe('127.0.0.1:5000 已连接');
  });

  it('counts view.dropped without adding rows, and ignores counters/session events', () => {
    const s = useLogStore();
    s.ingest([
      { type: 'view.dropped', ts: 1, sessionId: 's1', messages: 10, bytes: 100 },
      { type: 'view.dropped', ts: 2, sessionId: 's1', messages: 5, bytes: 50 },
      { type: 'counters', ts: 3, sessionId: 's1', counters: { rxBytes: 1, txBytes: 0, rxMessages: 1, txMessages: 0 }, peers: {} },
    ]);
    expect(s.dropped('s1')).toEqual({ messages: 15, bytes: 150 });
    expect(rows('s1')).toHaveLength(0);
  });

  it('counts unread data rows of inactive sessions and resets them on activation', () => {
    const s = useLogStore();
    s.setActive('s1');
    s.ingest([data('s1', 'a'), data('s2', 'b'), data('s2', 'c', 'tx')]);
    s.ingest([{ type: 'error', ts: 3, sessionId: 's2', code: 'TIMEOUT', message: 'x' }, data('s2', 'd')]);
    expect(s.unread('s1')).toBe(0);
    expect(s.unread('s2')).toBe(3);
    s.setActive('s2');
    expect(s.unread('s2')).toBe(0);
    s.ingest([data('s1', 'e')]);
    expect(s.unread('s1')).toBe(1);
  });

  it('never duplicates rows: each event makes exactly one row, and a re-sync adds none', () => {
    const s = useLogStore();
    const batch = [data('s1', 'one'), data('s1', 'two')];
    s.ingest(batch);
    // a transport reconnect re-lists sessions; nothing in the log store reads SessionInfo
    s.ingest([
      { type: 'session.updated', ts: 5, sessionId: 's1', info: {} as never },
      { type: 'session.opened', ts: 5, sessionId: 's1', info: {} as never },
    ]);
    expect(rows('s1').map((e) => e.text)).toEqual(['one', 'two']);
  });

  it('bumps the version at most once per frame and at once on flush', async () => {
    const s = useLogStore();
    const v0 = s.version('s1');
    s.ingest([data('s1', 'a')]);
    s.ingest([data('s1', 'b')]);
    expect(s.version('s1')).toBe(v0);
    s.flush();
    expect(s.version('s1')).toBe(v0 + 1);
    s.ingest([data('s1', 'c')]);
    await new Promise((r) => setTimeout(r, 40));
    expect(s.version('s1')).toBe(v0 + 2);
  });

  it('clear empties the ring; remove forgets the session; session.removed removes', () => {
    const s = useLogStore();
    s.ingest([data('s1', 'a'), data('s2', 'b'), { type: 'view.dropped', ts: 1, sessionId: 's1', messages: 1, bytes: 1 }]);
    const v = s.version('s1');
    s.clear('s1');
    expect(rows('s1')).toHaveLength(0);
    expect(s.dropped('s1').messages).toBe(0);
    expect(s.version('s1')).toBeGreaterThan(v);
    s.remove('s2');
    expect(s.unread('s2')).toBe(0);
    expect(rows('s2')).toHaveLength(0);
    s.ingest([data('s3', 'x'), { type: 'session.removed', ts: 2, sessionId: 's3' }]);
    expect(s.unread('s3')).toBe(0);
    expect(rows('s3')).toHaveLength(0);
  });

  it('pause freezes the view bound while rows keep arriving', () => {
    const s = useLogStore();
    s.ingest([data('s1', 'a'), data('s1', 'b')]);
    s.setPaused('s1', true);
    expect(s.paused('s1')).toBe(true);
    const at = s.pausedAt('s1');
    s.ingest([data('s1', 'c')]);
    expect(s.ringOf('s1').size).toBe(3);
    expect(s.pausedAt('s1')).toBe(at);
    expect(s.ringOf('s1').bySeq(at!)!.text).toBe('b');
    s.setPaused('s1', false);
    expect(s.pausedAt('s1')).toBeNull();
  });

  it('applies the cap from settings, and follows changes', async () => {
    const settings = useSettingsStore();
    settings.update({ logCap: 1000 });
    const s = useLogStore();
    s.ingest(Array.from({ length: 1500 }, (_, i) => data('s1', String(i))));
    expect(s.ringOf('s1').size).toBe(1000);
    expect(s.ringOf('s1').evicted).toBe(500);
    settings.update({ logCap: 2000 });
    await nextTick();
    expect(s.ringOf('s1').capacity).toBe(2000);
  });

  it('keeps a display mode per view', () => {
    const s = useLogStore();
    expect(s.mode('s1')).toBe('both');
    s.setMode('s1', 'hex');
    expect(s.mode('s1')).toBe('hex');
    expect(s.mode('s2')).toBe('both');
  });
});
