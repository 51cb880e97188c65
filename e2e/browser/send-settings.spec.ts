/**
 * Issue 9 §2 and §6: each session's send settings, draft and history survive
 * a reload and a restart (from the workspace); the result line belongs to its
 * session and speaks the user's language; error toasts keep off the Send
 * button; a new session puts the caret in its send box.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, startServe, stopServe } from '../fixtures';
import { TcpPeer } from './peers';
import { newSession, sendHex, sendPanel } from './ui';

const tab = (page: Page, i: number) => page.getByRole('tab').nth(i);
const box = (page: Page) => sendPanel(page).getByRole('textbox', { name: 'Message to send' });

/** Session 1 (TCP server, a client connected): a Modbus request sent, the next one drafted. */
async function modbusSession(page: Page): Promise<TcpPeer> {
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  await expect(box(page)).toBeFocused();
  const client = await TcpPeer.connect(port);
  await expect(page.getByRole('button', { name: `Disconnect peer 127.0.0.1:${client.socket.localPort}` })).toBeVisible();
  await sendHex(page, '01 03 00 00 00 0A', { checksum: 'CRC-16/MODBUS', byteOrder: 'Little endian (low byte first)' });
  await box(page).fill('01 06 00 01 00 03');
  return client;
}

/** Session 2 (UDP): text with Big5 picked, escapes, CRLF, a draft. */
async function textSession(page: Page): Promise<void> {
  await newSession(page, { kind: 'UDP', bind: '127.0.0.1', port: 0 });
  await expect(box(page)).toBeFocused();
  const panel = sendPanel(page);
  await panel.getByRole('combobox', { name: 'Encoding', exact: true }).selectOption({ label: 'Big5' });
  await panel.getByRole('checkbox', { name: 'Escapes' }).check();
  await panel.getByRole('combobox', { name: 'Line ending' }).selectOption({ label: 'CRLF (\\r\\n)' });
  await box(page).fill('AT+GMR\\r');
}

async function expectModbus(page: Page): Promise<void> {
  const panel = sendPanel(page);
  await expect(panel.getByRole('radio', { name: 'Hex', exact: true })).toBeChecked();
  await expect(panel.getByRole('combobox', { name: 'Checksum' })).toHaveValue('crc16-modbus');
  await expect(panel.getByRole('combobox', { name: 'Byte order' })).toHaveValue('le');
  await expect(box(page)).toHaveValue('01 06 00 01 00 03');
  await panel.getByRole('button', { name: 'Message history' }).click();
  await expect(page.getByText('HEX  01 03 00 00 00 0A')).toBeVisible();
  await page.keyboard.press('Escape');
}

async function expectText(page: Page): Promise<void> {
  const panel = sendPanel(page);
  await expect(panel.getByRole('radio', { name: 'Text', exact: true })).toBeChecked();
  await expect(panel.getByRole('combobox', { name: 'Encoding', exact: true })).toHaveValue('big5');
  await expect(panel.getByTestId('send-encoding-note')).toContainText('Sending Big5, receiving UTF-8');
  await expect(panel.getByRole('checkbox', { name: 'Escapes' })).toBeChecked();
  await expect(panel.getByRole('combobox', { name: 'Line ending' })).toHaveValue('crlf');
  await expect(box(page)).toHaveValue('AT+GMR\\r');
}

test('send settings, drafts and history are per session and survive a reload; the result line is per session and translated', async ({ app: page }) => {
  const client = await modbusSession(page);
  const result = page.getByTestId('send-result'); // not in the 'Send' region: its name is translated too
  await expect(result).toHaveText('Sent 8 bytes to 1 target(s)');
  await textSession(page);
  await expect(result).toHaveCount(0); // the other session's result stays with it

  await tab(page, 0).click();
  await expectModbus(page);
  await expect(result).toHaveText('Sent 8 bytes to 1 target(s)');
  await page.getByRole('button', { name: 'Language' }).click();
  await expect(result).toHaveText('已发送 8 字节到 1 个目标');
  await page.getByRole('button', { name: /^(Language|语言)[:：]/ }).click();
  await expect(result).toHaveText('Sent 8 bytes to 1 target(s)');

  await page.waitForTimeout(600); // saved 0.3 s after the last change
  await page.reload();
  await expect(page.getByRole('tab')).toHaveCount(2);
  await tab(page, 0).click();
  await expectModbus(page);
  await tab(page, 1).click();
  await expectText(page);

  // the remembered settings are the ones that send
  await tab(page, 0).click();
  const at = client.received.length;
  await sendPanel(page).getByRole('button', { name: 'Send', exact: true }).click();
  await client.expectBytes(Buffer.from('010600010003980b', 'hex'), at); // CRC-16/MODBUS, low byte first
  client.close();
});

test('after serve mode restarts, a reopened workspace brings the send settings back in a fresh browser', async ({ browser }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wirebench-e2e-send-'));
  try {
    const first = await startServe({ dataDir });
    const page = await browser.newPage();
    await page.goto(first.url);
    const client = await modbusSession(page);
    client.close();
    await textSession(page);
    await page.waitForTimeout(2000); // the draft is saved after 0.3 s, the workspace a second later
    await page.close();
    await stopServe(first);

    const second = await startServe({ dataDir });
    const fresh = await browser.newContext(); // no localStorage: everything comes from the workspace
    const again = await fresh.newPage();
    await again.goto(second.url);
    const offer = again.getByRole('region', { name: 'Last workspace' });
    await offer.getByRole('button', { name: 'Reopen' }).click();
    await expect(again.getByRole('tab')).toHaveCount(2);
    await tab(again, 0).click();
    await expectModbus(again);
    await tab(again, 1).click();
    await expectText(again);
    await fresh.close();
    await stopServe(second);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('an error toast does not cover the Send button', async ({ app: page }) => {
  await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  await box(page).fill('ping');
  // a quick command sent with no client connected fails with a toast
  await page.getByRole('button', { name: 'Add quick command' }).click();
  const dialog = page.getByRole('dialog', { name: 'Quick commands' });
  await dialog.getByRole('textbox', { name: 'New command name' }).fill('P');
  await dialog.getByRole('button', { name: 'Add current message' }).click();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('toolbar', { name: 'Quick commands' }).getByRole('button', { name: 'P', exact: true }).click();
  const toast = page.locator('.n-notification').first();
  await expect(toast).toBeVisible();
  const send = await sendPanel(page).getByRole('button', { name: 'Send', exact: true }).boundingBox();
  const t = await toast.boundingBox();
  expect(send && t).toBeTruthy();
  const overlaps = t!.x < send!.x + send!.width && send!.x < t!.x + t!.width && t!.y < send!.y + send!.height && send!.y < t!.y + t!.height;
  expect(overlaps).toBe(false);
  // and the Send button can still be clicked while the toast is up
  await sendPanel(page).getByRole('button', { name: 'Send', exact: true }).click({ trial: true });
});
