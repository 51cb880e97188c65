// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { err, ok, type ScheduleInfo, type TransferInfo } from '../../../shared/protocol';
import { FakeBridge } from './fake-bridge.test-util';
import { openedEvent, serverInfo } from './automation.test-util';
import { TRANSFER_CHUNK, useAutomationStore } from './automation';
import { useRecordingStore } from './recording';
import { useComposeStore } from './compose';
import { useSessionsStore } from './sessions';
import { useEventRouter } from './router';

function setup() {
  const bridge = new FakeBridge();
  const sessions = useSessionsStore();
  useEventRouter().connect(bridge, { rates: false });
  const automation = useAutomationStore();
  const compose = useComposeStore();
  bridge.emit([openedEvent(serverInfo('s1'))]);
  return { bridge, sessions, automation, compose };
}

const schedule = (extra: Partial<ScheduleInfo> = {}): ScheduleInfo => ({
  scheduleId: 'p1', sessionId: 's1', kind: 'periodic', sent: 0, total: 3, running: true, startedAt: 10, ...extra,
});
const transfer = (sent: number, extra: Partial<TransferInfo> = {}): TransferInfo => ({
  transferId: 't1', sessionId: 's1', name: 'f.bin', size: 0, sent, done: false, cancelled: false, ...extra,
});

