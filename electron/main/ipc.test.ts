import { createConnection, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { IPC_CHANNELS, type NetEvent, type Result, type SessionInfo } from '../../shared/protocol';
import { Hub } from '../hub';
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

describe('IPC adapter', () => {
  let hub: Hub;
  let ipc: FakeIpcMain;
  afterEach(async () => {
    await hub.dispose();
  });
  const setup = () => {
    hub = new Hub();
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
    hub = new Hub();
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

    const client = createConnection({ host: '127.0.0.1', port: port! });
    await new Promise((r) => client.once('connect', r));
    client.write('hello');
    await expect
      .poll(() => contents.sent.flat().find((e) => e.type === 'data' && e.dir === 'rx'))
      .toBeTruthy();
    const data = contents.sent.flat().find((e) => e.type === 'data' && e.dir === 'rx');
    expect(data && data.type === 'data' && Buffer.from(data.bytes).toString()).toBe('hello');

    contents.destroy();
    const before = contents.sent.length;
    client.write('more');
    await new Promise((r) => setTimeout(r, 100));
    expect(contents.sent.length).toBe(before);
    client.destroy();
  });
});

describe('IPC flow control', () => {
  const rxBytes = (c: FakeWebContents) =>
    c.sent.flat().reduce((n, e) => n + (e.type === 'data' && e.dir === 'rx' ? e.bytes.byteLength : 0), 0);

  /** Open a TCP server session on `hub` and connect one loopback client to it. */
  async function openWithClient(hub: Hub): Promise<Socket> {
    const opened = (await hub.handle('session.open', {
      config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 },
    })) as Result<SessionInfo>;
    if (!opened.ok) throw new Error(opened.message);
    const client = createConnection({ host: '127.0.0.1', port: opened.data.local!.port });
    await new Promise((r) => client.once('connect', r));
    return client;
  }

  it('pauses TCP reading while the page has not acknowledged its batches, and delivers everything after', async () => {
    const hub = new Hub({ highWaterBytes: 256 * 1024, lowWaterBytes: 64 * 1024 });
    const contents = new FakeWebContents();
    const events = attachWindowEvents(hub, contents);
    const acks = new FakeAckIpc();
    registerAckHandler(acks, (id) => (id === OUR_WINDOW ? events : undefined), check);
    try {
      const client = await openWithClient(hub);
      const total = 4 * 1024 * 1024;
      client.write(Buffer.alloc(total, 7));

      // the page acknowledges nothing: delivery stalls well short of the total
      await new Promise((r) => setTimeout(r, 300));
      const stalled = rxBytes(contents);
      await new Promise((r) => setTimeout(r, 300));
      expect(rxBytes(contents)).toBe(stalled);
      expect(stalled).toBeLessThan(total);

      // an acknowledgement from a foreign frame changes nothing
      acks.emit({ sender: { id: 99 }, senderFrame: { url: APP_URL, parent: null } }, contents.lastSeq);
      await new Promise((r) => setTimeout(r, 100));
      expect(rxBytes(contents)).toBe(stalled);

      // the page catches up, acknowledging as it goes
      const timer = setInterval(() => acks.emit(goodEvent, contents.lastSeq), 5);
      await expect.poll(() => rxBytes(contents), { timeout: 15_000 }).toBe(total);
      clearInterval(timer);
      client.destroy();
    } finally {
      await hub.dispose();
    }
  });

  it('a reload forgets what the old page never acknowledged', async () => {
    const hub = new Hub({ highWaterBytes: 64 * 1024, lowWaterBytes: 16 * 1024 });
    const contents = new FakeWebContents();
    const events = attachWindowEvents(hub, contents);
    try {
      const client = await openWithClient(hub);
      client.write(Buffer.alloc(1024 * 1024, 1));
      await new Promise((r) => setTimeout(r, 300));
      expect(rxBytes(contents)).toBeLessThan(1024 * 1024);
      events.reset();
      // the new page acknowledges its own batches from now on
      const timer = setInterval(() => events.ack(contents.lastSeq), 5);
      await expect.poll(() => rxBytes(contents), { timeout: 15_000 }).toBe(1024 * 1024);
      clearInterval(timer);
      client.destroy();
    } finally {
      await hub.dispose();
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
