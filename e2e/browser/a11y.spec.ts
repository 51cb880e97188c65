/**
 * Accessibility: axe-core over the main screen of each session kind (TCP
 * server with a client, TCP client, UDP) and over every dialog, drawer and
 * popover, each scan scoped to the dialog, in both themes and both languages.
 * No critical or serious violation is allowed; the counts per impact are
 * printed. One serve process and one page for the whole run: the sessions are
 * made once, each theme × language combination is one reload, and the
 * dialogs are opened in turn (the suite runs on a 2-core CI box).
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from '../fixtures';
import { fillNewSession, newSession, openNewSessionDialog, sendText } from './ui';
import { setViewSettings } from './view-helpers';

type Lang = 'en' | 'zh-CN';
type Impact = 'critical' | 'serious' | 'moderate' | 'minor';
const IMPACTS: Impact[] = ['critical', 'serious', 'moderate', 'minor'];

/** The names the scans open things by, as a user sees them in each language (renderer/src/i18n). */
const NAMES = {
  newSession: { en: 'New session', 'zh-CN': '新建会话' },
  advanced: { en: 'Advanced options', 'zh-CN': '高级选项' },
  settings: { en: 'Settings', 'zh-CN': '设置' },
  profiles: { en: 'Profiles', 'zh-CN': '配置方案' },
  shortcutsButton: { en: 'Keyboard shortcuts', 'zh-CN': '键盘快捷键' },
  shortcuts: { en: 'Keyboard shortcuts', 'zh-CN': '键盘快捷键' },
  exportButton: { en: 'Export log…', 'zh-CN': '导出日志…' },
  export: { en: 'Export log', 'zh-CN': '导出日志' },
  rulesButton: { en: 'Reply rules', 'zh-CN': '自动应答规则' },
  rules: { en: 'Reply rules · ', 'zh-CN': '自动应答规则 · ' },
  sequences: { en: 'Sequences', 'zh-CN': '发送序列' },
  quickAdd: { en: 'Add quick command', 'zh-CN': '添加快捷指令' },
  quick: { en: 'Quick commands', 'zh-CN': '快捷指令' },
  detailsButton: { en: 'Details', 'zh-CN': '详情' },
  details: { en: 'Row details', 'zh-CN': '数据详情' },
  history: { en: 'State history', 'zh-CN': '状态记录' },
  display: { en: 'Display options', 'zh-CN': '显示选项' },
  framing: { en: 'Framing: ', 'zh-CN': '断帧/分包: ' },
  clientKind: { en: 'TCP client', 'zh-CN': 'TCP 客户端' },
  serverKind: { en: 'TCP server', 'zh-CN': 'TCP 服务器' },
  certificate: { en: 'Certificate', 'zh-CN': '证书' },
  tlsOf: { en: 'TLS of ', 'zh-CN': ' 的 TLS' },
} as const;

interface Scan {
  where: string;
  counts: Record<Impact, number>;
  /** the critical and serious ones: rule, impact, the target and its summary */
  bad: string[];
  /** the rules with moderate or minor findings (printed, not failed) */
  other: string[];
}
const scans: Scan[] = [];

/** Wait until nothing is moving (a dialog's fade-in would lower the measured contrast). */
async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
  );
}

async function scan(page: Page, where: string, scope?: Locator): Promise<void> {
  await settle(page);
  let axe = new AxeBuilder({ page })
    // axe.run in the page itself: the app has no frames, and the default opens a blank page per scan to merge them
    .setLegacyMode(true)
    // an experimental rule, off by default: a control's name must contain its visible text (WCAG 2.5.3)
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } });
  if (scope) {
    await scope.evaluate((el) => el.setAttribute('data-a11y-scope', ''));
    axe = axe.include('[data-a11y-scope]');
  }
  const t0 = Date.now();
  const r = await axe.analyze();
  if (process.env['A11Y_TIMING']) console.log(`${where}: ${Date.now() - t0} ms`);
  if (scope) await scope.evaluate((el) => el.removeAttribute('data-a11y-scope'));
  const counts: Record<Impact, number> = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  const bad: string[] = [];
  const other: string[] = [];
  for (const v of r.violations) {
    const impact = (v.impact ?? 'minor') as Impact;
    counts[impact] += v.nodes.length;
    if (impact === 'critical' || impact === 'serious')
      for (const n of v.nodes) bad.push(`${v.id} (${impact}) ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`);
    else other.push(`${v.id} ×${v.nodes.length}`);
  }
  scans.push({ where, counts, bad, other });
}

