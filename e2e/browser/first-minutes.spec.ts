/**
 * The first five minutes of a NetAssist user, at 1366×768, in English and in
 * Chinese, driven only by what a user sees (accessible names from the UI's
 * own string tables). Every user action (click, typing into a field, a key,
 * a choice in a list) is counted and printed; the log must keep at least
 * half of the window throughout.
 *
 * 1. A TCP server on 8080 receives GBK from a client and replies in GBK
 *    without the user touching the send encoding.
 * 2. A TCP client to a device that is down is created anyway, then connected
 *    once the device starts, and sends 01 03 00 00 00 0A with CRC-16/MODBUS.
 * 3. A UDP session logs datagrams from three sources.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { Locator, Page } from '@playwright/test';
import en from '../../renderer/src/i18n/en';
import zhCN from '../../renderer/src/i18n/zh-CN';
import { test, expect } from '../fixtures';
import { TcpPeer, UdpPeer } from './peers';
import { logShare, setViewSettings } from './view-helpers';

test.use({ viewport: { width: 1366, height: 768 } });

type Lang = 'en' | 'zh-CN';
const TABLES = { en, 'zh-CN': zhCN } as const;

/** The UI's own string for a key path, e.g. L('zh-CN', 'send.send') → 发送. */
function L(lang: Lang, path: string): string {
  let v: unknown = TABLES[lang];
  for (const k of path.split('.')) v = (v as Record<string, unknown>)[k];
  if (typeof v !== 'string') throw new Error(`no string at ${path}`);
  return v;
}

/** Does what a user does, and counts it. */
class User {
  actions = 0;
  constructor(readonly page: Page) {}
  async click(l: Locator): Promise<void> {
    this.actions++;
    await l.click();
  }
  async type(l: Locator, text: string): Promise<void> {
    this.actions++;
    await l.fill(text);
  }
  async choose(select: Locator, label: string): Promise<void> {
    this.actions++;
    await select.selectOption({ label });
  }
  /** a naive-ui select: open it, pick the option (two actions) */
  async pick(select: Locator, label: string): Promise<void> {
    await this.click(select);
    await this.click(this.page.locator('.n-base-select-option').filter({ hasText: label }).first());
  }
}

async function freePort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** 8080 as the task says, unless something on this machine holds it. */
async function port8080OrFree(): Promise<number> {
  const s = createTcpServer();
  const ok = await new Promise<boolean>((r) => {
    s.once('error', () => r(false));
    s.listen(8080, '0.0.0.0', () => r(true));
  });
  if (!ok) return freePort();
  await new Promise<void>((r) => s.close(() => r()));
  return 8080;
}

async function start(page: Page, url: string, lang: Lang): Promise<User> {
  await page.goto(url);
  await setViewSettings(page, { language: lang, theme: 'light' });
  return new User(page);
}

const dialogOf = (page: Page, lang: Lang): Locator => page.getByRole('dialog', { name: L(lang, 'newSession.title') });
/** The log's rows, whatever the language names the grid. */
const logRows = (page: Page): Locator => page.locator('[role="grid"].log-scroll').getByRole('row');
const sendRegion = (page: Page, lang: Lang): Locator => page.getByRole('region', { name: L(lang, 'send.title') });

