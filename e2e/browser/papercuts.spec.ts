/**
 * Issue #9, the papercuts, as a user meets them (real sockets on loopback;
 * every wait is for a condition). Screenshots of the new-session dialog in
 * each kind go to test-results/papercuts/.
 */
import { createServer, type Server } from 'node:net';
import { createSocket } from 'node:dgram';
import { resolve } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from '../fixtures';
import { TcpPeer } from './peers';
import { chooseNaiveOption, counter, fillNewSession, logRows, newSession, openNewSessionDialog, sendText } from './ui';
import { setViewSettings } from './view-helpers';

test.use({ viewport: { width: 1366, height: 768 } });

const SHOTS = resolve(import.meta.dirname, '../../test-results/papercuts');

/** The left x of every field's input column in the dialog. */
async function inputColumns(dialog: Locator): Promise<number[]> {
  const blanks = dialog.locator('.n-form-item-blank');
  const xs: number[] = [];
  for (const box of await blanks.all()) {
    if (!(await box.isVisible())) continue;
    const b = await box.boundingBox();
    if (b) xs.push(Math.round(b.x));
  }
  return xs;
}

for (const language of ['en', 'zh-CN'] as const) {
  test(`new-session dialog (${language}): every kind's fields, the advanced ones too, start at one x`, async ({ app: page }) => {
    await setViewSettings(page, { language, theme: 'light' });
    const zh = language === 'zh-CN';
    await page.getByRole('button', { name: zh ? '新建会话' : 'New session' }).first().click();
    const dialog = page.getByRole('dialog', { name: zh ? '新建会话' : 'New session' });
    await expect(dialog).toBeVisible();
    const seen = new Set<number>();
    const kinds = zh ? ['TCP 客户端', 'TCP 服务器', 'UDP'] : ['TCP client', 'TCP server', 'UDP'];
    const advanced = dialog.getByText(zh ? '高级选项' : 'Advanced options');
    for (const [i, kind] of kinds.entries()) {
      await dialog.getByRole('radio', { name: kind, exact: true }).check();
      for (const open of [false, true]) {
        if (open !== ((await dialog.locator('.n-collapse-item--active').count()) > 0)) await advanced.click();
        if (open && i === 0) await dialog.getByRole('switch', { name: zh ? '断线自动重连' : 'Auto-reconnect' }).click();
        await expect(dialog.locator('.n-collapse-item--active')).toHaveCount(open ? 1 : 0);
        const xs = await inputColumns(dialog);
        expect(xs.length).toBeGreaterThan(3);
        for (const x of xs) seen.add(x);
        await dialog.screenshot({ path: resolve(SHOTS, `new-session-${language}-${i}-${open ? 'advanced' : 'basic'}.png`) });
      }
    }
    expect([...seen]).toHaveLength(1);
  });
}

test('a new UDP dialog does not offer the previous session’s remote again', async ({ app: page }) => {
  await newSession(page, { kind: 'UDP', bind: '127.0.0.1', port: 0, remoteHost: '127.0.0.1', remotePort: 9 });
  const dialog = await openNewSessionDialog(page);
  await dialog.getByRole('radio', { name: 'UDP', exact: true }).check();
  await expect(dialog.getByRole('textbox', { name: 'Remote host', exact: true })).toHaveValue('');
  await expect(dialog.getByRole('textbox', { name: 'Remote port', exact: true })).toHaveValue('');
});

