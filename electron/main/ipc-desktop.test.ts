/**
 * The desktop-only commands on the IPC command channel (answered in the main
 * process, validated by their schema, never reaching the engine), and the
 * batches the main process pushes to its own window (menu clicks), which
 * resolve once the page acknowledged them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, type NetEvent, type Result } from '../../shared/protocol';
import { Backend } from '../backend';
import { createDesktopDispatcher, type DesktopHandlers } from './desktop-commands';
import { attachWindowEvents, createSenderCheck, registerIpcHandlers, type InvokeEventLike, type IpcMainLike, type WebContentsLike } from './ipc';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;
const URL = 'file:///app/out/renderer/index.html';
const good: InvokeEventLike = { sender: { id: 1 }, senderFrame: { url: URL, parent: null } };
const check = createSenderCheck((id) => id === 1, (u) => u === URL);

class FakeIpcMain implements IpcMainLike {
  handler: Listener | undefined;
  handle(_channel: string, listener: Listener): void {
    this.handler = listener;
  }
  removeHandler(): void {
    this.handler = undefined;
  }
  invoke(event: InvokeEventLike, cmd: unknown, args: unknown): Promise<Result<unknown>> {
    return this.handler!(event, cmd, args) as Promise<Result<unknown>>;
  }
}

const prefs = { locale: 'zh-CN', language: 'auto', theme: 'dark', confirmQuit: true } as const;

describe('desktop commands over IPC', () => {
  let dir: string | undefined;
  let hub: Backend | undefined;
  afterEach(async () => {
    await hub?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
    hub = undefined;
    dir = undefined;
  });
  function setup(handlers?: Partial<DesktopHandlers>) {
    dir = mkdtempSync(join(tmpdir(), 'wb-ipcd-'));
    hub = new Backend({ dataDir: dir });
    const ipc = new FakeIpcMain();
    const handle = vi.spyOn(hub, 'handle');
    const full: DesktopHandlers = {
      'desktop.prefs': vi.fn(() => ({ ok: true as const, data: null })),
      'desktop.exportTo': vi.fn(() => ({ ok: true as const, data: null })),
      'desktop.captureTo': vi.fn(() => ({ ok: true as const, data: null })),
      'desktop.importProfile': vi.fn(() => ({ ok: true as const, data: null })),
      ...handlers,
    };
    registerIpcHandlers(ipc, hub, check, handlers === undefined ? undefined : createDesktopDispatcher(full));
    return { ipc, handle, full };
  }

  it('answers them in the main process with their parsed arguments, never through the engine', async () => {
    const { ipc, handle, full } = setup({});
    await expect(ipc.invoke(good, 'desktop.prefs', prefs)).resolves.toEqual({ ok: true, data: null });
    expect(full['desktop.prefs']).toHaveBeenCalledExactlyOnceWith(prefs);
    await ipc.invoke(good, 'desktop.exportTo', { sessionId: 's1', format: 'csv' });
    // the defaults of export.start's schema are filled in
    expect(full['desktop.exportTo']).toHaveBeenCalledExactlyOnceWith({ sessionId: 's1', format: 'csv', timeZone: 'local', language: 'en' });
    expect(handle).not.toHaveBeenCalled();
    // engine commands still go to the engine
    await expect(ipc.invoke(good, 'session.list', {})).resolves.toEqual({ ok: true, data: [] });
    expect(handle).toHaveBeenCalledOnce();
  });

  it('refuses a path in the arguments: the page never chooses where a file goes', async () => {
    const { ipc, full } = setup({});
    const r = await ipc.invoke(good, 'desktop.exportTo', { sessionId: 's1', format: 'csv', path: '/etc/passwd' });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    const c = await ipc.invoke(good, 'desktop.captureTo', { sessionId: 's1', dest: '/tmp/x' });
    expect(c).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    const p = await ipc.invoke(good, 'desktop.prefs', { ...prefs, locale: 'fr' });
    expect(p).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', detail: { field: 'locale' } });
    expect(full['desktop.exportTo']).not.toHaveBeenCalled();
    expect(full['desktop.prefs']).not.toHaveBeenCalled();
  });

  it('checks the sender first, and a handler that throws answers INTERNAL', async () => {
    const { ipc, full } = setup({ 'desktop.importProfile': () => Promise.reject(new Error('boom')) });
    const foreign = { sender: { id: 1 }, senderFrame: { url: 'https://evil.example/', parent: null } };
    await expect(ipc.invoke(foreign, 'desktop.prefs', prefs)).resolves.toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(full['desktop.prefs']).not.toHaveBeenCalled();
    await expect(ipc.invoke(good, 'desktop.importProfile', {})).resolves.toMatchObject({ ok: false, code: 'INTERNAL', message: expect.stringContaining('boom') });
  });

  it('without desktop handlers, says the command needs the desktop app', async () => {
    const { ipc } = setup();
    const r = await ipc.invoke(good, 'desktop.importProfile', {});
    expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN', why: { key: 'desktop.only', params: { cmd: 'desktop.importProfile' } } });
  });
});

class FakeContents implements WebContentsLike {
  sent: { events: NetEvent[]; seq: number }[] = [];
  destroyed = false;
  private onDestroyed: (() => void) | undefined;
  send(channel: string, events: unknown, seq: unknown): void {
    expect(channel).toBe(IPC_CHANNELS.events);
    this.sent.push({ events: events as NetEvent[], seq: seq as number });
  }
  isDestroyed = () => this.destroyed;
  once(_e: 'destroyed', l: () => void): void {
    this.onDestroyed = l;
  }
  destroy(): void {
    this.destroyed = true;
    this.onDestroyed?.();
  }
}

describe('WindowEvents.push', () => {
  const hub = { attach: () => ({ detach: vi.fn() }) } as unknown as Parameters<typeof attachWindowEvents>[0];
  const click: NetEvent = { type: 'desktop.action', ts: 1, action: { kind: 'newSession' } };

  it('sends the batch to this window and resolves true once the page acknowledged it', async () => {
    const contents = new FakeContents();
    const events = attachWindowEvents(hub, contents);
    let settled: boolean | undefined;
    const p = events.push([click]).then((v) => (settled = v));
    expect(contents.sent).toEqual([{ events: [click], seq: 1 }]);
    await Promise.resolve();
    expect(settled).toBeUndefined();
    events.ack(1);
    await p;
    expect(settled).toBe(true);
  });

  it('resolves false when the page does not answer in time, reloads or closes', async () => {
    vi.useFakeTimers();
    try {
      const contents = new FakeContents();
      const events = attachWindowEvents(hub, contents);
      const late = events.push([click], 500);
      vi.advanceTimersByTime(500);
      await expect(late).resolves.toBe(false);
      const reloaded = events.push([click]);
      events.reset();
      await expect(reloaded).resolves.toBe(false);
      const closed = events.push([click]);
      contents.destroy();
      await expect(closed).resolves.toBe(false);
      await expect(events.push([click])).resolves.toBe(false);
      expect(contents.sent).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
