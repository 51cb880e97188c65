import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { test, expect } from '../fixtures';
import { TcpPeer } from './peers';
import { counter, newSession } from './ui';

const run = promisify(execFile);

test('saved received data downloads byte for byte', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  await page.getByRole('switch', { name: 'Save received data' }).click();
  const client = await TcpPeer.connect(port);
  const data = randomBytes(300_000);
  await client.write(data);
  await expect.poll(() => counter(page, 'rx-bytes')).toBe(data.length);
  await page.getByRole('switch', { name: 'Save received data' }).click();

  await page.getByRole('button', { name: /^Capture files/ }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: /^Download / }).first().click();
  const file = await (await download).path();
  expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
  client.close();
});

test('the log exports as pcapng that tshark reads back with every payload in order', async ({ app: page }) => {
  test.skip(!existsSync('/usr/bin/tshark'), 'tshark is not installed');
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  const client = await TcpPeer.connect(port);
  const parts = ['alpha', 'bravo', 'charlie'];
  for (const p of parts) {
    await client.write(p);
    await expect.poll(() => counter(page, 'rx-bytes')).toBe(parts.slice(0, parts.indexOf(p) + 1).join('').length);
  }
  await page.getByRole('button', { name: 'Export log…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export log' });
  await dialog.getByRole('radio', { name: 'pcapng' }).check();
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const download = page.waitForEvent('download');
  await dialog.getByRole('link', { name: /^Download / }).click();
  const file = await (await download).path();

  const { stdout } = await run('tshark', ['-r', file, '-T', 'fields', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tcp.payload']);
  const rows = stdout.trim().split('\n').map((l) => l.split('\t'));
  expect(rows.map((r) => Buffer.from((r[2] ?? '').replace(/:/g, ''), 'hex').toString())).toEqual(parts);
  for (const r of rows) {
    expect(Number(r[0])).toBe(client.socket.localPort);
    expect(Number(r[1])).toBe(port);
  }
  client.close();
});
