/**
 * The built-in mock servers through the UI, each with a real client, in
 * English and in 简体中文: load the example from the rules drawer (its rules
 * named in the UI's language), let the client talk, and check the rules' hit
 * counts and the hit log (what each command did, state before → after).
 * Screenshots of the drawer and the hit log go to test-results/mock-servers;
 * with WIREBENCH_SCREENSHOTS=1 they refresh docs/images/mock-*.png (the user
 * guide's "Mock servers" chapter).
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Locator, Page } from '@playwright/test';
import { REASONS } from '../../shared/protocol/reasons';
import { EXAMPLE_RULE_NAMES, type ExampleProfileId, type ExampleRuleId } from '../../shared/rules/example-rule-names';
import zhCN from '../../renderer/src/i18n/zh-CN';
import { REASONS_ZH_CN } from '../../renderer/src/i18n/reasons.zh-CN';
import { EXAMPLE_RULE_NAMES_ZH_CN } from '../../renderer/src/i18n/rules-examples.zh-CN';
import { test, expect } from '../fixtures';
import { TcpPeer } from './peers';
import { newSession } from './ui';
import { setViewSettings } from './view-helpers';

const run = promisify(execFile);
const SHOTS = process.env['WIREBENCH_SCREENSHOTS'] === '1'
  ? resolve(import.meta.dirname, '../../docs/images')
  : resolve(import.meta.dirname, '../../test-results/mock-servers');
mkdirSync(SHOTS, { recursive: true });

test.use({ viewport: { width: 1366, height: 860 } });

type Lang = 'en' | 'zh-CN';
const LANGS: readonly Lang[] = ['en', 'zh-CN'];
const L = {
  en: { rules: 'Reply rules', drawer: /^Reply rules/, load: /^Load example/, hits: 'Hit log', log: /^Hit log/, table: 'Hits', peer: 'Peer' },
  'zh-CN': {
    rules: zhCN.rules.open,
    drawer: new RegExp(`^${zhCN.rules.open}`),
    load: new RegExp(`^${zhCN.rules.loadExample}`),
    hits: zhCN.dialogue.hits.open,
    log: new RegExp(`^${zhCN.dialogue.hits.open}`),
    table: zhCN.dialogue.hits.table,
    peer: zhCN.dialogue.hits.peer,
  },
};

/** A rule's name as the example is loaded in `lang`. */
const ruleName = <E extends ExampleProfileId>(lang: Lang, example: E, id: ExampleRuleId<E>): string =>
  (lang === 'en' ? EXAMPLE_RULE_NAMES : EXAMPLE_RULE_NAMES_ZH_CN)[example][id] as string;

async function openDrawer(page: Page, lang: Lang): Promise<Locator> {
  await page.getByRole('button', { name: L[lang].rules, exact: true }).click();
  const drawer = page.getByRole('dialog', { name: L[lang].drawer });
  await expect(drawer).toBeVisible();
  return drawer;
}

/** A TCP server on a free port with the example loaded from the drawer's menu in `lang`; the drawer stays open. */
async function mock(page: Page, serveUrl: string, lang: Lang, example: ExampleProfileId): Promise<{ port: number; drawer: Locator }> {
  await page.goto(serveUrl);
  await setViewSettings(page, { language: 'en', theme: 'light' });
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  if (lang !== 'en') await setViewSettings(page, { language: lang, theme: 'light' });
  const drawer = await openDrawer(page, lang);
  await drawer.getByRole('button', { name: L[lang].load }).click();
  const label = (lang === 'en' ? REASONS : REASONS_ZH_CN)[`example.${example}.name`];
  await page.getByRole('menuitem', { name: label }).or(page.locator('.n-dropdown-option').filter({ hasText: label })).first().click();
  await expect(drawer.getByTestId('rules-dirty')).toBeHidden();
  await expect(drawer.getByTestId('rule-hits-1')).toHaveText('0');
  // applied in the engine (the side panel counts the session's rules) before any client connects
  await expect(page.getByRole('button', { name: L[lang].rules, exact: true })).toHaveText(/[(（]\d+[)）]/);
  return { port, drawer };
}

