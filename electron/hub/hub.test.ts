/**
 * The hub: events fanned out to every client, coalesced, and the live tail of
 * each session's log pushed at a bounded rate with at most `tailRows` rows,
 * counting what it skipped. A backed-up client is sent nothing and slows
 * nothing. Driven through the backend (real record, real sockets on loopback),
 * except where the hub alone is the point.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogTailEvent, NetEvent, SessionInfo } from '../../shared/protocol';
import { call, waitFor } from '../../test/fixtures/log-helpers';
import { sleep } from '../../test/fixtures/net-helpers';
import { Backend, type BackendOptions } from '../backend';
import { RecordStore } from '../record/records';
import { Hub, type HubTransport } from './hub';

/** A transport that keeps every batch (with its arrival time) and reports the backlog it is told. */
class RecordingTransport implements HubTransport {
  batches: { at: number; events: NetEvent[] }[] = [];
  pending = 0;
  private wakers = new Set<() => void>();
  send(events: NetEvent[]): void {
    this.batches.push({ at: performance.now(), events });
    for (const w of [...this.wakers]) w();
  }
  backlog(): number {
    return this.pending;
  }
  all(): NetEvent[] {
    return this.batches.flatMap((b) => b.events);
  }
  tails(sessionId: string): LogTailEvent[] {
    return this.all().filter((e): e is LogTailEvent => e.type === 'log.tail' && e.sessionId === sessionId);
  }
  lastCounters(sessionId: string): NetEvent | undefined {
    return this.all()
      .filter((e) => e.type === 'counters' && e.sessionId === sessionId)
      .at(-1);
  }
  until<T>(check: () => T | undefined, ms = 15_000, what = 'condition'): Promise<T> {
    return waitFor(
      check,
      (wake) => {
        this.wakers.add(wake);
        return () => this.wakers.delete(wake);
      },
      ms,
      what,
    );
  }
}

/** Check what every tail of a session says against the one before it; returns the rows + skipped they account for. */
function checkTails(tails: LogTailEvent[], tailRows: number, seenBefore = 0): number {
  let seen = seenBefore;
  let accounted = 0;
  for (const t of tails) {
    expect(t.rows.length).toBeLessThanOrEqual(tailRows);
    // the newest rows, contiguous, ending at lastSeq; what lies between the previous tail and them is `skipped`
    if (t.rows.length > 0) {
      expect(t.rows.at(-1)?.seq).toBe(t.lastSeq);
      t.rows.forEach((r, i) => expect(r.seq).toBe((t.rows[0]?.seq ?? 0) + i));
    }
    expect(seen + t.skipped + t.rows.length).toBe(t.lastSeq);
    accounted += t.skipped + t.rows.length;
    seen = t.lastSeq;
  }
  return accounted;
}

const lines = { kind: 'delimiter', delimiter: Uint8Array.of(0x0a), keep: false } as const;

