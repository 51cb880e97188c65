/**
 * The Electron project: launches the built app with _electron.launch and
 * checks the core flow and the window's security preferences. It runs
 * wherever the Electron binary exists; without it (ELECTRON_SKIP_BINARY_DOWNLOAD)
 * every test here is skipped with the reason printed.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';

/**
 * Where the Electron binary is, without require('electron'): since Electron 45
 * that require downloads the binary when it is missing, which must not happen
 * in a test run.
 */
function electronBinary(): { path?: string; reason?: string } {
  const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { reason: 'the Electron binary was not downloaded (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)' };
  }
  const rel = readFileSync(pathFile, 'utf8').trim();
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const path = override ? join(override, rel) : join(dir, 'dist', rel);
  return existsSync(path) ? { path } : { reason: `the Electron binary is not at ${path}` };
}

const binary = electronBinary();
const MAIN = resolve(import.meta.dirname, '../../out/main/index.js');
if (!binary.path) console.log(`[electron e2e] skipped: ${binary.reason}`);

test.describe('desktop app', () => {
  test.skip(!binary.path, `skipped: ${binary.reason ?? ''}`);
  let app: ElectronApplication;

  test.beforeAll(async () => {
    app = await electron.launch({ executablePath: binary.path!, args: [MAIN], env: { ...process.env, LANG: 'en_US.UTF-8' } });
  });
  test.afterAll(async () => {
    await app?.close();
  });

  test('the window is isolated, sandboxed and has no Node', async () => {
    const page = await app.firstWindow();
    // isolated world + sandbox: the page sees neither Node nor the raw ipcRenderer, only the named API
    const api = await page.evaluate(() => {
      const w = globalThis as unknown as { wirebench?: Record<string, unknown> };
      return { keys: Object.keys(w.wirebench ?? {}), frozen: Object.isFrozen(w.wirebench) };
    });
    expect(api.frozen).toBe(true);
    expect(api.keys).toContain('openSession');
    expect(api.keys).not.toContain('invoke');
    expect(api.keys).not.toContain('ipcRenderer');
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    // window.open is denied
    expect(await page.evaluate(() => (globalThis as unknown as { open(u: string): unknown }).open('https://example.invalid/') === null)).toBe(true);
  });

  test('a TCP server opened in the UI receives from a real client', async () => {
    const page = await app.firstWindow();
    await page.getByRole('button', { name: 'New session' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: 'TCP server' }).click();
    await dialog.getByRole('textbox', { name: 'Port' }).fill('0');
    await dialog.getByRole('button', { name: 'Open' }).click();
    const port = Number(await page.getByTestId('local-port').innerText());
    expect(port).toBeGreaterThan(0);
    const client = createConnection({ host: '127.0.0.1', port });
    await new Promise((r) => client.once('connect', r));
    client.write('hello from a real client');
    await expect(page.getByRole('row').filter({ hasText: 'hello from a real client' })).toBeVisible();
    client.destroy();
  });
});
