// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { ok } from '../../../shared/protocol';
import type { PreloadApi } from '../../../shared/protocol';
import { createIpcBridge } from './ipc';

/** A preload API whose `request` answers through `impl`. */
function fakeApi(impl: (cmd: string, args: unknown) => unknown): PreloadApi {
  return { platform: 'linux', onEvents: () => () => undefined, request: (cmd, args) => impl(cmd, args) } as PreloadApi;
}

describe('IPC bridge', () => {
  it('passes the command and its arguments to the preload request', async () => {
    const impl = vi.fn(() => Promise.resolve(ok([])));
    const bridge = createIpcBridge(fakeApi(impl));
    const r = await bridge.request('session.list', {});
    expect(r).toEqual({ ok: true, data: [] });
    expect(impl).toHaveBeenCalledWith('session.list', {});
    await bridge.request('peer.disconnect', { sessionId: 's', peerId: 'p' });
    expect(impl).toHaveBeenLastCalledWith('peer.disconnect', { sessionId: 's', peerId: 'p' });
  });

  it('turns a thrown error or a malformed answer into an INTERNAL result', async () => {
    const throwing = createIpcBridge(fakeApi(() => Promise.reject(new Error('ipc channel closed'))));
    expect(await throwing.request('session.list', {})).toEqual({ ok: false, code: 'INTERNAL', message: 'ipc channel closed' });
    const sync = createIpcBridge(fakeApi(() => {
      throw new Error('boom');
    }));
    expect(await sync.request('session.list', {})).toMatchObject({ ok: false, code: 'INTERNAL', message: 'boom' });
    const junk = createIpcBridge(fakeApi(() => Promise.resolve(42)));
    expect(await junk.request('session.list', {})).toMatchObject({ ok: false, code: 'INTERNAL' });
  });

  it('reports the connection open once', async () => {
    const bridge = createIpcBridge(fakeApi(() => undefined));
    const states: string[] = [];
    bridge.onConnection((s) => states.push(s));
    await Promise.resolve();
    expect(states).toEqual(['open']);
  });
});