test('framing: a choice applies at once, a typed delimiter waits visibly for Enter, an invalid one applies nothing', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  const framingButton = page.getByRole('button', { name: /^Framing: / });
  await expect(framingButton).toHaveAccessibleName('Framing: None');
  await framingButton.click();
  await chooseNaiveOption(page, page.getByLabel('Framing', { exact: true }), 'Delimiter');
  // applied without any Apply click
  await expect(framingButton).toHaveAccessibleName(/^Framing: Delimiter /);
  const pending = page.getByTestId('framing-pending');
  await expect(pending).toBeHidden();

  const delimiter = page.getByRole('textbox', { name: 'Delimiter value' });
  await delimiter.fill(';');
  await expect(pending).toHaveText(/not applied yet/);
  await page.screenshot({ path: resolve(SHOTS, 'framing-pending.png') });
  await expect(framingButton).not.toHaveAccessibleName('Framing: Delimiter ;');
  await delimiter.press('Enter');
  await expect(framingButton).toHaveAccessibleName('Framing: Delimiter ;');
  await expect(pending).toBeHidden();

  await delimiter.fill('\\q');
  // the send box's own sentence for a bad escape, with its position
  await expect(page.getByRole('alert').filter({ hasText: 'Unknown escape \\q at position 1' })).toBeVisible();
  await expect(pending).toHaveText(/fix the value/);
  await delimiter.press('Enter');
  await page.getByRole('checkbox', { name: 'Keep delimiter' }).click();
  await expect(framingButton).toHaveAccessibleName('Framing: Delimiter ;');

  // the engine cuts with ';' for real
  await page.keyboard.press('Escape');
  const peer = await TcpPeer.connect(port);
  await peer.write('alpha;bravo;');
  await expect(logRows(page).filter({ hasText: 'bravo' })).toHaveCount(1);
  await expect(logRows(page).filter({ hasText: 'alpha' }).filter({ hasNotText: 'bravo' })).toHaveCount(1);
  peer.close();
});

test('export dialog: the record count stays live while it is open and matches what is exported', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  const peer = await TcpPeer.connect(port);
  for (let i = 1; i <= 5; i++) {
    await peer.write(`m${i}`);
    await expect.poll(() => counter(page, 'rx-messages')).toBe(i);
  }
  await page.getByRole('button', { name: 'Export log…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export log' });
  const note = dialog.getByText(/Exports read the whole log/);
  const shown = async () => Number(/: ([\d,]+) records/.exec(await note.innerText())?.[1]?.replace(/,/g, '') ?? NaN);
  await expect.poll(shown).toBeGreaterThanOrEqual(5);
  const before = await shown();
  for (let i = 6; i <= 8; i++) {
    await peer.write(`m${i}`);
    await expect.poll(() => counter(page, 'rx-messages')).toBe(i);
  }
  await expect.poll(shown).toBe(before + 3);
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByTestId('export-status')).toHaveText(new RegExp(`^Exported ${before + 3} records`));
  peer.close();
});

/** Hold a loopback TCP port; null when something else holds it already (it is in use either way). */
function occupy(port: number): Promise<Server | null> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? res(null) : rej(e)));
    s.listen({ host: '127.0.0.1', port }, () => res(s));
  });
}

