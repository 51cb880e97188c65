/**
 * What a user feels, measured in the page (performance.now() / event.timeStamp,
 * so no CDP round trip is in the figures):
 *
 *   keyPress    typing into the send box: keydown.timeStamp → the task after
 *               the next frame (the character is on screen), plus rAF gaps
 *   jumpToTop   Home in the log grid → the first data row in view
 *   search      typing into 'Search log' → the first (and the last) match in view
 */
import type { Page } from 'playwright-core';
import { dist, until, type Dist } from '../lib/util';
import { grid, type PageGlobal, type WsMark } from './browser';

type G = PageGlobal;

export interface KeyPressResult {
  paint: Dist;
  lag: Dist;
  frames: Dist;
  typed: string;
  /** keys typed while `busy()` still said the flood was running */
  underLoad: number;
}

/**
 * Type `count` characters into the send box, one at a time, ~25 per second,
 * waiting for each to be painted before the next. `busy` says whether the
 * flood is still running (keys typed after it ended are counted separately).
 */
export async function keyPress(page: Page, count: number, busy: () => boolean): Promise<KeyPressResult> {
  const box = page.getByRole('textbox', { name: 'Message to send', exact: true });
  await box.click();
  await box.fill('');
  await box.evaluate((el) => {
    const wb = (globalThis as unknown as G).__wb;
    wb.keys.start(el);
    wb.frames.start();
  });
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let typed = '';
  let underLoad = 0;
  for (let i = 0; i < count; i++) {
    const ch = alphabet[i % alphabet.length]!;
    const loaded = busy();
    await page.keyboard.press(ch);
    typed += ch;
    await page.waitForFunction((n) => (globalThis as unknown as G).__wb.keys.done() >= n, i + 1, { polling: 'raf', timeout: 30_000 });
    if (loaded && busy()) underLoad++;
    // a typist's pace (~25 keys/s), jittered so presses do not lock onto the frame clock
    await new Promise((r) => setTimeout(r, 25 + Math.random() * 30));
  }
  const { samples, gaps } = await page.evaluate(() => {
    const wb = (globalThis as unknown as G).__wb;
    return { samples: wb.keys.stop(), gaps: wb.frames.stop() };
  });
  const value = await box.inputValue();
  if (!value.endsWith(typed)) throw new Error(`the send box holds ${JSON.stringify(value.slice(-40))}, not what was typed`);
  return {
    paint: dist(samples.map((s) => s.paint)),
    lag: dist(samples.map((s) => s.lag)),
    frames: dist(gaps),
    typed,
    underLoad,
  };
}

export interface JumpResult {
  /** keydown → the row is in the DOM and in view */
  ms: number;
  /** keydown → the task after the frame that shows it */
  paintedMs: number;
  how: string;
  /** where the time went, from the page's WebSocket traffic */
  phases: string;
}

/** "first request +a ms, its replies by +b ms (n KiB in k messages)" relative to t0, from the page's WebSocket log. */
function phases(log: WsMark[], t0: number, t1: number): string {
  const inWindow = log.filter((m) => m.t >= t0 && m.t <= t1);
  const out = inWindow.filter((m) => m.dir === 'out');
  const inn = inWindow.filter((m) => m.dir === 'in');
  if (out.length === 0) return 'no request sent';
  const lastIn = inn.length > 0 ? inn[inn.length - 1]!.t - t0 : NaN;
  const kib = inn.reduce((a, m) => a + m.n, 0) / 1024;
  return `first request +${(out[0]!.t - t0).toFixed(0)} ms, ${out.length} request(s), last reply before it showed +${lastIn.toFixed(0)} ms (${kib.toFixed(0)} KiB in ${inn.length} message(s))`;
}

