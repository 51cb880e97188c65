import { createHash, randomBytes } from 'node:crypto';
import { test, expect } from '../fixtures';
import { TcpPeer } from './peers';
import { newSession, sendPanel } from './ui';

async function serverWithClient(page: import('@playwright/test').Page) {
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  const client = await TcpPeer.connect(port);
  await expect(page.getByRole('button', { name: /^Disconnect peer/ })).toBeVisible();
  return client;
}

async function type(page: import('@playwright/test').Page, text: string) {
  const panel = sendPanel(page);
  await panel.getByRole('radio', { name: 'Text', exact: true }).check();
  await panel.getByRole('textbox', { name: 'Message to send' }).fill(text);
}

test('a periodic send with count 1000 at 1 ms arrives exactly 1000 times', async ({ app: page }) => {
  const client = await serverWithClient(page);
  await type(page, 'TICK1234');
  const bar = page.getByRole('region', { name: 'Automation' });
  await bar.getByRole('textbox', { name: 'Interval (ms)' }).fill('1');
  await bar.getByRole('textbox', { name: 'Repeat count' }).fill('1000');
  await bar.getByRole('button', { name: 'Start periodic send' }).click();
  await expect(bar.getByTestId('periodic-progress')).toContainText('1,000 / 1,000', { timeout: 30_000 });
  await expect.poll(() => client.received.length).toBe(8000);
  await page.waitForTimeout(200);
  expect(client.received.length).toBe(8000);
  expect(client.received.toString()).toBe('TICK1234'.repeat(1000));
  client.close();
});

test('a file sent from the browser arrives with the same SHA-256', async ({ app: page }) => {
  const client = await serverWithClient(page);
  const file = randomBytes(5 * 1024 * 1024 + 123);
  await page.getByLabel('File to send').setInputFiles({ name: 'firmware.bin', mimeType: 'application/octet-stream', buffer: file });
  await expect(page.getByTestId('transfer-status')).toContainText('firmware.bin', { timeout: 30_000 });
  await expect.poll(() => client.received.length, { timeout: 30_000 }).toBe(file.length);
  expect(createHash('sha256').update(client.received).digest('hex')).toBe(createHash('sha256').update(file).digest('hex'));
  client.close();
});

test('a quick command sends its saved message with one click', async ({ app: page }) => {
  const client = await serverWithClient(page);
  await type(page, 'AT+RST\\r\\n');
  await sendPanel(page).getByRole('checkbox', { name: 'Escapes' }).check();
  const quick = page.getByRole('toolbar', { name: 'Quick commands' });
  await quick.getByRole('button', { name: 'Add quick command' }).click();
  const dialog = page.getByRole('dialog', { name: 'Quick commands' });
  await dialog.getByRole('textbox', { name: 'New command name' }).fill('reset');
  await dialog.getByRole('button', { name: 'Add current message' }).click();
  await dialog.getByRole('button', { name: 'Done' }).click();
  // the send box changes; the quick command keeps its own message
  await type(page, 'something else');
  await quick.getByRole('button', { name: 'reset', exact: true }).click();
  await expect.poll(() => client.received.toString()).toBe('AT+RST\r\n');
  client.close();
});

test('a sequence sends its steps in order with their delays', async ({ app: page }) => {
  const client = await serverWithClient(page);
  await page.getByRole('region', { name: 'Automation' }).getByRole('button', { name: 'Sequences' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sequences' });
  await dialog.getByRole('button', { name: 'New sequence' }).click();
  await dialog.getByRole('textbox', { name: 'Sequence name' }).fill('boot');
  await dialog.getByRole('button', { name: 'Add step' }).click();
  await dialog.getByRole('textbox', { name: 'Step 1', exact: true }).fill('one;');
  await dialog.getByRole('button', { name: 'Add step' }).click();
  await dialog.getByRole('textbox', { name: 'Step 2', exact: true }).fill('two;');
  // long enough that a loaded CI machine still sees step 1 alone before step 2
  await dialog.getByRole('textbox', { name: 'Delay before step 2 (ms)' }).fill('2000');
  await dialog.getByRole('button', { name: 'Save sequence' }).click();
  await dialog.getByRole('button', { name: 'Run once' }).click();
  await expect.poll(() => client.received.toString(), { intervals: [50] }).toBe('one;');
  await expect.poll(() => client.received.toString(), { timeout: 15_000 }).toBe('one;two;');
  client.close();
});
