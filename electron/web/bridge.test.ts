/**
 * The renderer's WebSocket bridge against the real serve-mode host, with the
 * `ws` package standing in for the browser's WebSocket.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { ConnectionState } from '../../renderer/src/bridge/types';
import {
  AUTH_ERROR_MESSAGE,
  createWsBridge,
  takePageToken,
  TOKEN_STORAGE_KEY,
  type AuthError,
  type SocketFactory,
  type SocketLike,
} from '../../renderer/src/bridge/ws';
import type { NetEvent } from '../../shared/protocol';
import { makeSite } from './helpers.test-util';
import { startWebHost, type WebHost } from './server';
import { generateToken } from './token';

/** A loopback port nothing listens on (a server bound to port 0, then closed). */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const until = async (pred: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('createWsBridge', () => {
  const site = makeSite();
  const token = generateToken();
  let host: WebHost;
  let url: string;
  let refused: string;
  const sockets: WebSocket[] = [];
  const factory: SocketFactory = (u, protocols) => {
    const ws = new WebSocket(u, protocols);
    ws.on('error', () => undefined);
    sockets.push(ws);
    return ws as unknown as SocketLike;
  };

  beforeAll(async () => {
    host = await startWebHost({ host: '127.0.0.1', port: 0, token, staticDir: site.staticDir });
    url = `ws://127.0.0.1:${host.port}/ws`;
    refused = `ws://127.0.0.1:${await deadPort()}/ws`;
  });
  afterAll(async () => {
    for (const s of sockets) s.terminate();
    await host.close();
    site.cleanup();
  });

  it('answers requests, delivers event batches in order and reconnects after a drop', async () => {
    const bridge = createWsBridge({ url, token, socketFactory: factory });
    const states: ConnectionState[] = [];
    bridge.onConnection((s) => states.push(s));
    const events: NetEvent[] = [];
    bridge.onEvents((batch) => events.push(...batch));

    const opened = await bridge.request('session.open', {
      config: { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0, name: 'bridge-udp' },
    });
    if (!opened.ok) throw new Error(opened.message);
    expect(states).toEqual(['connecting', 'open']);
    const { sessionId } = opened.data;
    const port = opened.data.local?.port ?? 0;

    // three datagrams to the session's own port: their rows arrive in order
    for (const text of ['one', 'two', 'three']) {
      const sent = await bridge.request('session.send', {
        sessionId,
        payload: { kind: 'text', text },
        target: { kind: 'address', host: '127.0.0.1', port },
      });
      expect(sent.ok).toBe(true);
    }
    const rxRows = () => events.flatMap((e) => (e.type === 'log.tail' && e.sessionId === sessionId ? e.rows : [])).filter((r) => r.dir === 'rx');
    await until(() => rxRows().length === 3);
    expect(rxRows().map((r) => new TextDecoder().decode(r.bytes))).toEqual(['one', 'two', 'three']);
    expect(rxRows().map((r) => r.text)).toEqual(['one', 'two', 'three']);
    const seqs = rxRows().map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));

    // the connection drops: closed → connecting → open, and the session is still there
    sockets[sockets.length - 1]?.terminate();
    await until(() => states.length >= 5);
    expect(states).toEqual(['connecting', 'open', 'closed', 'connecting', 'open']);
    const list = await bridge.request('session.list', {});
    expect(list.ok && list.data.some((s) => s.sessionId === sessionId)).toBe(true);

    // late subscribers get the current state at once
    const late: ConnectionState[] = [];
    bridge.onConnection((s) => late.push(s));
    expect(late).toEqual(['open']);
    bridge.close();
    expect(bridge.state).toBe('closed');
  });

  it('holds requests made while disconnected until the connection opens', async () => {
    let reachable = false;
    const gated: SocketFactory = (_u, protocols) => factory(reachable ? url : refused, protocols);
    const bridge = createWsBridge({ url, token, socketFactory: gated, connectWaitMs: 10_000 });
    const answer = bridge.request('session.list', {});
    await new Promise((r) => setTimeout(r, 300));
    expect(bridge.state).not.toBe('open');
    reachable = true;
    const res = await answer;
    expect(res.ok).toBe(true);
    bridge.close();
  });

  it('resolves NOT_CONNECTED (never rejects) when the host stays away', async () => {
    const bridge = createWsBridge({ url: refused, token, socketFactory: factory, connectWaitMs: 300, probe: async () => false });
    const res = await bridge.request('session.list', {});
    expect(res).toEqual({ ok: false, code: 'NOT_CONNECTED', message: 'Not connected to the Wirebench host' });
    expect(bridge.authError).toBeUndefined();
    bridge.close();
    const after = await bridge.request('session.list', {});
    expect(!after.ok && after.code).toBe('NOT_CONNECTED');
  });

  it('reports a wrong token once the host answers HTTP but keeps refusing the socket', async () => {
    const bridge = createWsBridge({ url, token: generateToken(), socketFactory: factory });
    const errors: AuthError[] = [];
    bridge.onAuthError((e) => errors.push(e));
    await until(() => errors.length > 0, 8000);
    expect(errors[0]).toEqual({ reason: 'rejected', message: AUTH_ERROR_MESSAGE });
    expect(bridge.state).not.toBe('open');
    bridge.close();
  });

  it('without a token of its own (and no cookie) reports the token missing after the first refusal', async () => {
    const bridge = createWsBridge({ url, token: '', socketFactory: factory, probe: async () => true });
    const errors: AuthError[] = [];
    bridge.onAuthError((e) => errors.push(e));
    await vi.waitFor(() => expect(errors.map((e) => e.reason)).toEqual(['missing']), { timeout: 5000 });
    bridge.close();
  });
});

describe('takePageToken', () => {
  it('takes ?token= from the address, remembers it for the tab and removes it from the address bar', () => {
    const store = new Map<string, string>();
    const replaced: string[] = [];
    vi.stubGlobal('location', { protocol: 'http:', host: '127.0.0.1:1', search: '?token=abcDEF0123456789_-&lang=zh', pathname: '/', hash: '#x' });
    vi.stubGlobal('sessionStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v) });
    vi.stubGlobal('history', { state: null, replaceState: (_s: unknown, _t: string, u: string) => replaced.push(u) });
    try {
      expect(takePageToken()).toBe('abcDEF0123456789_-');
      expect(store.get(TOKEN_STORAGE_KEY)).toBe('abcDEF0123456789_-');
      expect(replaced).toEqual(['/?lang=zh#x']);
      // after a reload the address has no token: the tab's remembered one is used
      vi.stubGlobal('location', { protocol: 'http:', host: '127.0.0.1:1', search: '?lang=zh', pathname: '/', hash: '' });
      expect(takePageToken()).toBe('abcDEF0123456789_-');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
