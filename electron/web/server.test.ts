import { request as httpRequest } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LogTailEvent, PeerJoinedEvent, SessionInfo } from '../../shared/protocol';
import { Backend } from '../backend';
import { makeSite, TEST_CSP, upgradeStatus, WireClient } from './helpers.test-util';
import { startWebHost, type WebHost } from './server';
import { generateToken } from './token';

/** GET over a raw path (no client-side normalisation of `..`). */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve mode over real loopback sockets', () => {
  const site = makeSite();
  const token = generateToken();
  let host: WebHost;
  let wsUrl: string;
  const tcpClients: Socket[] = [];

  beforeAll(async () => {
    host = await startWebHost({ host: '127.0.0.1', port: 0, token, staticDir: site.staticDir });
    wsUrl = `ws://127.0.0.1:${host.port}/ws`;
  });
  afterAll(async () => {
    for (const s of tcpClients) s.destroy();
    await host.close();
    site.cleanup();
  });

  it('serves index.html for / with the same CSP as its meta tag and the security headers', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`);
    const res = await get(host.port, '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<div id="app">');
    // the page's own policy, plus frame-ancestors, which only works as a header
    expect(res.headers['content-security-policy']).toBe(`${TEST_CSP}; frame-ancestors 'none'`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
    const js = await get(host.port, '/assets/app.js?v=1');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toBe(`${TEST_CSP}; frame-ancestors 'none'`);
    expect((await get(host.port, '/assets/missing.js')).status).toBe(404);
  });

  it('refuses path traversal in every spelling', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const res = await get(host.port, path);
      expect([400, 403, 404], path).toContain(res.status);
      expect(res.body, path).not.toContain('TOP-SECRET');
    }
  });

  it('refuses HTTP requests whose Host header names another site (DNS rebinding)', async () => {
    const res = await get(host.port, '/', { Host: `evil.example:${host.port}` });
    expect(res.status).toBe(403);
    expect((await get(host.port, '/', { Host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('refuses a WebSocket without token (401), with a wrong token, a foreign Origin or Host (403)', async () => {
    expect(await upgradeStatus(wsUrl, [])).toBe(401);
    expect(await upgradeStatus(wsUrl, [`wirebench.token.${generateToken()}`])).toBe(403);
    expect(await upgradeStatus(`${wsUrl}?token=${generateToken()}`, [])).toBe(403);
    const good = [`wirebench.token.${token}`];
    expect(await upgradeStatus(wsUrl, good, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(wsUrl, good, { Origin: `http://127.0.0.1:${host.port + 1}` })).toBe(403);
    expect(await upgradeStatus(wsUrl, good, { Host: `evil.example:${host.port}` })).toBe(403);
    expect(await upgradeStatus(`ws://127.0.0.1:${host.port}/other`, good)).toBe(404);
    // the right token, by subprotocol or query, with or without a same-origin Origin
    expect(await upgradeStatus(wsUrl, good, { Origin: `http://127.0.0.1:${host.port}` })).toBe(101);
    expect(await upgradeStatus(`${wsUrl}?token=${token}`, [])).toBe(101);
    expect(await upgradeStatus(wsUrl, good)).toBe(101);
  });

  it('echoes the token subprotocol and greets with hello', async () => {
    const c = await WireClient.open(wsUrl, token);
    expect(c.ws.protocol).toBe(`wirebench.token.${token}`);
    const hello = await c.until(() => c.received.find((r) => r.msg.t === 'hello'));
    expect(hello.isBinary).toBe(true);
    await c.close();
  });

  it('round-trips commands and streams peer.joined and the exact received bytes (log.tail) as binary frames to every client', async () => {
    const a = await WireClient.open(wsUrl, token);
    const b = await WireClient.open(wsUrl, token);
    const opened = await a.request<SessionInfo>('session.open', {
      config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 },
    });
    if (!opened.ok) throw new Error(opened.message);
    const { sessionId } = opened.data;
    const port = opened.data.local?.port ?? 0;
    expect(port).toBeGreaterThan(0);

    const sock = netConnect(port, '127.0.0.1');
    tcpClients.push(sock);
    await new Promise<void>((r) => sock.once('connect', () => r()));
    const payload = Uint8Array.from([0x00, 0xff, 0x0d, 0x0a, 0xe4, 0xbd, 0xa0, 0x7b, 0x22, 0x24, 0x62]);
    for (const c of [a, b]) {
      const joined = await c.untilEvent((e): e is PeerJoinedEvent => e.type === 'peer.joined' && e.sessionId === sessionId);
      expect(joined.peer.remote.port).toBe(sock.localPort);
    }
    sock.write(payload);
    for (const c of [a, b]) {
      const tail = await c.untilEvent(
        (e): e is LogTailEvent => e.type === 'log.tail' && e.sessionId === sessionId && e.rows.some((r) => r.dir === 'rx'),
      );
      const row = tail.rows.find((r) => r.dir === 'rx');
      expect(row?.bytes).toBeInstanceOf(Uint8Array);
      expect(Array.from(row?.bytes ?? [])).toEqual(Array.from(payload));
      expect(row).toMatchObject({ size: payload.length, remote: { port: sock.localPort } });
      expect(c.received.every((r) => r.isBinary)).toBe(true);
      // the same row read back over the wire with log.read
      const read = await c.request<{ rows: { seq: number; bytes?: Uint8Array }[] }>('log.read', { sessionId, seqs: [row?.seq] });
      if (!read.ok) throw new Error(read.message);
      expect(Array.from(read.data.rows[0]?.bytes ?? [])).toEqual(Array.from(payload));
    }
    await a.close();
    await b.close();
  });

  it('re-syncs: sessions opened by a client survive its disconnect and show in session.list', async () => {
    const a = await WireClient.open(wsUrl, token);
    const opened = await a.request<SessionInfo>('session.open', {
      config: { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0, name: 'kept' },
    });
    expect(opened.ok).toBe(true);
    await a.close();
    await new Promise((r) => setTimeout(r, 50));
    const b = await WireClient.open(wsUrl, token);
    const list = await b.request<SessionInfo[]>('session.list', {});
    if (!list.ok) throw new Error(list.message);
    expect(list.data.map((s) => s.name)).toContain('kept');
    await b.close();
  });

  it('answers a bad request shape with INVALID_ARGUMENT and an unknown command with UNKNOWN_COMMAND', async () => {
    const c = await WireClient.open(wsUrl, token);
    const { encodeFrame } = await import('../../shared/protocol');
    c.sendRaw(encodeFrame({ t: 'nonsense', id: 77 }));
    const bad = await c.until(() => c.received.find((r) => r.msg.t === 'res' && r.msg.id === 77));
    expect(bad.msg.t === 'res' && !bad.msg.result.ok && bad.msg.result.code).toBe('INVALID_ARGUMENT');
    // (a request without an id cannot be answered: the connection is closed, see hardening.test.ts)
    const unknown = await c.request('system.format-disk', {});
    expect(!unknown.ok && unknown.code).toBe('UNKNOWN_COMMAND');
    const invalid = await c.request('session.open', { config: { kind: 'tcp-server', port: 70000 } });
    expect(!invalid.ok && invalid.code).toBe('INVALID_ARGUMENT');
    expect(c.ws.readyState).toBe(c.ws.OPEN);
    await c.close();
  });

  it('answers the desktop-only commands with a clear "not in the browser" error, and stays open', async () => {
    const c = await WireClient.open(wsUrl, token);
    for (const [cmd, args] of [
      ['desktop.importProfile', {}],
      ['desktop.exportTo', { sessionId: 's1', format: 'csv' }],
      ['desktop.prefs', { locale: 'en', language: 'auto', theme: 'dark', confirmQuit: true }],
    ] as const) {
      const r = await c.request(cmd, args);
      expect(r, cmd).toMatchObject({ ok: false, code: 'FORBIDDEN', why: { key: 'desktop.only', params: { cmd } } });
      expect(!r.ok && r.message).toBe(`“${cmd}” needs the Wirebench desktop app: it is not available in the browser`);
    }
    expect(c.ws.readyState).toBe(c.ws.OPEN);
    await c.close();
  });

  it('closes on a text frame (1003) and on an undecodable frame (1007)', async () => {
    const t = await WireClient.open(wsUrl, token);
    t.sendRaw('{"t":"req"}');
    await t.until(() => t.closeInfo);
    expect(t.closeInfo?.code).toBe(1003);
    const g = await WireClient.open(wsUrl, token);
    g.sendRaw(Uint8Array.from([0, 0, 0, 9, 1, 2]));
    await g.until(() => g.closeInfo);
    expect(g.closeInfo?.code).toBe(1007);
  });
});

