/**
 * Debian Chromium through playwright-core, launched the way the e2e does,
 * on the serve process's URL, with the in-page probes (bench/page/probes.js).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type CDPSession, type Locator, type Page } from 'playwright-core';
import { onCleanup } from '../lib/proc';
import { until } from '../lib/util';

export const CHROMIUM = process.env['WIREBENCH_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Ui {
  browser: Browser;
  page: Page;
  cdp: CDPSession;
  /** uncaught page errors and console errors, newest last (the UI's own failures) */
  errors: string[];
  close(): Promise<void>;
}

export async function openUi(url: string): Promise<Ui> {
  // WIREBENCH_BENCH_CHROMIUM_ARGS: extra flags for experiments (e.g. --disable-smooth-scrolling)
  const extra = (process.env['WIREBENCH_BENCH_CHROMIUM_ARGS'] ?? '').split(' ').filter(Boolean);
  // our own SIGINT/SIGTERM handler closes it (Playwright's would exit before the rest is cleaned up)
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, ...extra],
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= browser.close().catch(() => undefined));
  onCleanup(close);
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
  await context.addInitScript({ path: resolve(import.meta.dirname, '../page/probes.js') });
  const page = await context.newPage();
  const errors: string[] = [];
  const keep = (e: string) => {
    errors.push(e.split('\n').slice(0, 2).join(' '));
    if (errors.length > 50) errors.shift();
  };
  page.on('pageerror', (e) => keep(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') keep(`console.error: ${m.text()}`);
  });
  await page.goto(url);
  await page.getByRole('button', { name: 'New session' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  if (errors.length > 0) console.warn(`[full] page errors while loading: ${errors.join('; ')}`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  return { browser, page, cdp, errors, close };
}

/** Renderer JS heap in bytes after a full garbage collection (CDP). */
export async function heapAfterGc(ui: Ui): Promise<number> {
  await ui.cdp.send('HeapProfiler.collectGarbage');
  await ui.cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await ui.cdp.send('Performance.getMetrics');
  const m = metrics.find((x) => x.name === 'JSHeapUsedSize');
  if (!m) throw new Error('no JSHeapUsedSize metric');
  return m.value;
}

/** CPU seconds used so far by Chromium's processes, by type (browser, renderer, gpu, utility…). */
export async function browserCpu(ui: Ui): Promise<Record<string, number>> {
  const cdp = await ui.browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] };
    const out: Record<string, number> = {};
    for (const p of processInfo) out[p.type] = (out[p.type] ?? 0) + p.cpuTime;
    return out;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Run `f` under the page's CPU profiler (CDP) and write the profile to `path`. */
export async function profiled<T>(ui: Ui, path: string, f: () => Promise<T>): Promise<T> {
  await ui.cdp.send('Profiler.enable');
  await ui.cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await ui.cdp.send('Profiler.start');
  try {
    return await f();
  } finally {
    const { profile } = await ui.cdp.send('Profiler.stop');
    writeFileSync(path, JSON.stringify(profile));
  }
}

/** DOM node count, listeners etc. (CDP Performance metrics). */
export async function pageMetrics(ui: Ui): Promise<Record<string, number>> {
  const { metrics } = await ui.cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

export function grid(page: Page): Locator {
  return page.getByRole('grid', { name: 'Log', exact: true });
}

/** Select a session's tab and wait until its log grid is on screen. */
export async function selectSession(page: Page, name: string): Promise<void> {
  const tab = page.getByRole('tab', { name: new RegExp(`(^|\\s)${name} \\(`) });
  await tab.waitFor({ state: 'visible', timeout: 15_000 });
  await tab.click();
  await until(`the tab of ${name} to be selected`, async () => (await tab.getAttribute('aria-selected')) === 'true', 15_000, 20);
  await grid(page).waitFor({ state: 'visible', timeout: 15_000 });
}

/** What bench/page/probes.js puts on the page's window, as seen from page functions. */
export interface KeySample {
  key: string;
  ts: number;
  lag: number;
  paint: number;
}
export interface WsMark {
  t: number;
  dir: 'in' | 'out';
  n: number;
}
export interface Wb {
  wsLog: WsMark[] | null;
  frames: { start(): void; stop(): number[] };
  keys: { start(el: unknown): void; stop(): KeySample[]; done(): number };
  watchText(grid: unknown, text: string): Promise<{ at: number; paintedAt: number }>;
  rowInView(grid: unknown, text: string): boolean;
  nextEvent(el: unknown, type: string): Promise<number>;
  pending: Record<string, Promise<unknown>>;
  heap(): number;
}
/** Page functions reach the probes as `(globalThis as unknown as PageGlobal).__wb`. */
export type PageGlobal = { __wb: Wb; performance: { now(): number } };