/** Open, scan (scoped) and close one dialog. */
async function dialog(page: Page, where: string, open: () => Promise<void>, name: string | RegExp): Promise<void> {
  await open();
  const d = page.getByRole('dialog', { name });
  await expect(d).toBeVisible();
  await scan(page, where, d);
  await page.keyboard.press('Escape');
  await expect(d).toBeHidden();
}

/** Open, scan (scoped) and close a popover opened by a button. */
async function popover(page: Page, where: string, trigger: Locator): Promise<void> {
  await trigger.click();
  const pop = page.locator('.n-popover:visible').last();
  await expect(pop).toBeVisible();
  await scan(page, where, pop);
  await trigger.click();
  await expect(pop).toBeHidden();
}

/** Turn the new-session dialog's TLS switch on (the dialog keeps the last session's choice). */
async function tlsOn(d: Locator): Promise<void> {
  const sw = d.getByRole('switch', { name: 'TLS', exact: true });
  if ((await sw.getAttribute('aria-checked')) !== 'true') await sw.click();
  await expect(sw).toHaveAttribute('aria-checked', 'true');
}

/** The log's rows, in any language. */
const rows = (page: Page): Locator => page.getByRole('grid').getByRole('row');

async function sessionTab(page: Page, i: number): Promise<void> {
  const tab = page.getByRole('tab').nth(i);
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

async function scanCombo(page: Page, lang: Lang, theme: 'light' | 'dark'): Promise<void> {
  const m = (what: keyof typeof NAMES): string => NAMES[what][lang];
  const at = `${lang} ${theme}`;
  await setViewSettings(page, { language: lang, theme });
  await expect(page.locator('html')).toHaveClass(theme === 'dark' ? /wb-dark/ : /^(?!.*wb-dark)/);
  const btn = (what: keyof typeof NAMES) => page.getByRole('button', { name: m(what), exact: true });

  // the main screen of each kind; tab 0 is the server (with one client), 1 the client, 2 UDP
  await sessionTab(page, 1);
  await expect(rows(page).first()).toBeVisible();
  await scan(page, `${at} · main screen, TCP client`);
  await sessionTab(page, 2);
  await scan(page, `${at} · main screen, UDP`);
  await sessionTab(page, 0);
  await expect(rows(page).filter({ hasText: 'hello' })).toBeVisible();
  await scan(page, `${at} · main screen, TCP server`);

  // dialogs of the app
  await dialog(page, `${at} · new session`, async () => {
    await btn('newSession').click();
    const d = page.getByRole('dialog', { name: m('newSession') });
    await expect(d).toBeVisible();
    await d.getByRole('button', { name: m('advanced') }).click();
    await expect(d.getByRole('switch').first()).toBeVisible();
  }, m('newSession'));
  await dialog(page, `${at} · settings`, () => btn('settings').click(), m('settings'));
  await dialog(page, `${at} · profiles`, () => btn('profiles').click(), m('profiles'));
  await dialog(page, `${at} · keyboard shortcuts`, () => page.getByRole('button', { name: m('shortcutsButton') }).click(), m('shortcuts'));

  // dialogs of the server session
  await dialog(page, `${at} · export`, () => btn('exportButton').click(), m('export'));
  await dialog(page, `${at} · reply rules`, () => btn('rulesButton').click(), new RegExp(`^${m('rules')}`));
  await dialog(page, `${at} · sequences`, () => btn('sequences').click(), m('sequences'));
  await dialog(page, `${at} · quick commands`, () => btn('quickAdd').click(), m('quick'));
  await dialog(
    page,
    `${at} · row details`,
    () => rows(page).filter({ hasText: 'hello' }).getByRole('button', { name: m('detailsButton') }).click(),
    m('details'),
  );
  await popover(page, `${at} · state history`, btn('history'));
  await popover(page, `${at} · display options`, btn('display'));
  await popover(page, `${at} · framing`, page.getByRole('button', { name: new RegExp(`^${m('framing')}`) }));

  // TLS (issue #12): the options of each kind, tab 3 the TLS server (with the TLS client as its client), tab 4 the TLS client
  for (const kind of ['clientKind', 'serverKind'] as const) {
    await dialog(page, `${at} · new session, TLS ${kind === 'clientKind' ? 'client' : 'server'} options`, async () => {
      await btn('newSession').click();
      const d = page.getByRole('dialog', { name: m('newSession') });
      await d.getByRole('radio', { name: m(kind), exact: true }).check();
      await tlsOn(d);
    }, m('newSession'));
  }
  await sessionTab(page, 3);
  await scan(page, `${at} · main screen, TLS server`);
  await popover(page, `${at} · TLS server certificate`, btn('certificate'));
  await popover(page, `${at} · TLS of a client`, page.getByRole('button', { name: new RegExp(lang === 'en' ? `^${m('tlsOf')}` : `${m('tlsOf')}$`) }));
  await sessionTab(page, 4);
  await scan(page, `${at} · main screen, TLS client`);
  await popover(page, `${at} · TLS client certificate`, btn('certificate'));
}

// no trace: it would record axe's source with every scan (a failure prints the violations, which is what is needed)
test.use({ viewport: { width: 1366, height: 768 }, trace: 'off' });

test('no critical or serious axe violations on the main screens and dialogs, in both themes and languages', async ({ app: page }) => {
  test.setTimeout(600_000); // about 2 minutes on an idle 2-core box; room for a loaded one
  await setViewSettings(page, { language: 'en', theme: 'light' });
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  await newSession(page, { kind: 'TCP client', host: '127.0.0.1', port });
  await sendText(page, 'hello');
  await newSession(page, { kind: 'UDP', bind: '127.0.0.1', port: 0, remoteHost: '127.0.0.1', remotePort: 9 });
  // a TLS server with the generated certificate, and a TLS client (not verifying) connected to it
  let d = await openNewSessionDialog(page);
  await fillNewSession(d, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  await tlsOn(d);
  await d.getByRole('button', { name: 'Create session' }).click();
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'listening');
  const tlsPort = Number(await page.getByTestId('local-port').innerText());
  d = await openNewSessionDialog(page);
  await fillNewSession(d, { kind: 'TCP client', host: '127.0.0.1', port: tlsPort });
  await tlsOn(d);
  await d.getByRole('switch', { name: 'Verify the certificate' }).click();
  await d.getByRole('button', { name: 'Create session' }).click();
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('tls-unverified')).toBeVisible();

  for (const lang of ['en', 'zh-CN'] as const) {
    for (const theme of ['light', 'dark'] as const) {
      await test.step(`${lang}, ${theme}`, () => scanCombo(page, lang, theme));
    }
  }

  const w = Math.max(...scans.map((s) => s.where.length));
  const lines = scans.map((s) => `${s.where.padEnd(w)}  ${IMPACTS.map((i) => `${i} ${s.counts[i]}`).join(', ')}${s.other.length ? ` (${s.other.join(', ')})` : ''}`);
  const total = Object.fromEntries(IMPACTS.map((i) => [i, scans.reduce((n, s) => n + s.counts[i], 0)]));
  console.log(`axe: ${scans.length} scans\n${lines.join('\n')}\ntotal: ${IMPACTS.map((i) => `${i} ${total[i]}`).join(', ')}`);
  const bad = scans.flatMap((s) => s.bad.map((b) => `${s.where}: ${b}`));
  expect(bad, bad.join('\n')).toEqual([]);
});