describe('serve mode limits', () => {
  it('closes a connection that sends an oversize message and keeps serving the others', async () => {
    const site = makeSite();
    const token = generateToken();
    const hub = new Backend({ dataDir: join(site.root, 'data') });
    const host = await startWebHost({
      host: '127.0.0.1',
      port: 0,
      token,
      staticDir: site.staticDir,
      hub,
      maxMessageBytes: 4096,
    });
    try {
      const url = `ws://127.0.0.1:${host.port}/ws`;
      const big = await WireClient.open(url, token);
      const other = await WireClient.open(url, token);
      big.sendRaw(new Uint8Array(8192));
      await big.until(() => big.closeInfo);
      expect(big.closeInfo?.code).toBe(1009);
      const list = await other.request('session.list', {});
      expect(list.ok).toBe(true);
      const again = await WireClient.open(url, token);
      expect((await again.request('session.list', {})).ok).toBe(true);
      await other.close();
      await again.close();
    } finally {
      await host.close();
      await hub.dispose();
      site.cleanup();
    }
  });

  it('drops a client that stops answering pings, and refuses to bind a non-loopback host by default', async () => {
    const site = makeSite();
    const token = generateToken();
    await expect(startWebHost({ host: '0.0.0.0', port: 0, token, staticDir: site.staticDir })).rejects.toThrow(
      /not a loopback address/,
    );
    const host = await startWebHost({ host: '127.0.0.1', port: 0, token, staticDir: site.staticDir, heartbeatMs: 100 });
    try {
      // a dead peer: connected, but it never answers pings
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, [`wirebench.token.${token}`], { autoPong: false });
      await new Promise<void>((r) => ws.once('open', () => r()));
      expect(host.clientCount).toBe(1);
      const closed = new Promise<void>((r) => ws.once('close', () => r()));
      await closed;
      for (let i = 0; i < 50 && host.clientCount > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(host.clientCount).toBe(0);
    } finally {
      await host.close();
      site.cleanup();
    }
  });
});

describe('the renderer CSP', () => {
  it('is read from the meta tag of renderer/index.html, multi-line attributes and all', async () => {
    const { readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const { cspFromHtml } = await import('./static');
    const csp = cspFromHtml(readFileSync(resolve(__dirname, '../../renderer/index.html'), 'utf8'));
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/connect-src 'self'/);
    expect(csp).not.toMatch(/unsafe-eval/);
  });
});