describe('automation store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('keeps quick commands per session and sends one to the current send target', async () => {
    const { bridge, sessions, automation } = setup();
    bridge.on('session.send', () => ok({ bytes: 4, targets: 1, payload: new Uint8Array(4) }));
    const v0 = automation.savedVersion;
    automation.putQuick('s1', { name: 'PING', payload: { kind: 'hex', hex: '01 02' } });
    automation.putQuick('s1', { name: 'QUIT', payload: { kind: 'hex', hex: '03' } });
    automation.putQuick('s1', { name: 'PONG', payload: { kind: 'hex', hex: '04' } }, 0);
    expect(automation.quickOf('s1').map((c) => c.name)).toEqual(['PONG', 'QUIT']);
    expect(automation.savedVersion).toBeGreaterThan(v0);
    sessions.setSendTarget('s1', { kind: 'all' });
    await automation.sendQuick('s1', 1);
    expect(bridge.callsOf('session.send')).toEqual([{ sessionId: 's1', payload: { kind: 'hex', hex: '03' }, target: { kind: 'all' } }]);
    automation.removeQuick('s1', 0);
    expect(automation.quickOf('s1').map((c) => c.name)).toEqual(['QUIT']);
  });

  it('starts a periodic send with the send panel payload, and refuses without one', async () => {
    const { bridge, automation, compose } = setup();
    bridge.on('periodic.start', () => ok(schedule()));
    const none = await automation.startPeriodic('s1', 100, 3);
    expect(none.ok).toBe(false);
    expect(bridge.callsOf('periodic.start')).toHaveLength(0);
    compose.register('s1', () => ({ kind: 'text', text: 'hi' }));
    const r = await automation.startPeriodic('s1', 100, 3);
    expect(r.ok).toBe(true);
    expect(bridge.callsOf('periodic.start')[0]).toMatchObject({
      sessionId: 's1', intervalMs: 100, count: 3, payload: { kind: 'text', text: 'hi', encoding: 'utf-8', escapes: false, lineEnding: 'none' },
    });
    expect(automation.periodicOf('s1')?.running).toBe(true);
  });

  it('follows schedule, rule-stat and export events, and forgets a removed session', () => {
    const { bridge, automation } = setup();
    automation.putQuick('s1', { name: 'A', payload: { kind: 'hex', hex: '01' } });
    bridge.emit([
      { type: 'schedule.progress', ts: 2, sessionId: 's1', schedule: schedule({ sent: 3, running: false, endReason: 'finished' }) },
      { type: 'rules.stats', ts: 2, sessionId: 's1', stats: [{ ruleId: 'r1', hits: 2, errors: 0, lastMatchAt: 5, lastMatchText: 'EHLO x' }] },
      {
        type: 'export.progress', ts: 2, sessionId: 's1',
        export: { exportId: 'e1', sessionId: 's1', format: 'csv', path: '/d/e1.csv', name: 'e1.csv', records: 5, totalRecords: 5, bytes: 90, done: true },
      },
    ]);
    expect(automation.periodicOf('s1')).toMatchObject({ sent: 3, running: false });
    expect(automation.statsOf('s1')[0]?.hits).toBe(2);
    expect(useRecordingStore().exportInfo('e1')?.done).toBe(true);
    bridge.emit([{ type: 'session.removed', ts: 3, sessionId: 's1' }]);
    expect(automation.quickOf('s1')).toEqual([]);
    expect(automation.periodicOf('s1')).toBeNull();
  });

  it('streams a file in 256 KiB chunks, one awaited request at a time, then ends the transfer', async () => {
    const { bridge, automation } = setup();
    const size = TRANSFER_CHUNK * 2 + 100;
    const data = new Uint8Array(size).map((_, i) => i % 251);
    const got: Uint8Array[] = [];
    bridge.on('transfer.begin', (a) => ok(transfer(0, { size: a.size, name: a.name })));
    bridge.on('transfer.chunk', (a) => {
      got.push(a.bytes);
      return ok(transfer(got.reduce((n, b) => n + b.length, 0), { size }));
    });
    bridge.on('transfer.end', () => ok(transfer(size, { size, done: true })));
    const st = await automation.sendFile('s1', new Blob([data]), 'f.bin');
    expect(st.status).toBe('done');
    expect(got.map((b) => b.length)).toEqual([TRANSFER_CHUNK, TRANSFER_CHUNK, 100]);
    const joined = new Uint8Array(size);
    let off = 0;
    for (const b of got) {
      joined.set(b, off);
      off += b.length;
    }
    expect(joined.every((b, i) => b === data[i])).toBe(true);
    expect(bridge.calls.map((c) => c.cmd).filter((c) => c.startsWith('transfer.'))).toEqual([
      'transfer.begin', 'transfer.chunk', 'transfer.chunk', 'transfer.chunk', 'transfer.end',
    ]);
    expect(automation.transferOf('s1')).toMatchObject({ sent: size, status: 'done' });
  });

  it('never has two chunks in flight: each waits for the answer to the one before', async () => {
    const { bridge, automation } = setup();
    let inFlight = 0;
    let most = 0;
    const plain = bridge.request.bind(bridge);
    bridge.request = (async (cmd: string, args: never) => {
      if (cmd !== 'transfer.chunk') return plain(cmd as never, args);
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return ok(transfer(0));
    }) as typeof bridge.request;
    bridge.on('transfer.begin', () => ok(transfer(0)));
    bridge.on('transfer.end', () => ok(transfer(0, { done: true })));
    const st = await automation.sendFile('s1', new Blob([new Uint8Array(TRANSFER_CHUNK * 3)]), 'x');
    expect(st.status).toBe('done');
    expect(most).toBe(1);
  });

  it('cancels a transfer between chunks and tells the engine', async () => {
    const { bridge, automation } = setup();
    let chunks = 0;
    bridge.on('transfer.begin', () => ok(transfer(0)));
    bridge.on('transfer.chunk', () => {
      chunks++;
      if (chunks === 1) void automation.cancelTransfer('s1');
      return ok(transfer(chunks * TRANSFER_CHUNK));
    });
    bridge.on('transfer.cancel', () => ok(transfer(TRANSFER_CHUNK, { cancelled: true })));
    const st = await automation.sendFile('s1', new Blob([new Uint8Array(TRANSFER_CHUNK * 4)]), 'big.bin');
    expect(st.status).toBe('cancelled');
    expect(chunks).toBe(1);
    expect(bridge.callsOf('transfer.cancel')).toEqual([{ transferId: 't1' }]);
    expect(bridge.callsOf('transfer.end')).toHaveLength(0);
  });

  it('reports a refused transfer in the user\'s words', async () => {
    const { bridge, automation } = setup();
    bridge.on('transfer.begin', () => err('NOT_CONNECTED', 'No client is connected'));
    const st = await automation.sendFile('s1', new Blob([new Uint8Array(10)]), 'x');
    expect(st).toMatchObject({ status: 'error', error: 'No client is connected' });
  });

  it('puts applied rules and capture state into the session', async () => {
    const { bridge, sessions, automation } = setup();
    const rules = { echo: true, rules: [] };
    bridge.on('rules.set', () => ok({ ...serverInfo('s1'), rules }));
    bridge.on('capture.start', () => ok({ active: true, perPeer: false, files: [{ path: '/d/c.bin', name: 'c.bin', bytes: 0 }] }));
    expect((await automation.setRules('s1', rules)).ok).toBe(true);
    expect(sessions.get('s1')?.rules).toEqual(rules);
    await useRecordingStore().startCapture('s1', false);
    expect(sessions.get('s1')?.capture?.active).toBe(true);
    bridge.emit([{ type: 'capture.updated', ts: 5, sessionId: 's1', capture: { active: true, perPeer: false, files: [{ path: '/d/c.bin', name: 'c.bin', bytes: 42 }] } }]);
    expect(sessions.get('s1')?.capture?.files[0]?.bytes).toBe(42);
  });
});
