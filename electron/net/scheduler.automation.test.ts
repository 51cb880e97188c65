/** Periodic sends and sequences over real loopback sockets. */
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { periodicStartSchema, sequenceStartSchema } from '../../shared/protocol/automation';
import { sessionConfigSchema } from '../../shared/protocol/schemas';
import { EventCollector, catchSync, poll, sleep } from '../../test/fixtures/net-helpers';
import { SessionManager } from './manager';

let rec: EventCollector;
let mgr: SessionManager;
const clients: Socket[] = [];
beforeEach(() => {
  rec = new EventCollector();
  mgr = new SessionManager(rec.sink);
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await mgr.closeAll();
});

/** A Wirebench server with one plain client connected to it; the client counts what it gets. */
async function serverWithClient(): Promise<{ sid: string; c: Socket; got: () => Buffer }> {
  const info = await mgr.open(sessionConfigSchema.parse({ kind: 'tcp-server', host: '127.0.0.1', port: 0 }));
  const c = connect(info.local?.port as number, '127.0.0.1');
  clients.push(c);
  c.on('error', () => undefined);
  const parts: Buffer[] = [];
  c.on('data', (d: Buffer) => parts.push(d));
  await rec.until(() => rec.of('peer.joined', info.sessionId).length === 1);
  return { sid: info.sessionId, c, got: () => Buffer.concat(parts) };
}

const text = (t: string) => ({ kind: 'text' as const, text: t });
const finals = (sid: string) => rec.of('schedule.progress', sid).filter((e) => !e.schedule.running);

describe('periodic sends', () => {
  it('count 1000 at 1 ms arrives exactly 1000 times', async () => {
    const { sid, got } = await serverWithClient();
    const info = mgr.startPeriodic(periodicStartSchema.parse({ sessionId: sid, payload: { kind: 'hex', hex: '01 02 03 04 05 06 07 08' }, intervalMs: 1, count: 1000 }));
    expect(info).toMatchObject({ kind: 'periodic', sent: 0, total: 1000, running: true });
    await rec.until(() => finals(sid).length === 1, 20_000, 'the periodic send to finish');
    await poll(() => got().length >= 8000);
    await sleep(30);
    expect(got().length).toBe(8000);
    expect(got().length / 8).toBe(1000);
    const last = finals(sid)[0]?.schedule;
    expect(last).toMatchObject({ scheduleId: info.scheduleId, sent: 1000, total: 1000, running: false, endReason: 'Finished' });
    expect(mgr.info(sid).counters).toMatchObject({ txMessages: 1000, txBytes: 8000 });
    expect(rec.of('data', sid).filter((d) => d.dir === 'tx')).toHaveLength(1000);
    // throttled: far fewer progress events than sends
    expect(rec.of('schedule.progress', sid).length).toBeLessThan(100);
    expect(mgr.listSchedules(sid)).toEqual([last]);
  });

  it('keeps its clock: 10 sends at 20 ms take about 180 ms, not more', async () => {
    const { sid, got } = await serverWithClient();
    const t0 = performance.now();
    mgr.startPeriodic(periodicStartSchema.parse({ sessionId: sid, payload: text('x'), intervalMs: 20, count: 10 }));
    await rec.until(() => finals(sid).length === 1);
    const took = performance.now() - t0;
    await poll(() => got().length >= 10);
    expect(got().toString()).toBe('x'.repeat(10));
    expect(took).toBeGreaterThanOrEqual(175);
    expect(took).toBeLessThan(1500); // generous: a loaded CI machine
  });

  it('refuses a payload it cannot encode before starting', () => {
    return serverWithClient().then(({ sid }) => {
      const e = catchSync(() => mgr.startPeriodic(periodicStartSchema.parse({ sessionId: sid, payload: { kind: 'hex', hex: '0G' }, intervalMs: 5 })));
      expect(e.code).toBe('BAD_HEX');
      expect(mgr.listSchedules(sid)).toEqual([]);
    });
  });

  it('stops on the first failed send, with the reason', async () => {
    const { sid, c } = await serverWithClient();
    mgr.startPeriodic(periodicStartSchema.parse({ sessionId: sid, payload: text('x'), intervalMs: 5, target: { kind: 'peer', peerId: 'p1' } }));
    await rec.until(() => rec.of('data', sid).length >= 3);
    c.destroy();
    await rec.until(() => finals(sid).length === 1);
    const end = finals(sid)[0]?.schedule;
    expect(end?.endReason).toMatch(/^Stopped: /);
    expect(end?.sent).toBe(mgr.info(sid).counters.txMessages);
  });

  it('stopping the session stops its schedules; a stopped session refuses new ones', async () => {
    const { sid } = await serverWithClient();
    mgr.startPeriodic(periodicStartSchema.parse({ sessionId: sid, payload: text('x'), intervalMs: 1000 }));
    await mgr.stop(sid);
    expect(finals(sid)[0]?.schedule.endReason).toBe('Stopped: the session stopped');
    const e = catchSync(() => mgr.startPeriodic(periodicStartSchema.parse({ sessionId: sid, payload: text('x'), intervalMs: 5 })));
    expect(e.code).toBe('NOT_CONNECTED');
  });
});

describe('sequences', () => {
  it('runs once, in order, with its delays', async () => {
    const { sid, got } = await serverWithClient();
    const t0 = performance.now();
    const info = mgr.startSequence(
      sequenceStartSchema.parse({
        sessionId: sid,
        name: 'abc',
        items: [{ payload: text('A') }, { payload: text('B'), delayMs: 60 }, { payload: { kind: 'hex', hex: '43' }, delayMs: 60 }],
      }),
    );
    expect(info).toMatchObject({ kind: 'sequence', name: 'abc', total: 3 });
    await poll(() => got().length >= 1);
    expect(got().toString()).toBe('A');
    await rec.until(() => finals(sid).length === 1);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(115);
    await poll(() => got().length === 3);
    expect(got().toString()).toBe('ABC');
    expect(finals(sid)[0]?.schedule).toMatchObject({ sent: 3, endReason: 'Finished' });
  });

  it('loops a given number of times', async () => {
    const { sid, got } = await serverWithClient();
    mgr.startSequence(sequenceStartSchema.parse({ sessionId: sid, items: [{ payload: text('a') }, { payload: text('b') }], loop: true, loops: 3 }));
    await rec.until(() => finals(sid).length === 1);
    await poll(() => got().length === 6);
    expect(got().toString()).toBe('ababab');
  });

  it('a loop until stopped ends on schedule.stop', async () => {
    const { sid, got } = await serverWithClient();
    const info = mgr.startSequence(sequenceStartSchema.parse({ sessionId: sid, items: [{ payload: text('z'), delayMs: 5 }], loop: true }));
    expect(info.total).toBe(0);
    await poll(() => got().length >= 3);
    const stopped = mgr.stopSchedule(sid, info.scheduleId);
    expect(stopped).toMatchObject({ running: false, endReason: 'Stopped by you' });
    await sleep(50);
    const n = got().length;
    await sleep(50);
    expect(got().length).toBe(n);
    expect(n).toBe(finals(sid)[0]?.schedule.sent);
    expect(catchSync(() => mgr.stopSchedule(sid, 'nope')).code).toBe('INVALID_ARGUMENT');
  });
});
