/**
 * The token as an HttpOnly cookie: the first visit with ?token= is redirected
 * to the clean address with the cookie set; the WebSocket and downloads then
 * accept the cookie alone (Host and Origin still checked); "Forget this
 * browser" clears it.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cookieName } from './cookie';
import { makeSite } from './helpers.test-util';
import { startWebHost, type WebHost } from './server';
import { generateToken } from './token';

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function upgrade(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

describe('token cookie', () => {
  const token = generateToken();
  const site = makeSite();
  let host: WebHost;
  beforeAll(async () => {
    host = await startWebHost({ host: '127.0.0.1', port: 0, token, staticDir: site.staticDir });
  });
  afterAll(async () => {
    await host.close();
    site.cleanup();
  });

  it('exchanges ?token= for an HttpOnly SameSite=Strict cookie and a clean address', async () => {
    const r = await get(host.port, `/?token=${token}&lang=zh`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/?lang=zh');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toContain(`${cookieName(host.port)}=${token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    // a wrong token is not exchanged
    expect((await get(host.port, `/?token=${generateToken()}`)).status).toBe(200);
  });

  it('the WebSocket accepts the cookie alone, and still checks Origin', async () => {
    const cookie = `${cookieName(host.port)}=${token}`;
    expect(await upgrade(host.port, { Cookie: cookie })).toBe(101);
    expect(await upgrade(host.port, { Cookie: `${cookieName(host.port)}=${generateToken()}` })).toBe(403);
    expect(await upgrade(host.port, { Cookie: `${cookieName(host.port + 1)}=${token}` })).toBe(401);
    expect(await upgrade(host.port, { Cookie: cookie, Origin: 'http://evil.example' })).toBe(403);
  });

  it('"Forget this browser" clears the cookie, by POST from the same origin only', async () => {
    const r = await get(host.port, '/forget', { Origin: `http://127.0.0.1:${host.port}` }, 'POST');
    expect(r.status).toBe(204);
    expect(String(r.headers['set-cookie'])).toMatch(new RegExp(`${cookieName(host.port)}=;.*Max-Age=0`));
    expect((await get(host.port, '/forget', {}, 'GET')).status).toBe(405);
    expect((await get(host.port, '/forget', { Origin: 'http://evil.example' }, 'POST')).status).toBe(405);
  });
});