/** Focus the grid (following the tail at the bottom), press Home, wait until a row holding `text` is in view. */
export async function jumpToTop(page: Page, text: string): Promise<JumpResult> {
  const g = grid(page);
  await g.focus();
  const already = await g.evaluate((el, t) => (globalThis as unknown as G).__wb.rowInView(el, t), text);
  if (already) throw new Error(`"${text}" is already in view before the jump`);
  await g.evaluate((el, t) => {
    const wb = (globalThis as unknown as G).__wb;
    wb.wsLog = [];
    wb.pending['jump'] = Promise.all([wb.nextEvent(el, 'keydown'), wb.watchText(el, t)]);
  }, text);
  await page.keyboard.press('Home');
  const got = await Promise.race([
    page.evaluate(() => (globalThis as unknown as G).__wb.pending['jump'] as Promise<[number, { at: number; paintedAt: number }]>),
    new Promise<null>((r) => setTimeout(() => r(null), 5000)),
  ]);
  const log = await page.evaluate(() => {
    const wb = (globalThis as unknown as G).__wb;
    const l = wb.wsLog ?? [];
    wb.wsLog = null;
    return l;
  });
  if (got) {
    return { ms: got[1].at - got[0], paintedMs: got[1].paintedAt - got[0], how: 'Home key in the grid', phases: phases(log, got[0], got[1].at) };
  }

  // Home did not bring the top into view: scroll the grid's scroller to the top instead
  const r = await g.evaluate(async (el, t) => {
    const wb = (globalThis as unknown as G).__wb;
    type El = { scrollTop: number; scrollHeight: number; clientHeight: number; querySelectorAll(s: string): Iterable<El> };
    const root = el as El;
    const scroller = [root, ...root.querySelectorAll('*')].find((e) => e.scrollHeight > e.clientHeight + 1 && e.scrollTop > 0);
    if (!scroller) throw new Error('no scrolled element in the grid');
    const watch = wb.watchText(el, t);
    const t0 = (globalThis as unknown as G).performance.now();
    scroller.scrollTop = 0;
    const w = await watch;
    return { ms: w.at - t0, paintedMs: w.paintedAt - t0 };
  }, text);
  return { ...r, how: 'Home did not scroll the grid; scrollTop = 0 on its scroller', phases: '' };
}

export interface SearchResult {
  /** input event → the first match in view */
  firstMs: number;
  firstPaintedMs: number;
  /** input event → the last of the expected matches in view (the page is complete) */
  lastMs: number;
  frames: Dist;
  status: string;
  phases: string;
}

/** Type `query` into 'Search log' (one input event) and wait for `first` and then `last` to be in view. */
export async function search(page: Page, query: string, first: string, last: string): Promise<SearchResult> {
  const box = page.getByRole('textbox', { name: 'Search log', exact: true });
  const g = grid(page);
  await box.click();
  await box.evaluate((el) => {
    const wb = (globalThis as unknown as G).__wb;
    wb.pending['input'] = wb.nextEvent(el, 'input');
  });
  await g.evaluate(
    (el, a) => {
      const wb = (globalThis as unknown as G).__wb;
      wb.frames.start();
      wb.wsLog = [];
      wb.pending['search'] = Promise.all([wb.pending['input'], wb.watchText(el, a.first), wb.watchText(el, a.last)]);
    },
    { first, last },
  );
  await box.fill(query);
  const [t0, f, l] = await page.evaluate(
    () => (globalThis as unknown as G).__wb.pending['search'] as Promise<[number, { at: number; paintedAt: number }, { at: number; paintedAt: number }]>,
  );
  const { gaps, log } = await page.evaluate(() => {
    const wb = (globalThis as unknown as G).__wb;
    const l = wb.wsLog ?? [];
    wb.wsLog = null;
    return { gaps: wb.frames.stop(), log: l };
  });
  const status = page.getByTestId('log-search-status');
  const text = await until('the search to finish', async () => {
    const s = (await status.count()) > 0 ? await status.innerText() : '';
    return /match/i.test(s) && !/search/i.test(s) ? s : undefined;
  }, 60_000, 50).catch(() => 'unknown');
  return { firstMs: f.at - t0, firstPaintedMs: f.paintedAt - t0, lastMs: l.at - t0, frames: dist(gaps), status: text, phases: phases(log, t0, f.at) };
}