/** The hit log opened from the drawer: its rows as text. */
async function hitLog(page: Page, drawer: Locator, lang: Lang): Promise<Locator> {
  await drawer.getByRole('button', { name: L[lang].hits, exact: true }).click();
  const log = page.getByRole('dialog', { name: L[lang].log });
  await expect(log.getByRole('table', { name: L[lang].table })).toBeVisible();
  return log;
}

/** Screenshots of the drawer and of the hit log (checked by `withLog` first), in `lang`. */
async function shoot(page: Page, id: string, drawer: Locator, lang: Lang, withLog: (log: Locator) => Promise<void>): Promise<void> {
  await expect(page.locator('.n-message')).toHaveCount(0); // "Loaded …" has gone and hides nothing
  await drawer.screenshot({ path: resolve(SHOTS, `mock-${id}-${lang}.png`) });
  const log = await hitLog(page, drawer, lang);
  await withLog(log);
  await log.screenshot({ path: resolve(SHOTS, `mock-${id}-hits-${lang}.png`) });
}

const row = (log: Locator, lang: Lang, text: string): Locator => log.getByRole('table', { name: L[lang].table }).getByRole('row').filter({ hasText: text });

for (const lang of LANGS) {
  test(`FTP (${lang}): ftplib logs in; the hit log shows each command with its state change`, async ({ page, serve }) => {
    const { port, drawer } = await mock(page, serve.url, lang, 'ftp');
    const script = [
      'import ftplib',
      `f = ftplib.FTP(); f.connect('127.0.0.1', ${port}, timeout=5)`,
      "f.login('alice', 'pw'); f.cwd('/pub')",
      'try:\n    f.sendcmd("RETR notes.txt")\nexcept ftplib.error_perm as e:\n    print(str(e)[:3])',
      'f.quit()',
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script], { timeout: 20_000 });
    expect(stdout).toBe('502\n');
    await expect(drawer.getByTestId('rule-hits-1')).toHaveText('1'); // USER
    await expect(drawer.getByRole('row').filter({ hasText: 'RETR notes.txt' })).toContainText(ruleName(lang, 'ftp', 'no-data'));
    await shoot(page, 'ftp', drawer, lang, async (log) => {
      await expect(row(log, lang, 'USER alice')).toContainText('start → auth');
      await expect(row(log, lang, 'USER alice')).toContainText('user = alice');
      await expect(row(log, lang, 'PASS pw')).toContainText('auth → ready');
      await expect(row(log, lang, 'PASS pw')).toContainText(`#2 ${ruleName(lang, 'ftp', 'pass')}`);
      await expect(row(log, lang, 'RETR notes.txt')).toContainText(`#11 ${ruleName(lang, 'ftp', 'no-data')}`);
    });
  });

  test(`SMTP (${lang}): smtplib sends a mail whose body line looks like a command`, async ({ page, serve }) => {
    const { port, drawer } = await mock(page, serve.url, lang, 'smtp');
    const script = [
      'import smtplib',
      `s = smtplib.SMTP('127.0.0.1', ${port}, timeout=5)`,
      "print(s.sendmail('ann@example.com', ['bob@example.com'], 'Subject: hi\\r\\n\\r\\nMAIL FROM: not a command\\r\\nbye\\r\\n'))",
      's.quit()',
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script], { timeout: 20_000 });
    expect(stdout).toBe('{}\n');
    await expect(drawer.getByTestId('rule-hits-3')).toHaveText('1'); // MAIL FROM once: the body line went into the body
    await shoot(page, 'smtp', drawer, lang, async (log) => {
      await expect(row(log, lang, 'MAIL FROM:<ann@example.com>')).toContainText('#3');
      await expect(row(log, lang, 'DATA')).toHaveCount(2); // the command, and the end of the body it collected
      await expect(row(log, lang, 'DATA').first()).toContainText(ruleName(lang, 'smtp', 'data'));
      await expect(row(log, lang, 'body = ')).toContainText(lang === 'en' ? 'lines collected' : '收集了');
    });
  });

  test(`Redis-like (${lang}): SET and GET over a raw socket; a key never SET is the null bulk string`, async ({ page, serve }) => {
    const { port, drawer } = await mock(page, serve.url, lang, 'redis');
    const c = await TcpPeer.connect(port);
    await c.write('PING\r\n');
    await c.expectBytes(Buffer.from('+PONG\r\n'));
    await c.write('SET greeting hello\r\nGET greeting\r\nGET missing\r\n');
    await c.expectBytes(Buffer.from('+OK\r\n+hello\r\n$-1\r\n'), 7);
    await expect(drawer.getByTestId('rule-hits-4')).toHaveText('1'); // get-nil
    await shoot(page, 'redis', drawer, lang, async (log) => {
      await expect(row(log, lang, 'SET greeting hello')).toContainText('greeting = hello');
      await expect(row(log, lang, 'GET missing')).toContainText(`#4 ${ruleName(lang, 'redis', 'get-nil')}`);
    });
    c.close();
  });

  test(`Line-based device (${lang}): *IDN?, a temperature, and an error for an unknown command`, async ({ page, serve }) => {
    const { port, drawer } = await mock(page, serve.url, lang, 'device');
    const c = await TcpPeer.connect(port);
    await c.write('*IDN?\n');
    await expect.poll(() => c.received.toString()).toMatch(/^Wirebench,SIM-1000,.*\n$/);
    const from = c.received.length;
    await c.write('MEAS:TEMP?\nVOLT 5\n');
    await expect.poll(() => c.received.subarray(from).toString()).toMatch(/^(2\d|30)\.\d\n-113,"Undefined header"\n$/);
    await shoot(page, 'device', drawer, lang, async (log) => {
      await expect(row(log, lang, 'VOLT 5')).toContainText(`#5 ${ruleName(lang, 'device', 'unknown')}`);
    });
    c.close();
  });

  test(`Modbus TCP (${lang}): registers read with 03; past the table exception 02; an unknown function exception 01`, async ({ page, serve }) => {
    const { port, drawer } = await mock(page, serve.url, lang, 'modbus');
    const req = (txn: number, fc: number, addr: number, count: number): Buffer => {
      const b = Buffer.alloc(12);
      b.writeUInt16BE(txn, 0);
      b.writeUInt16BE(6, 4);
      b.writeUInt8(1, 6);
      b.writeUInt8(fc, 7);
      b.writeUInt16BE(addr, 8);
      b.writeUInt16BE(count, 10);
      return b;
    };
    const c = await TcpPeer.connect(port);
    await c.write(req(1, 3, 0, 2));
    await c.expectBytes(Buffer.from('00010000000701030400640 0c8'.replace(/ /g, ''), 'hex'));
    await c.write(req(2, 3, 9, 2));
    await c.expectBytes(Buffer.from('000200000003018302', 'hex'), 13);
    await c.write(req(3, 0x2b, 0, 0));
    await c.expectBytes(Buffer.from('000300000003 01ab01'.replace(/ /g, ''), 'hex'), 22);
    await shoot(page, 'modbus', drawer, lang, async (log) => {
      await expect(row(log, lang, '00 02 00 00 00 06 01 03 00 09 00 02')).toContainText(`#2 ${ruleName(lang, 'modbus', 'illegal-address')}`);
      await expect(row(log, lang, '00 03 00 00 00 06 01 2B')).toContainText(`#3 ${ruleName(lang, 'modbus', 'illegal-function')}`);
    });
    c.close();
  });
}
