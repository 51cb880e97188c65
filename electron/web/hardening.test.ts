/**
 * Serve mode against a careless or hostile client: every malformed request
 * gets an answer or a closing reason, one connection cannot pile up unanswered
 * requests, and the token can be kept out of the process list.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame, type Result, type SessionInfo } from '../../shared/protocol';
import { parseFlags, UsageError } from './cli';
import { makeSite, WireClient } from './helpers.test-util';
import { startWebHost, type WebHost } from './server';
import { generateToken } from './token';

describe('malformed requests', () => {
  const token = generateToken();
  const site = makeSite();
  let host: WebHost;
  let url: string;
  beforeAll(async () => {
    host = await startWebHost({ host: '127.0.0.1', port: 0, token, staticDir: site.staticDir });
    url = `ws://127.0.0.1:${host.port}/ws`;
  });
  afterAll(async () => {
    await host.close();
    site.cleanup();
  });

  for (const [what, body] of [
    ['JSON null', null],
    ['an array', [1, 2, 3]],
    ['no id', { t: 'req', cmd: 'session.list', args: {} }],
    ['a string id', { t: 'req', id: '7', cmd: 'session.list', args: {} }],
  ] as const) {
    it(`${what}: the connection is closed with a reason`, async () => {
      const c = await WireClient.open(url, token);
      c.sendRaw(encodeFrame(body));
      const info = await c.until(() => c.closeInfo);
      expect(info.code).toBe(1008);
      expect(info.reason).toMatch(/Malformed request/);
    });
  }

  for (const [what, id] of [
    ['a negative id', -1],
    ['a fractional id', 1.5],
    ['a huge id', 1e300],
  ] as const) {
    it(`${what}: answered with an error under that id`, async () => {
      const c = await WireClient.open(url, token);
      c.sendRaw(encodeFrame({ t: 'req', id, cmd: 'session.list', args: {} }));
      const res = await c.until(() => {
        const hit = c.received.find((r) => r.msg.t === 'res' && r.msg.id === id);
        return hit?.msg.t === 'res' ? hit.msg.result : undefined;
      });
      expect(res).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', message: expect.stringMatching(/id must be a whole number/) });
      await c.close();
    });
  }

  it('a connection cannot keep more than 64 requests unanswered', async () => {
    // a peer that never reads: sends to it stay unanswered until its buffers drain
    const sockets: Socket[] = [];
    const sink: Server = createServer((s) => {
      s.pause();
      sockets.push(s);
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const c = await WireClient.open(url, token);
    try {
      const port = (sink.address() as { port: number }).port;
      const opened = await c.request<SessionInfo>('session.open', { config: { kind: 'tcp-client', host: '127.0.0.1', port } });
      if (!opened.ok) throw new Error(opened.message);
      const chunk = new Uint8Array(1024 * 1024);
      const first = 10_000;
      for (let i = 0; i < 100; i++) {
        c.sendRaw(encodeFrame({ t: 'req', id: first + i, cmd: 'session.send', args: { sessionId: opened.data.sessionId, payload: { kind: 'bytes', bytes: chunk } } }));
      }
      const answers = () => c.received.filter((r) => r.msg.t === 'res' && r.msg.id >= first);
      // at most 64 may stay unanswered: every other one is answered (sent, or refused at once)
      await c.until(() => (answers().length >= 100 - 64 ? true : undefined), 20_000);
      const refused = answers().filter((r) => r.msg.t === 'res' && !r.msg.result.ok && /Too many requests/.test(r.msg.result.message));
      expect(refused.length).toBeGreaterThan(0);
      // this connection is at its limit: close the session from another one, which answers what was still waiting
      const other = await WireClient.open(url, token);
      expect((await other.request('session.close', { sessionId: opened.data.sessionId })).ok).toBe(true);
      await other.close();
      await c.until(() => (answers().length === 100 ? true : undefined), 20_000);
      const results = answers().map((r) => (r.msg.t === 'res' ? r.msg.result : undefined)) as Result<unknown>[];
      expect(results.every((r) => r.ok || /Too many requests|not connected|closed|stopped/i.test(r.message))).toBe(true);
    } finally {
      await c.close();
      for (const s of sockets) s.destroy();
      sink.close();
    }
  });
});

describe('serve flags', () => {
  it('accepts an IPv6 loopback address in brackets', () => {
    expect(parseFlags(['--host', '[::1]'], {}).host).toBe('::1');
    expect(parseFlags(['--host', '::1'], {}).host).toBe('::1');
  });

  it('serves on [::1] given in brackets', async () => {
    const site = makeSite();
    const flags = parseFlags(['--host', '[::1]'], {});
    const host = await startWebHost({ host: flags.host, port: 0, token: flags.token, staticDir: site.staticDir });
    try {
      const c = await WireClient.open(`ws://[::1]:${host.port}/ws`, flags.token);
      expect((await c.request('session.list', {})).ok).toBe(true);
      await c.close();
    } finally {
      await host.close();
      site.cleanup();
    }
  });

  it('takes the token from WIREBENCH_TOKEN or --token-file, so it stays out of the process list', () => {
    const token = generateToken();
    expect(parseFlags([], { WIREBENCH_TOKEN: token })).toMatchObject({ token, tokenGiven: true });
    const dir = mkdtempSync(join(tmpdir(), 'wb-token-'));
    try {
      const file = join(dir, 'token');
      writeFileSync(file, `${token}\n`, { mode: 0o600 });
      expect(parseFlags(['--token-file', file], { WIREBENCH_TOKEN: generateToken() })).toMatchObject({ token, tokenGiven: true });
      expect(() => parseFlags(['--token-file', join(dir, 'missing')], {})).toThrow(/--token-file .*cannot read the file/);
      expect(() => parseFlags(['--token', token, '--token-file', file], {})).toThrow(UsageError);
      expect(() => parseFlags([], { WIREBENCH_TOKEN: 'short' })).toThrow(/WIREBENCH_TOKEN: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
