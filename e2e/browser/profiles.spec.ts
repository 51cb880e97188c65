import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, startServe, stopServe } from '../fixtures';
import { TcpPeer } from './peers';
import { newSession } from './ui';

test('profiles: save, export as JSON, and a bad import changes nothing', async ({ app: page }) => {
  await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  await page.getByRole('button', { name: 'Profiles' }).click();
  const dialog = page.getByRole('dialog', { name: 'Profiles' });
  await dialog.getByRole('textbox', { name: 'Profile name' }).fill('lab-3');
  await dialog.getByRole('button', { name: 'Save current workspace' }).click();
  const table = dialog.getByRole('table', { name: 'Saved profiles' });
  await expect(table.getByRole('button', { name: 'Open profile lab-3' })).toBeVisible();
  const rowsBefore = await table.getByRole('row').count();

  const download = page.waitForEvent('download');
  await table.getByRole('button', { name: 'Export profile lab-3' }).click();
  const json = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
  expect(json).toMatchObject({ wirebench: 'profile', name: 'lab-3', sessions: [{ config: { kind: 'tcp-server', host: '127.0.0.1' } }] });

  // a file with a bad port: clear error, nothing saved
  json.name = 'broken';
  json.sessions[0].config.port = 70000;
  await dialog.getByLabel('Profile file to import').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });
  await expect(dialog.getByTestId('profiles-error')).toContainText('sessions.0.config.port');
  await expect(table.getByRole('row')).toHaveCount(rowsBefore);
});

test('the last workspace, with its reply rules, reopens after serve mode restarts', async ({ browser }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wirebench-e2e-ws-'));
  try {
    const first = await startServe({ dataDir });
    const page = await browser.newPage();
    await page.goto(first.url);
    await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
    await page.getByRole('button', { name: 'Reply rules' }).click();
    const drawer = page.getByRole('dialog', { name: /^Reply rules/ });
    await drawer.getByRole('switch', { name: 'Echo received data' }).click();
    await drawer.getByRole('button', { name: 'Apply rules' }).click();
    await expect(drawer.getByTestId('rules-dirty')).toBeHidden();
    await page.waitForTimeout(1500); // the workspace is saved about a second after a change
    await page.close();
    await stopServe(first);

    const second = await startServe({ dataDir });
    const again = await browser.newPage();
    await again.goto(second.url);
    const offer = again.getByRole('region', { name: 'Last workspace' });
    await expect(offer).toContainText('1');
    await offer.getByRole('button', { name: 'Reopen' }).click();
    await expect(again.getByTestId('session-state')).toHaveAttribute('data-state', 'listening');
    const port = Number(await again.getByTestId('local-port').innerText());
    const client = await TcpPeer.connect(port);
    await client.write('echo me');
    await expect.poll(() => client.received.toString()).toBe('echo me');
    client.close();
    await again.close();
    await stopServe(second);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