describe('Hub', () => {
  let backend: Backend | undefined;
  let dataDir: string | undefined;
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await backend?.dispose();
    backend = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  function makeBackend(opts: BackendOptions = {}): Backend {
    dataDir = mkdtempSync(join(tmpdir(), 'wb-hub-'));
    backend = new Backend({ ...opts, dataDir });
    return backend;
  }

  function attach(t: RecordingTransport): void {
    cleanups.push((backend as Backend).attach(t).detach);
  }

  async function openServer(config: Record<string, unknown> = {}): Promise<SessionInfo> {
    const h = (cmd: string, args: unknown) => (backend as Backend).handle(cmd, args);
    return call(h, 'session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0, ...config } });
  }

  async function connect(port: number): Promise<Socket> {
    const s = createConnection({ host: '127.0.0.1', port });
    s.on('error', () => undefined);
    cleanups.push(() => s.destroy());
    await new Promise<void>((r, j) => {
      s.once('connect', () => r());
      s.once('error', j);
    });
    return s;
  }

  it('pushes the tail at a bounded rate during a burst of 10,000 appends: at most tailRows rows a tail, the rest counted as skipped', async () => {
    const tailRows = 8;
    const b = makeBackend({ tailRows });
    const t = new RecordingTransport();
    attach(t);
    const info = await openServer({ framing: lines });
    const sid = info.sessionId;
    const client = await connect(info.local?.port ?? 0);
    await t.until(() => t.all().find((e) => e.type === 'peer.joined'));
    const before = b.records.bounds(sid).lastSeq;
    const tailsBefore = t.tails(sid).length;
    const seenBefore = t.tails(sid).at(-1)?.lastSeq ?? 0;

    // 10,000 rows, 20 every millisecond or so
    const n = 10_000;
    const started = performance.now();
    for (let i = 0; i < n; i += 20) {
      let chunk = '';
      for (let j = i; j < i + 20; j++) chunk += `row ${j}\n`;
      client.write(chunk);
      await sleep(1);
    }
    const last = before + n;
    await t.until(() => t.tails(sid).find((e) => e.lastSeq === last), 15_000, 'the tail of the last row');
    const elapsed = performance.now() - started;
    const during = t.tails(sid).slice(tailsBefore);
    // ≈ one tail per 16 ms; generous slack for timer jitter, but far below one per write (500) or per row
    expect(during.length).toBeLessThanOrEqual(Math.ceil(elapsed / 16) + 10);
    expect(during.length).toBeLessThan(n / 20);
    // every tail is consistent, and together they account for every row exactly once
    expect(checkTails(during, tailRows, seenBefore)).toBe(last - seenBefore);
    expect(during.some((e) => e.skipped > 0)).toBe(true);
    // the newest rows are the last lines written
    expect(during.at(-1)?.rows.map((r) => r.text)).toEqual(Array.from({ length: tailRows }, (_, i) => `row ${n - tailRows + i}`));
    expect(b.manager.info(sid).counters.rxMessages).toBe(n);
  });

  it('a client whose transport stays backed up is sent nothing, while another keeps receiving; once drained it gets the newest rows', async () => {
    const tailRows = 16;
    const b = makeBackend({ tailRows, highWaterBytes: 1024 * 1024 });
    const healthy = new RecordingTransport();
    const stalled = new RecordingTransport();
    attach(healthy);
    attach(stalled);
    const info = await openServer({ framing: lines });
    const sid = info.sessionId;
    const client = await connect(info.local?.port ?? 0);
    await stalled.until(() => stalled.tails(sid).find((e) => e.rows.some((r) => r.note?.kind === 'peer.joined')));
    const seenByStalled = stalled.tails(sid).at(-1)?.lastSeq ?? 0;

    stalled.pending = 64 * 1024 * 1024; // its transport never drains
    const sentBefore = stalled.batches.length;
    const eventsBefore = stalled.all().length;
    const n = 3000;
    for (let i = 0; i < n; i += 100) {
      let chunk = '';
      for (let j = i; j < i + 100; j++) chunk += `line ${j}\n`;
      client.write(chunk);
      await sleep(2);
    }
    // another peer comes and goes meanwhile: its events queue up for the stalled client
    const other = await connect(info.local?.port ?? 0);
    other.end();
    const last = () => b.records.bounds(sid).lastSeq;
    await healthy.until(() => healthy.all().find((e) => e.type === 'peer.left'), 15_000, 'peer.left');
    await healthy.until(() => healthy.tails(sid).find((e) => e.lastSeq === last() && b.manager.info(sid).counters.rxMessages === n), 15_000, 'the healthy client caught up');
    const final = last();
    // the healthy client saw everything in order; the stalled one was sent nothing at all, and nothing was paused
    checkTails(healthy.tails(sid), tailRows);
    expect(stalled.batches.length).toBe(sentBefore);
    expect(healthy.all().some((e) => e.type === 'session.readPaused')).toBe(false);
    expect(b.manager.info(sid).counters.rxMessages).toBe(n);

    stalled.pending = 0; // drained
    const caughtUp = await stalled.until(() => stalled.tails(sid).find((e) => e.lastSeq === final), 5000, 'the stalled client’s tail');
    const afterStall = stalled.all().slice(eventsBefore);
    // one tail with the newest rows and the count it skipped, its queued events, the latest counters
    expect(caughtUp.rows.length).toBe(tailRows);
    expect(caughtUp.skipped).toBe(final - seenByStalled - tailRows);
    checkTails([caughtUp], tailRows, seenByStalled);
    expect(afterStall.filter((e) => e.type === 'peer.joined' || e.type === 'peer.left').map((e) => e.type)).toEqual(['peer.joined', 'peer.left']);
    const counters = stalled.lastCounters(sid);
    expect(counters?.type === 'counters' && counters.counters.rxMessages).toBe(n);
    // everything it missed is in the record
    const read = await call((cmd, args) => b.handle(cmd, args), 'log.read', { sessionId: sid, fromSeq: seenByStalled + 1, count: 1 });
    expect(read.rows[0]?.seq).toBe(seenByStalled + 1);
  });

  it('coalesces counters: at most one counters event per session per batch, and the last one is exact', async () => {
    makeBackend();
    const t = new RecordingTransport();
    attach(t);
    const info = await openServer();
    const client = await connect(info.local?.port ?? 0);
    for (let i = 0; i < 200; i++) client.write(Buffer.alloc(100, i));
    const last = await t.until(() => {
      const c = t.lastCounters(info.sessionId);
      return c?.type === 'counters' && c.counters.rxBytes === 20_000 ? c : undefined;
    });
    expect(last).toBeDefined();
    for (const batch of t.batches) {
      const ids = batch.events.filter((e) => e.type === 'counters').map((e) => e.sessionId);
      expect(new Set(ids).size).toBe(ids.length);
    }
    // far fewer counters events than writes
    expect(t.all().filter((e) => e.type === 'counters').length).toBeLessThan(200);
  });

  it('a backed-up client past maxQueuedEvents gets a RESYNC notice instead of a broken history, and the latest of each state', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wb-hub-'));
    const records = new RecordStore({ dataDir });
    const hub = new Hub(records, { maxQueuedEvents: 10, flushIntervalMs: 5 });
    cleanups.push(() => hub.dispose());
    const t = new RecordingTransport();
    hub.attach(t);
    t.pending = Infinity;
    for (let i = 0; i < 100; i++) {
      hub.publish({ type: 'error', ts: i, sessionId: 's1', code: 'INTERNAL', message: `e${i}` });
      hub.publish({ type: 'counters', ts: i, sessionId: 's1', counters: { rxBytes: i, txBytes: 0, rxMessages: i, txMessages: 0 }, peers: {} });
    }
    await sleep(30);
    expect(t.batches).toHaveLength(0);
    t.pending = 0;
    const batch = await t.until(() => t.batches[0]);
    // the queue overflowed (every 11th event): what it held was dropped, so the client re-syncs first
    expect(batch.events[0]).toMatchObject({ type: 'app.notice', notice: { code: 'RESYNC' } });
    const errors = batch.events.filter((e) => e.type === 'error').map((e) => (e.type === 'error' ? e.message : ''));
    expect(errors.length).toBeLessThanOrEqual(10);
    expect(errors[errors.length - 1]).toBe('e99');
    expect(batch.events.filter((e) => e.type === 'counters').map((e) => (e.type === 'counters' ? e.counters.rxBytes : -1))).toEqual([99]);
    await records.dispose();
  });

  it('answers every command with a Result and never throws', async () => {
    const b = makeBackend();
    await expect(b.handle('nope', {})).resolves.toMatchObject({ ok: false, code: 'UNKNOWN_COMMAND' });
    await expect(b.handle('session.close', { sessionId: 'missing' })).resolves.toMatchObject({ ok: false, code: 'SESSION_NOT_FOUND' });
    await expect(b.handle('log.read', { sessionId: 'missing' })).resolves.toMatchObject({ ok: false, code: 'SESSION_NOT_FOUND' });
    await expect(b.handle('codec.preview', { payload: { kind: 'hex', hex: '01 0g' } })).resolves.toMatchObject({
      ok: false,
      code: 'BAD_HEX',
      detail: { position: 5, char: 'g' },
    });
  });

  it('stops delivering to a detached client', async () => {
    const b = makeBackend();
    const t = new RecordingTransport();
    const client = b.attach(t);
    expect(b.clientCount).toBe(1);
    client.detach();
    const info = await openServer();
    const other = new RecordingTransport();
    attach(other);
    const s = await connect(info.local?.port ?? 0);
    s.write('x');
    await other.until(() => other.tails(info.sessionId).find((e) => e.rows.some((r) => r.dir === 'rx')));
    expect(t.batches).toHaveLength(0);
    expect(b.clientCount).toBe(1);
  });
});
