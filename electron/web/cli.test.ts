/**
 * The serve-mode CLI as users run it: the built out/main/serve.js in its own
 * process. Builds the app first when the build is missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from './cli';

const root = resolve(__dirname, '../..');
const serveJs = resolve(root, 'out/main/serve.js');
const indexHtml = resolve(root, 'out/renderer/index.html');

describe('parseFlags', () => {
  it('defaults to loopback, any free port and a fresh random token', () => {
    const f = parseFlags([]);
    expect(f).toMatchObject({ host: '127.0.0.1', port: 0, open: false, allowRemote: false, tokenGiven: false });
    expect(f.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(parseFlags([]).token).not.toBe(f.token);
  });

  it('explains each bad flag in words', () => {
    const msg = (argv: string[]): string => {
      try {
        parseFlags(argv);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(msg(['--port', '70000'])).toBe('--port 70000: port must be between 0 and 65535');
    expect(msg(['--port', 'http'])).toMatch(/^--port http: port must be a whole number/);
    expect(msg(['--token', 'short'])).toMatch(/^--token: the token must be at least 16 characters/);
    expect(msg(['--token', 'has spaces in it, sixteen+'])).toMatch(/^--token: the token may only contain/);
    expect(msg(['--host', '0.0.0.0'])).toMatch(/^--host 0\.0\.0\.0: this is not a loopback address.*--allow-remote/);
    expect(msg(['--frobnicate'])).toMatch(/frobnicate/);
    expect(parseFlags(['--host', '0.0.0.0', '--allow-remote']).allowRemote).toBe(true);
    expect(parseFlags(['--host', '::1', '--port', '8080', '--token', 'abcdefghijklmnop']).token).toBe('abcdefghijklmnop');
    // a token may start with '-' (base64url): the --token=… form takes it
    expect(parseFlags(['--token=-bcdefghijklmnopq']).token).toBe('-bcdefghijklmnopq');
  });
});

describe('out/main/serve.js', () => {
  let child: ChildProcess | undefined;

  beforeAll(() => {
    if (existsSync(serveJs) && existsSync(indexHtml)) return;
    const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) {
      throw new Error(`electron-vite build failed:\n${build.stdout}\n${build.stderr}`);
    }
  }, 300_000);

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints one URL with the token, serves the UI there, and exits 0 on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wb-cli-'));
    const proc = spawn(process.execPath, [serveJs, '--port', '0', '--data-dir', dataDir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let out = '';
    proc.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
    proc.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));

    const deadline = Date.now() + 20_000;
    let line: string | undefined;
    // the banner is several lines that may arrive in separate chunks: wait for its last one
    while (!(line = out.split('\n').find((l) => l.includes('Wirebench is serving on '))) || !out.includes('Press Ctrl+C')) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`no URL printed:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const m = /Wirebench is serving on (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))\s*$/.exec(line);
    expect(m, line).not.toBeNull();
    const url = new URL(m?.[1] ?? '');
    expect(Number(m?.[2])).toBeGreaterThan(0);
    expect(out.split('\n').filter((l) => l.includes('?token=')).length).toBe(1);
    expect(out).toMatch(/full control of network sockets/);
    expect(out).toContain(`Data directory: ${dataDir}`);

    const res = await fetch(`${url.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBeTruthy();
    expect(await res.text()).toMatch(/<html/i);

    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('refuses a non-loopback --host without --allow-remote: exit 2 and the reason', () => {
    const r = spawnSync(process.execPath, [serveJs, '--host', '0.0.0.0', '--port', '0'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--host 0\.0\.0\.0: this is not a loopback address/);
    expect(r.stderr).toMatch(/--allow-remote/);
    expect(r.stdout).not.toMatch(/serving on/);
  });

  it('rejects an out-of-range port with exit 2', () => {
    const r = spawnSync(process.execPath, [serveJs, '--port', '70000'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--port 70000: port must be between 0 and 65535');
  });
});
