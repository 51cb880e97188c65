/**
 * The main screen at 1366×768 in both languages and both themes, with real
 * traffic, long wrapped rows, timestamps with Δt and two selected rows; also
 * the side panel as a rail. Images go to test-results/view-screens/ (to look
 * at, never under docs/). Each also checks the log keeps at least half of
 * the window.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures';
import { TcpPeer } from './peers';
import { logRows, newSession, sendHex } from './ui';
import { logShare, setViewSettings, switchLanguage, switchTheme } from './view-helpers';

const OUT = resolve(import.meta.dirname, '../../test-results/view-screens');
mkdirSync(OUT, { recursive: true });

test.use({ viewport: { width: 1366, height: 768 } });

async function traffic(page: Page): Promise<TcpPeer[]> {
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0, rxEncoding: 'GBK' });
  const a = await TcpPeer.connect(port);
  const b = await TcpPeer.connect(port);
  await a.write(Buffer.from('c4e3bac3a3accac0bde70d0a', 'hex')); // 你好，世界\r\n
  await b.write('AT+GMR\r\n');
  await expect(logRows(page).filter({ hasText: 'AT+GMR' })).toBeVisible();
  await a.write(`GET /status HTTP/1.1\r\nHost: device.local\r\nUser-Agent: firmware-updater/2.4 (${'x'.repeat(120)})\r\nAccept: */*\r\n\r\n`);
  await sendHex(page, '01 03 00 00 00 0A', { checksum: 'CRC-16/MODBUS' });
  await b.write(Buffer.from('01030400640032fa1f', 'hex'));
  await b.write(Buffer.from([...Array(300).keys()].map((i) => i & 0xff)));
  await expect(logRows(page).filter({ hasText: '01 03 04 00 64 00 32 FA 1F' })).toBeVisible();
  return [a, b];
}

for (const language of ['en', 'zh-CN'] as const) {
  for (const theme of ['light', 'dark'] as const) {
    test(`main screen at 1366×768, ${language}, ${theme}`, async ({ page, serve }) => {
      await page.goto(serve.url);
      await setViewSettings(page, { language: 'en', theme: 'light', logDelta: true });
      const peers = await traffic(page);
      await page.getByRole('checkbox', { name: 'Word wrap' }).check();
      const rows = logRows(page);
      await rows.filter({ hasText: 'AT+GMR' }).locator('.c-sel').click();
      await rows.filter({ hasText: '01 03 04 00 64' }).locator('.c-sel').click({ modifiers: ['Control'] });
      if (theme === 'dark') await switchTheme(page, 'Dark');
      if (language === 'zh-CN') await switchLanguage(page);
      await page.mouse.move(700, 740);
      // The state line in the header speaks the UI's language too.
      await expect(page.locator('.wb-conn-reason')).toHaveText(language === 'en' ? /^Listening on 127\.0\.0\.1:\d+$/ : /^正在监听 127\.0\.0\.1:\d+$/);
      expect(await logShare(page)).toBeGreaterThanOrEqual(0.5);
      await page.screenshot({ path: resolve(OUT, `main-${language}-${theme}.png`) });
      for (const p of peers) p.close();
    });
  }
}

test('the side panel as a rail, and the window title', async ({ page, serve }) => {
  await page.goto(serve.url);
  await setViewSettings(page, { language: 'en', theme: 'light' });
  const peers = await traffic(page);
  await page.getByRole('button', { name: 'Collapse the side panel' }).click();
  expect(await logShare(page)).toBeGreaterThanOrEqual(0.6);
  await expect(page).toHaveTitle(/127\.0\.0\.1:\d+.* · Listening — Wirebench/);
  await page.screenshot({ path: resolve(OUT, 'rail-en-light.png') });
  for (const p of peers) p.close();
});
