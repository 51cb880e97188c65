import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IPC_CHANNELS, type LogTailEvent, type NetEvent, type Result, type SessionInfo } from '../../shared/protocol';
import { LogWatcher, readLog, rowBytes } from '../../test/fixtures/log-helpers';
import { poll } from '../../test/fixtures/net-helpers';
import { Backend, type BackendOptions } from '../backend';
import {
  attachWindowEvents,
  createSenderCheck,
  registerAckHandler,
  registerIpcHandlers,
  type InvokeEventLike,
  type IpcMainLike,
  type WebContentsLike,
} from './ipc';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

/** A stand-in for ipcMain: records handlers and lets the test invoke them. */
class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(event: InvokeEventLike, ...args: unknown[]): Promise<Result<unknown>> {
    const h = this.handlers.get(IPC_CHANNELS.command);
    if (!h) throw new Error('no handler');
    return h(event, ...args) as Promise<Result<unknown>>;
  }
}

class FakeWebContents implements WebContentsLike {
  sent: NetEvent[][] = [];
  /** every log.tail the window got for a session */
  tails(sessionId: string): LogTailEvent[] {
    return this.sent.flat().filter((e): e is LogTailEvent => e.type === 'log.tail' && e.sessionId === sessionId);
  }
  lastSeq = 0;
  destroyed = false;
  private onDestroyed: (() => void) | undefined;
  send(channel: string, ...args: unknown[]): void {
    expect(channel).toBe(IPC_CHANNELS.events);
    this.sent.push(args[0] as NetEvent[]);
    this.lastSeq = args[1] as number;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  once(_event: 'destroyed', listener: () => void): void {
    this.onDestroyed = listener;
  }
  destroy(): void {
    this.destroyed = true;
    this.onDestroyed?.();
  }
}

const APP_URL = 'file:///opt/wirebench/resources/app.asar/out/renderer/index.html';
const OUR_WINDOW = 7;
const check = createSenderCheck(
  (id) => id === OUR_WINDOW,
  (url) => url === APP_URL,
);
const goodEvent: InvokeEventLike = { sender: { id: OUR_WINDOW }, senderFrame: { url: APP_URL, parent: null } };

/** A backend on its own temp data dir, removed with it. */
const dirs = new Map<Backend, string>();
function makeBackend(opts: BackendOptions = {}): Backend {
  const dataDir = mkdtempSync(join(tmpdir(), 'wb-ipc-'));
  const b = new Backend({ ...opts, dataDir });
  dirs.set(b, dataDir);
  return b;
}
async function disposeBackend(b: Backend): Promise<void> {
  await b.dispose();
  rmSync(dirs.get(b) ?? '', { recursive: true, force: true });
  dirs.delete(b);
}

describe('IPC adapter', () => {
  let hub: Backend;
  let ipc: FakeIpcMain;
  afterEach(async () => {
    await disposeBackend(hub);
  });
  const setup = () => {
    hub = makeBackend();
    ipc = new FakeIpcMain();
    registerIpcHandlers(ipc, hub, check);
  };

  it('answers a valid command from our window with an ok Result', async () => {
    setup();
    const r = await ipc.invoke(goodEvent, 'session.list', {});
    expect(r).toEqual({ ok: true, data: [] });
  });

  it.each([
    ['another window', { sender: { id: 99 }, senderFrame: { url: APP_URL, parent: null } }],
    ['a sub-frame', { sender: { id: OUR_WINDOW }, senderFrame: { url: APP_URL, parent: {} } }],
    ['a foreign page', { sender: { id: OUR_WINDOW }, senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a missing frame', { sender: { id: OUR_WINDOW }, senderFrame: null }],
  ])('rejects %s with FORBIDDEN and never reaches the engine', async (_name, event) => {
    setup();
    const r = await ipc.invoke(event as InvokeEventLike, 'session.open', {
      config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 },
    });
    expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(hub.manager.list()).toHaveLength(0);
  });

  it('rejects a bad payload by schema with the field named', async () => {
    setup();
    const r = await ipc.invoke(goodEvent, 'session.open', {
      config: { kind: 'tcp-client', host: '127.0.0.1', port: 70000 },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('INVALID_ARGUMENT');
    expect(r.message).toMatch(/config\.port/);
    expect(r.message).toMatch(/between 1 and 65535/);
  });

  it.each([
    ['an unknown command', 'shell.exec', {}],
    ['a non-string command', 42, {}],
    ['extra keys', 'session.list', { evil: true }],
    ['wrong types', 'session.send', { sessionId: 5, payload: 'x' }],
    ['a prototype-pollution attempt', 'session.close', JSON.parse('{"__proto__":{"polluted":1},"sessionId":"s1"}')],
    ['no args at all', 'session.close', undefined],
  ])('returns an error Result, never throws, for %s', async (_name, cmd, args) => {
    setup();
    const r = await ipc.invoke(goodEvent, cmd, args);
    expect(r.ok).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('removes its handler on dispose', () => {
    hub = makeBackend();
    ipc = new FakeIpcMain();
    const dispose = registerIpcHandlers(ipc, hub, check);
    expect(ipc.handlers.size).toBe(1);
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it('streams event batches to the window and stops when it is destroyed', async () => {
    setup();
    const contents = new FakeWebContents();
    attachWindowEvents(hub, contents);
    const opened = (await ipc.invoke(goodEvent, 'session.open', {
      config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 },
    })) as Result<SessionInfo>;
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const port = opened.data.local?.port;
    expect(port).toBeGreaterThan(0);

    const sid = opened.data.sessionId;
    const client = createConnection({ host: '127.0.0.1', port: port! });
    await new Promise((r) => client.once('connect', r));
    client.write('hello');
    await poll(() => contents.tails(sid).some((t) => t.rows.some((r) => r.dir === 'rx')), 5000, 'the rx row in a tail');
    const row = contents.tails(sid).flatMap((t) => t.rows).find((r) => r.dir === 'rx');
    expect(row && Buffer.from(row.bytes ?? []).toString()).toBe('hello');
    expect(row?.text).toBe('hello');

    contents.destroy();
    const before = contents.sent.length;
    // another client sees the next row arrive: the destroyed window would have by then
    const other = new LogWatcher(hub);
    client.write('more');
    await other.until(() => other.tailRows(sid).find((r) => r.text === 'more'), 5000, 'the next row');
    other.detach();
    expect(contents.sent.length).toBe(before);
    expect(hub.clientCount).toBe(0);
    client.destroy();
  });
});

describe('IPC flow control', () => {
  /** Open a TCP server session on `hub` and connect one loopback client to it. */
  async function openWithClient(hub: Backend): Promise<{ client: Socket; sid: string }> {
    // one row per line (delimiter kept): thousands of rows, far more than a tail carries
    const opened = (await hub.handle('session.open', {
      config: { kind: 'tcp-server', host: '127.0.0.1', port: 0, framing: { kind: 'delimiter', delimiter: Uint8Array.of(10), keep: true } },
    })) as Result<SessionInfo>;
    if (!opened.ok) throw new Error(opened.message);
    const client = createConnection({ host: '127.0.0.1', port: opened.data.local!.port });
    await new Promise((r) => client.once('connect', r));
    return { client, sid: opened.data.sessionId };
  }

  /** Write one more byte and wait until another client saw its row: any flush due to the window happened by then. */
  async function flushRound(hub: Backend, client: Socket, sid: string): Promise<void> {
    const other = new LogWatcher(hub);
    try {
      const last = hub.records.bounds(sid).lastSeq;
      client.write('!\n');
      await other.until(() => other.tails(sid).find((t) => t.lastSeq > last), 5000, 'a tail after one more row');
    } finally {
      other.detach();
    }
  }

  it('a page that acknowledges nothing is sent nothing more, yet its session reads every byte; acknowledging brings the newest rows', async () => {
    const hub = makeBackend({ highWaterBytes: 256 * 1024 });
    const contents = new FakeWebContents();
    const events = attachWindowEvents(hub, contents);
    const acks = new FakeAckIpc();
    registerAckHandler(acks, (id) => (id === OUR_WINDOW ? events : undefined), check);
    try {
      const { client, sid } = await openWithClient(hub);
      const total = 4 * 1024 * 1024;
      const sent = Buffer.alloc(total, 7);
      for (let i = 1023; i < total; i += 1024) sent[i] = 10;
      client.write(sent);

      // the engine reads everything although the page acknowledges nothing: nothing pauses a socket for a view
      await poll(() => hub.manager.info(sid).counters.rxBytes === total, 15_000, 'every byte read');
      await flushRound(hub, client, sid);
      const stalled = contents.sent.length;
      const shown = contents.tails(sid).at(-1)?.lastSeq ?? 0;
      expect(shown).toBeLessThan(hub.records.bounds(sid).lastSeq);
      await flushRound(hub, client, sid);
      expect(contents.sent.length).toBe(stalled);
      expect(contents.sent.flat().some((e) => e.type === 'session.readPaused')).toBe(false);

      // an acknowledgement from a foreign frame changes nothing
      acks.emit({ sender: { id: 99 }, senderFrame: { url: APP_URL, parent: null } }, contents.lastSeq);
      await flushRound(hub, client, sid);
      expect(contents.sent.length).toBe(stalled);

      // the page catches up, acknowledging as it goes: it gets the newest rows and the count it skipped
      const timer = setInterval(() => acks.emit(goodEvent, contents.lastSeq), 5);
      try {
        const final = hub.records.bounds(sid).lastSeq;
        await poll(() => contents.tails(sid).some((t) => t.lastSeq === final), 15_000, 'the newest tail');
        const tail = contents.tails(sid).find((t) => t.lastSeq === final) as LogTailEvent;
        expect(tail.rows.at(-1)?.seq).toBe(final);
        expect(tail.skipped).toBeGreaterThan(0);
      } finally {
        clearInterval(timer);
      }
      // …and reads what it skipped from the record: every byte, in order
      const rows = await readLog((cmd, args) => hub.handle(cmd, args), sid, { byteLimit: 256 * 1024 });
      expect(rowBytes(rows).equals(Buffer.concat([sent, Buffer.from('!\n!\n!\n')]))).toBe(true);
      expect(rows.filter((r) => r.dir === 'rx')).toHaveLength(total / 1024 + 3);
      client.destroy();
    } finally {
      await disposeBackend(hub);
    }
  });

  it('a reload forgets what the old page never acknowledged', async () => {
    const hub = makeBackend({ highWaterBytes: 64 * 1024 });
    const contents = new FakeWebContents();
    const events = attachWindowEvents(hub, contents);
    try {
      const { client, sid } = await openWithClient(hub);
      const sent = Buffer.alloc(1024 * 1024, 1);
      for (let i = 1023; i < sent.length; i += 1024) sent[i] = 10;
      client.write(sent);
      await poll(() => hub.manager.info(sid).counters.rxBytes === 1024 * 1024, 15_000, 'every byte read');
      await flushRound(hub, client, sid);
      const stalled = contents.sent.length;
      expect(contents.tails(sid).at(-1)?.lastSeq ?? 0).toBeLessThan(hub.records.bounds(sid).lastSeq);
      events.reset();
      // the new page acknowledges its own batches from now on
      const timer = setInterval(() => events.ack(contents.lastSeq), 5);
      try {
        const final = hub.records.bounds(sid).lastSeq;
        await poll(() => contents.tails(sid).some((t) => t.lastSeq === final), 15_000, 'the newest tail');
        expect(contents.sent.length).toBeGreaterThan(stalled);
      } finally {
        clearInterval(timer);
      }
      client.destroy();
    } finally {
      await disposeBackend(hub);
    }
  });
});

/** A stand-in for ipcMain.on / removeListener. */
class FakeAckIpc {
  private listeners = new Set<(event: InvokeEventLike, ...args: unknown[]) => void>();
  on(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => void): void {
    expect(channel).toBe(IPC_CHANNELS.ack);
    this.listeners.add(listener);
  }
  removeListener(_channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => void): void {
    this.listeners.delete(listener);
  }
  emit(event: InvokeEventLike, seq: number): void {
    for (const l of this.listeners) l(event, seq);
  }
}