test('a built-in profile whose port is taken listens on the next free one and says so, in both languages', async ({ app: page }) => {
  const blocker = await occupy(2525);
  try {
    await page.getByRole('button', { name: 'Profiles' }).click();
    const dialog = page.getByRole('dialog', { name: 'Profiles' });
    await dialog.getByRole('button', { name: 'Open profile SMTP server' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'listening');
    const port = Number(await page.getByTestId('local-port').innerText());
    expect(port).toBeGreaterThan(2525);
    expect(port).toBeLessThanOrEqual(2545);
    await expect(page.getByText(`SMTP server: port 2525 was in use, so it listens on port ${port}.`)).toBeVisible();
    const reason = page.locator('.wb-conn-reason');
    await expect(reason).toHaveText(`Listening on 127.0.0.1:${port}: port 2525 was in use, so the next free port was taken`);
    // the server answers there for real
    const client = await TcpPeer.connect(port);
    await client.write('EHLO me\r\n');
    await expect.poll(() => client.received.toString()).toMatch(/^220 [\s\S]*250/);
    client.close();
    await page.getByRole('button', { name: /^Language: / }).click();
    await expect(reason).toHaveText(`正在监听 127.0.0.1:${port}：端口 2525 已被占用，已改用下一个空闲端口`);
  } finally {
    blocker?.close();
  }
});

test('two sessions given one name are told apart: "Echo" and "Echo (2)"', async ({ app: page }) => {
  for (let i = 0; i < 2; i++) {
    const dialog = await openNewSessionDialog(page);
    await fillNewSession(dialog, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
    await dialog.getByRole('textbox', { name: 'Session name' }).fill('Echo');
    await dialog.getByRole('button', { name: 'Create session' }).click();
    await expect(dialog).toBeHidden();
  }
  await expect(page.getByRole('tab')).toHaveCount(2);
  await expect(page.getByRole('tab').nth(0)).toContainText('Echo');
  await expect(page.getByRole('tab').nth(1)).toContainText('Echo (2)');
});

test('UDP to a broadcast address: the panel offers to turn Broadcast on, and then the datagram goes out', async ({ app: page }) => {
  // a receiver bound to the loopback network's broadcast address gets what is broadcast there
  const rx = createSocket('udp4');
  const got: string[] = [];
  rx.on('message', (m) => got.push(m.toString()));
  await new Promise<void>((r) => rx.bind(0, '127.255.255.255', () => r()));
  try {
    await newSession(page, { kind: 'UDP', bind: '127.0.0.1', port: 0, remoteHost: '127.255.255.255', remotePort: rx.address().port });
    const udp = page.getByRole('region', { name: 'UDP' });
    const warning = page.getByTestId('broadcast-needed');
    await expect(warning).toHaveText(/127\.255\.255\.255 is a broadcast address/);
    await expect(udp.getByRole('switch', { name: 'Broadcast' })).toHaveAttribute('aria-checked', 'false');
    await page.screenshot({ path: resolve(SHOTS, 'broadcast-needed.png') });
    await warning.getByRole('button', { name: 'Turn on broadcast' }).click();
    await expect(warning).toBeHidden();
    await expect(udp.getByRole('switch', { name: 'Broadcast' })).toHaveAttribute('aria-checked', 'true');
    await sendText(page, 'to everyone');
    await expect.poll(() => got).toEqual(['to everyone']);
  } finally {
    rx.close();
  }
});

async function themeButton(page: Page): Promise<Locator> {
  const b = page.getByRole('button', { name: /^Switch theme/ });
  await expect(b).toBeVisible();
  return b;
}
const dark = (page: Page) => page.evaluate(() => document.documentElement.classList.contains('wb-dark'));

test('theme button on a light system: the first click goes dark, and its name says what the next click does', async ({ app: page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await setViewSettings(page, { language: 'en', theme: 'system' });
  const b = await themeButton(page);
  await expect(b).toHaveAccessibleName('Switch theme (now: Follow system, Light; next: Dark)');
  expect(await dark(page)).toBe(false);
  await b.click();
  await expect(b).toHaveAccessibleName('Switch theme (now: Dark; next: Light)');
  expect(await dark(page)).toBe(true);
  await b.click();
  await expect(b).toHaveAccessibleName('Switch theme (now: Light; next: Follow system, Light)');
  expect(await dark(page)).toBe(false);
  await b.click();
  await expect(b).toHaveAccessibleName(/^Switch theme \(now: Follow system, Light/);
});

test('theme button on a dark system: the first click goes light', async ({ app: page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await setViewSettings(page, { language: 'zh-CN', theme: 'system' });
  const b = page.getByRole('button', { name: /^切换主题/ });
  await expect(b).toHaveAccessibleName('切换主题（当前：跟随系统，深色；下一步：浅色）');
  expect(await dark(page)).toBe(true);
  await b.click();
  expect(await dark(page)).toBe(false);
  await expect(b).toHaveAccessibleName('切换主题（当前：浅色；下一步：深色）');
});
