/**
 * Browser e2e fixtures: one real serve-mode process per worker (built app,
 * port 0, random token), and a page opened on its URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';

export interface ServeHost {
  /** http://127.0.0.1:PORT/ */
  origin: string;
  port: number;
  token: string;
  /** full URL with the token, as printed */
  url: string;
  process: ChildProcess;
}

const SERVE_JS = resolve(import.meta.dirname, '../out/main/serve.js');

/** Starts `out/main/serve.js`. A given dataDir is kept (for restart tests); else a temporary one is removed at exit. */
export async function startServe(opts: { dataDir?: string; extraArgs?: string[] } = {}): Promise<ServeHost> {
  if (!existsSync(SERVE_JS)) throw new Error(`${SERVE_JS} is missing: run "npm run build" first (npm run e2e does)`);
  const token = randomBytes(18).toString('base64url');
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'wirebench-e2e-'));
  const args = [SERVE_JS, '--port', '0', `--token=${token}`, '--data-dir', dataDir, ...(opts.extraArgs ?? [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (!opts.dataDir) child.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`serve did not print its URL in time:\n${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/\S+\?token=\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  const u = new URL(url);
  return { origin: u.origin, port: Number(u.port), token, url, process: child };
}

export async function stopServe(host: ServeHost): Promise<void> {
  if (host.process.exitCode !== null) return;
  await new Promise<void>((res) => {
    host.process.once('exit', () => res());
    host.process.kill('SIGTERM');
    setTimeout(() => host.process.kill('SIGKILL'), 5000).unref();
  });
}

type TestFixtures = { serve: ServeHost; app: Page };

/** Each test gets its own serve process, so sessions never leak between tests. */
export const test = base.extend<TestFixtures>({
  serve: [
    async ({}, use) => {
      const host = await startServe();
      await use(host);
      await stopServe(host);
    },
    { timeout: 60_000 },
  ],
  app: async ({ page, serve }, use) => {
    await page.goto(serve.url);
    await expect(page.getByRole('button', { name: 'New session' }).first()).toBeVisible();
    await use(page);
  },
});

export { expect };