for (const lang of ['en', 'zh-CN'] as const) {
  test(`[${lang}] a TCP server on 8080 receives GBK and replies in GBK without touching the send encoding`, async ({ page, serve }) => {
    const user = await start(page, serve.url, lang);
    const port = await port8080OrFree();
    if (port !== 8080) test.info().annotations.push({ type: 'note', description: `8080 was in use here; used ${port}` });

    await user.click(page.getByRole('button', { name: L(lang, 'app.newSession') }));
    const dialog = dialogOf(page, lang);
    await user.click(dialog.getByRole('radio', { name: L(lang, 'kind.tcp-server'), exact: true }));
    await user.type(dialog.getByRole('textbox', { name: L(lang, 'newSession.port'), exact: true }), String(port));
    await user.pick(dialog.getByLabel(L(lang, 'newSession.rxEncoding')), 'GBK');
    await user.click(dialog.getByRole('button', { name: L(lang, 'newSession.create') }));
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'listening');

    // a tutorial client connects and sends GBK
    const client = await TcpPeer.connect(port);
    await client.write(Buffer.from('c4e3bac3a3acb7fecef1c6f7', 'hex')); // 你好，服务器
    await expect(logRows(page).filter({ hasText: '你好，服务器' })).toBeVisible();

    // the reply goes out in GBK: the send encoding followed the session
    const send = sendRegion(page, lang);
    await user.type(send.getByRole('textbox', { name: L(lang, 'send.input') }), '收到');
    await user.click(send.getByRole('button', { name: L(lang, 'send.send'), exact: true }));
    await client.expectBytes(Buffer.from('cad5b5bd', 'hex'));
    await expect(logRows(page).filter({ hasText: '收到' })).toBeVisible();

    expect(await logShare(page)).toBeGreaterThanOrEqual(0.5);
    console.log(`[first minutes] ${lang} task 1 (TCP server, GBK both ways): ${user.actions} actions`);
    expect(user.actions).toBeLessThanOrEqual(8);
    client.close();
  });

  test(`[${lang}] a TCP client to a device that is down is created, connected when the device starts, and sends Modbus with CRC-16/MODBUS`, async ({
    page,
    serve,
  }) => {
    const user = await start(page, serve.url, lang);
    const port = await freePort(); // nothing listens there: the device is off

    await user.click(page.getByRole('button', { name: L(lang, 'app.newSession') }));
    const dialog = dialogOf(page, lang);
    await user.click(dialog.getByRole('radio', { name: L(lang, 'kind.tcp-client'), exact: true }));
    await user.type(dialog.getByRole('textbox', { name: L(lang, 'newSession.port'), exact: true }), String(port));
    await user.click(dialog.getByRole('button', { name: L(lang, 'newSession.create') }));
    // the session exists, not connected, and offers Connect
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', /closed|error/);
    const connect = page.getByRole('button', { name: L(lang, 'action.connect'), exact: true });
    await expect(connect).toBeVisible();

    // the device starts
    const received: Buffer[] = [];
    const sockets: Socket[] = [];
    const device: Server = createTcpServer((sock) => {
      sockets.push(sock);
      sock.on('data', (d) => received.push(d));
    });
    await new Promise<void>((r) => device.listen(port, '127.0.0.1', () => r()));

    await user.click(connect);
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    const send = sendRegion(page, lang);
    await user.click(send.getByRole('radio', { name: L(lang, 'send.modeHex'), exact: true }));
    await user.choose(send.getByRole('combobox', { name: L(lang, 'send.checksum') }), 'CRC-16/MODBUS');
    await user.type(send.getByRole('textbox', { name: L(lang, 'send.input') }), '01 03 00 00 00 0A');
    await user.click(send.getByRole('button', { name: L(lang, 'send.send'), exact: true }));
    await expect.poll(() => Buffer.concat(received).toString('hex')).toBe('01030000000ac5cd');
    await expect(logRows(page).filter({ hasText: '01 03 00 00 00 0A C5 CD' })).toBeVisible();

    expect(await logShare(page)).toBeGreaterThanOrEqual(0.5);
    console.log(`[first minutes] ${lang} task 2 (TCP client, device down then up, Modbus + CRC): ${user.actions} actions`);
    expect(user.actions).toBeLessThanOrEqual(10);
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => device.close(() => r()));
  });

  test(`[${lang}] a UDP session logs three sources`, async ({ page, serve }) => {
    const user = await start(page, serve.url, lang);

    await user.click(page.getByRole('button', { name: L(lang, 'app.newSession') }));
    const dialog = dialogOf(page, lang);
    await user.click(dialog.getByRole('radio', { name: L(lang, 'kind.udp'), exact: true }));
    await user.click(dialog.getByRole('button', { name: L(lang, 'newSession.create') }));
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'open');
    const port = Number(await page.getByTestId('local-port').innerText());

    const sensors = [await UdpPeer.bind(), await UdpPeer.bind(), await UdpPeer.bind()];
    for (const [i, s] of sensors.entries()) await s.send(`T${i}=2${i}.5`, port);
    for (const [i, s] of sensors.entries()) {
      const row = logRows(page).filter({ hasText: `T${i}=2${i}.5` });
      await expect(row).toBeVisible();
      await expect(row).toContainText(`127.0.0.1:${s.port}`);
    }

    expect(await logShare(page)).toBeGreaterThanOrEqual(0.5);
    console.log(`[first minutes] ${lang} task 3 (UDP, three sources): ${user.actions} actions`);
    expect(user.actions).toBeLessThanOrEqual(4);
    for (const s of sensors) s.close();
  });
}
