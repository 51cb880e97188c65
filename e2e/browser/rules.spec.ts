import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures';
import { TcpPeer } from './peers';
import { logRows, newSession } from './ui';

const run = promisify(execFile);

async function openRules(page: Page) {
  await page.getByRole('button', { name: 'Reply rules' }).click();
  const drawer = page.getByRole('dialog', { name: /^Reply rules/ });
  await expect(drawer).toBeVisible();
  return drawer;
}

async function loadExample(page: Page, example: 'SMTP server' | 'HTTP responder') {
  const drawer = await openRules(page);
  await drawer.getByRole('button', { name: 'Load example' }).click();
  await page.getByText(example, { exact: true }).click();
  await expect(drawer.getByRole('table', { name: 'Rules' }).getByRole('row').nth(1)).toBeVisible();
  // applied in the engine (the side panel counts the session's rules), not only shown in the drawer:
  // a client that connects before that would get no greeting
  await expect(page.getByRole('button', { name: 'Reply rules' })).toHaveText(/\(\d+\)/);
  return drawer;
}

test('the built-in SMTP example lets a real curl client deliver a mail', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  const drawer = await loadExample(page, 'SMTP server');

  const dir = mkdtempSync(join(tmpdir(), 'wb-smtp-'));
  try {
    const mail = join(dir, 'mail.txt');
    writeFileSync(mail, 'Subject: lab report\r\n\r\nHello from the e2e test.\r\n');
    const { stderr } = await run('curl', [
      '-sS', '--max-time', '20', '--url', `smtp://127.0.0.1:${port}`,
      '--mail-from', 'student@example.com', '--mail-rcpt', 'teacher@example.com', '-T', mail,
    ]);
    expect(stderr).toBe('');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // the mail body arrived, and the rules counted their hits
  await expect(logRows(page).filter({ hasText: 'Hello from the e2e test.' })).toBeVisible();
  await expect(logRows(page).filter({ hasText: '250 OK: queued as 1' })).toBeVisible();
  await expect(drawer.getByTestId('rule-hits-1')).not.toHaveText('0');
});

test('the built-in HTTP example answers a real curl request', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  await loadExample(page, 'HTTP responder');
  const { stdout } = await run('curl', ['-sS', '--max-time', '20', `http://127.0.0.1:${port}/hello`]);
  expect(stdout).toBe('Hello from Wirebench\n');
});

test('a rule written in the editor replies with its capture group and the per-peer count', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  const drawer = await openRules(page);
  await drawer.getByRole('button', { name: 'Add rule' }).click();
  const editor = page.getByRole('dialog', { name: 'New rule' });
  await editor.getByRole('textbox', { name: 'Rule name' }).fill('ping');
  await editor.getByRole('combobox', { name: 'Match kind' }).selectOption({ label: 'matches the regex' });
  await editor.getByRole('textbox', { name: 'Pattern' }).fill('^PING (\\w+)');
  await editor.getByRole('textbox', { name: 'Reply', exact: true }).fill('PONG $1 #{{count}}\\n');
  await editor.getByRole('button', { name: 'Save rule' }).click();
  await drawer.getByRole('button', { name: 'Apply rules' }).click();
  await expect(drawer.getByTestId('rules-dirty')).toBeHidden();

  const client = await TcpPeer.connect(port);
  await client.write('PING bob');
  await expect.poll(() => client.received.toString()).toBe('PONG bob #1\n');
  await client.write('PING ann');
  await expect.poll(() => client.received.toString()).toBe('PONG bob #1\nPONG ann #2\n');
  await expect(drawer.getByTestId('rule-hits-1')).toHaveText('2');
  client.close();
});
