/**
 * Renders the main views in en and zh-CN, light and dark, with real traffic,
 * at 1366×860 and at 1366×768.
 * Images go to test-results/screenshots; with WIREBENCH_SCREENSHOTS=1 they
 * refresh docs/images/ (used by the README and the user guide).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures';
import { TcpPeer, UdpPeer } from './peers';
import { logRows, newSession, sendHex, sendText } from './ui';

const OUT = process.env['WIREBENCH_SCREENSHOTS'] === '1'
  ? resolve(import.meta.dirname, '../../docs/images')
  : resolve(import.meta.dirname, '../../test-results/screenshots');
mkdirSync(OUT, { recursive: true });

test.use({ viewport: { width: 1366, height: 860 } });

/** Store the UI settings the way the app does, then reload so they apply. */
async function setSettings(page: Page, language: 'en' | 'zh-CN', theme: 'light' | 'dark') {
  await page.evaluate(
    ([l, t]) => localStorage.setItem('wirebench.settings.v1', JSON.stringify({ language: l, theme: t })),
    [language, theme] as const,
  );
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

for (const language of ['en', 'zh-CN'] as const) {
  for (const theme of ['light', 'dark'] as const) {
    test(`main view, ${language}, ${theme}`, async ({ page, serve }) => {
      await page.goto(serve.url);
      // the helpers find controls by their English names: set up in en, then switch
      await setSettings(page, 'en', 'light');
      const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0, rxEncoding: 'GBK' });
      const a = await TcpPeer.connect(port);
      const b = await TcpPeer.connect(port);
      await a.write(Buffer.from('c4e3bac3a3accac0bde70d0a', 'hex')); // 你好，世界\r\n
      await b.write('AT+GMR\r\n');
      await expect(logRows(page).filter({ hasText: 'AT+GMR' })).toBeVisible();
      await sendText(page, '收到 OK', { encoding: 'GBK', lineEnding: 'CRLF (\\r\\n)' });
      await sendHex(page, '01 03 00 00 00 0A', { checksum: 'CRC-16/MODBUS' });
      await b.write(Buffer.from('01030400640032fa1f', 'hex'));
      await expect(logRows(page).filter({ hasText: '01 03 04 00 64 00 32 FA 1F' })).toBeVisible();

      // switch with the header buttons, as a user would (a reload would empty the view's log)
      if (theme === 'dark') {
        const toggle = page.getByRole('button', { name: /^Switch theme/ });
        while (!/now: Dark/.test((await toggle.getAttribute('aria-label')) ?? '')) await toggle.click();
      }
      if (language === 'zh-CN') await page.getByRole('button', { name: /^Language: / }).click();
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      await page.screenshot({ path: resolve(OUT, `main-${language}-${theme}.png`) });
      // and at the laptop size the reviewers used
      await page.setViewportSize({ width: 1366, height: 768 });
      await expect(page.locator('[role="grid"].log-scroll')).toBeVisible();
      await page.screenshot({ path: resolve(OUT, `main-${language}-${theme}-1366x768.png`) });
      a.close();
      b.close();
    });
  }
}

test('new-session dialog, UDP view and row details (en, light)', async ({ page, serve }) => {
  await page.goto(serve.url);
  await setSettings(page, 'en', 'light');
  await page.getByRole('button', { name: 'New session' }).click();
  const dialog = page.getByRole('dialog', { name: 'New session' });
  await dialog.getByRole('radio', { name: 'TCP server', exact: true }).check();
  await page.screenshot({ path: resolve(OUT, 'new-session-en-light.png') });
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  const port = await newSession(page, { kind: 'UDP', bind: '127.0.0.1', port: 0 });
  const peer = await UdpPeer.bind();
  await peer.send('temp=21.5C hum=40%', port);
  await peer.send(Buffer.from('a55a0401020304ff', 'hex'), port);
  await expect(logRows(page).filter({ hasText: 'A5 5A 04 01 02 03 04 FF' })).toBeVisible();
  await page.getByRole('region', { name: 'UDP' }).getByRole('radio', { name: 'Reply to last sender' }).check();
  await sendText(page, 'ACK');
  await page.screenshot({ path: resolve(OUT, 'udp-en-light.png') });

  await logRows(page).filter({ hasText: 'temp=21.5C' }).getByRole('button', { name: 'Details' }).click();
  await expect(page.getByRole('dialog', { name: 'Row details' })).toBeVisible();
  await page.screenshot({ path: resolve(OUT, 'row-details-en-light.png') });
  peer.close();
});

test('reply rules with the SMTP example, the export dialog and profiles (en, light)', async ({ page, serve }) => {
  await page.goto(serve.url);
  await setSettings(page, 'en', 'light');
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  await page.getByRole('button', { name: 'Reply rules' }).click();
  const drawer = page.getByRole('dialog', { name: /^Reply rules/ });
  await drawer.getByRole('button', { name: 'Load example' }).click();
  await page.getByText('SMTP server', { exact: true }).click();
  await expect(drawer.getByRole('table', { name: 'Rules' }).getByRole('row').nth(1)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reply rules' })).toHaveText(/\(\d+\)/); // applied in the engine
  const client = await TcpPeer.connect(port);
  for (const line of ['EHLO lab-pc', 'MAIL FROM:<student@example.com>', 'RCPT TO:<teacher@example.com>', 'DATA', 'Subject: hi', '', 'Hello', '.', 'QUIT']) {
    await client.write(`${line}\r\n`);
  }
  await expect(drawer.getByTestId('rule-hits-1')).not.toHaveText('0');
  await page.screenshot({ path: resolve(OUT, 'rules-en-light.png') });
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await page.screenshot({ path: resolve(OUT, 'smtp-log-en-light.png') });

  await page.getByRole('button', { name: 'Export log…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export log' });
  await dialog.getByRole('radio', { name: 'pcapng' }).check();
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByRole('link', { name: /^Download / })).toBeVisible();
  await page.screenshot({ path: resolve(OUT, 'export-en-light.png') });
  await dialog.getByRole('button', { name: 'Done' }).click();

  await page.getByRole('button', { name: 'Profiles' }).click();
  const profiles = page.getByRole('dialog', { name: 'Profiles' });
  await profiles.getByRole('textbox', { name: 'Profile name' }).fill('SMTP lab');
  await profiles.getByRole('button', { name: 'Save current workspace' }).click();
  await expect(profiles.getByRole('button', { name: 'Open profile SMTP lab' })).toBeVisible();
  await page.screenshot({ path: resolve(OUT, 'profiles-en-light.png') });
  client.close();
});
