/** Serve mode downloads of captures and exports, and the default data folder. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureInfo, NetEvent, SessionInfo } from '../../shared/protocol';
import { Backend } from '../backend';
import { defaultDataDir } from './cli';
import { makeSite } from './helpers.test-util';
import { startWebHost, type WebHost } from './server';

const TOKEN = 'download-test-token-0123456789ab';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /files/…', () => {
  let root: string;
  let host: WebHost;
  let site: ReturnType<typeof makeSite>;
  let capture: CaptureInfo;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wb-files-'));
    site = makeSite();
    const dataDir = join(root, 'data');
    host = await startWebHost({ host: '127.0.0.1', port: 0, token: TOKEN, staticDir: site.staticDir, hub: new Backend({ dataDir }) });
    // a real capture file, made through the hub
    const hub = host.hub;
    const events: NetEvent[] = [];
    const client = hub.attach({ send: (b) => events.push(...b), backlog: () => 0 });
    const opened = await hub.handle('session.open', { config: { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0 } });
    if (!opened.ok) throw new Error(opened.message);
    const s = opened.data as SessionInfo;
    // raw bytes (a UDP capture is pcapng by default): the body below is exactly what was sent
    await hub.handle('capture.start', { sessionId: s.sessionId, format: 'bin' });
    await hub.handle('session.send', {
      sessionId: s.sessionId,
      payload: { kind: 'text', text: 'captured bytes' },
      target: { kind: 'address', host: '127.0.0.1', port: s.local?.port ?? 1 },
    });
    const received = () => events.some((e) => e.type === 'log.tail' && e.rows.some((r) => r.dir === 'rx'));
    for (let i = 0; i < 500 && !received(); i++) await new Promise((r) => setTimeout(r, 10));
    if (!received()) throw new Error('the datagram never arrived');
    const stopped = await hub.handle('capture.stop', { sessionId: s.sessionId });
    if (!stopped.ok) throw new Error(stopped.message);
    capture = stopped.data as CaptureInfo;
    client.detach();
    mkdirSync(join(dataDir, 'exports'), { recursive: true });
    writeFileSync(join(dataDir, 'exports', 'log.csv'), 'time,direction\r\n');
    writeFileSync(join(root, 'outside.txt'), 'SECRET');
    symlinkSync(join(root, 'outside.txt'), join(dataDir, 'exports', 'link.txt'));
  });

  afterAll(async () => {
    await host.close();
    await host.hub.dispose();
    site.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  it('streams a capture as an attachment with the right token', async () => {
    const name = capture.files[0]?.name ?? '';
    const r = await get(host.port, `/files/captures/${encodeURIComponent(name)}?token=${TOKEN}`);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('captured bytes');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="${name}"`);
    expect(r.headers['content-type']).toBe('application/octet-stream');
    const csv = await get(host.port, `/files/exports/log.csv?token=${TOKEN}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
  });

  it('wants the token: missing 401, wrong 403', async () => {
    expect((await get(host.port, '/files/exports/log.csv')).status).toBe(401);
    expect((await get(host.port, '/files/exports/log.csv?token=')).status).toBe(401);
    expect((await get(host.port, '/files/exports/log.csv?token=wrong-token-wrong-token')).status).toBe(403);
    // the Host check comes first, as for every request
    expect((await get(host.port, `/files/exports/log.csv?token=${TOKEN}`, `evil.example:${host.port}`)).status).toBe(403);
  });

  it('refuses traversal, other folders, dot-files and symlinks out', async () => {
    const q = `?token=${TOKEN}`;
    for (const path of [
      '/files/captures/../../outside.txt',
      '/files/captures/..%2F..%2Foutside.txt',
      '/files/captures/..%5C..%5Coutside.txt',
      '/files/exports/%2e%2e',
      '/files/spill/anything.log',
      '/files/../profiles.json',
      '/files/exports/.hidden',
      '/files/exports/sub/log.csv',
      '/files/exports/link.txt',
    ]) {
      const r = await get(host.port, path + q);
      expect([r.status, path]).toEqual([403, path]);
      expect(r.body.toString()).not.toContain('SECRET');
    }
    expect((await get(host.port, `/files/exports/missing.csv${q}`)).status).toBe(404);
  });
});

describe('defaultDataDir', () => {
  it('follows each platform’s convention', () => {
    expect(defaultDataDir('linux', { XDG_DATA_HOME: '/x/data' }, '/home/u')).toBe('/x/data/wirebench');
    expect(defaultDataDir('linux', { XDG_DATA_HOME: 'relative' }, '/home/u')).toBe('/home/u/.local/share/wirebench');
    expect(defaultDataDir('linux', {}, '/home/u')).toBe('/home/u/.local/share/wirebench');
    expect(defaultDataDir('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support/Wirebench');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u')).toMatch(/Roaming[\\/]Wirebench$/);
  });
});
