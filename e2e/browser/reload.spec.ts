import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures';
import { TcpPeer } from './peers';
import { counter, logRows, newSession } from './ui';

const idsIn = (texts: string[]): string[] => texts.flatMap((t) => t.match(/msg-\d{4}/g) ?? []);

/**
 * The msg ids of every RX row in the log, top to bottom: scrolls the virtual list through. Rows are read from the
 * engine's record as they scroll into view, so after each scroll it waits until the grid holds no placeholder row.
 */
async function allRxIds(page: Page): Promise<string[]> {
  const grid = page.getByRole('grid', { name: 'Log' });
  const rows = new Map<number, string>();
  const frame = async () => {
    await grid.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await expect(grid).toHaveAttribute('aria-busy', 'false');
  };
  await grid.evaluate((el) => (el.scrollTop = 0));
  await frame();
  for (;;) {
    const seen = await grid
      .getByRole('row')
      .evaluateAll((els) => els.map((el) => [Number(el.getAttribute('aria-rowindex')), (el as HTMLElement).innerText] as const));
    for (const [i, text] of seen) rows.set(i, text);
    const moved = await grid.evaluate((el) => {
      const before = el.scrollTop;
      el.scrollTop = before + Math.max(1, el.clientHeight / 2);
      return el.scrollTop !== before;
    });
    if (!moved) break;
    await frame();
  }
  const texts = [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
  return idsIn(texts.filter((t) => t.includes('RX')));
}

test('reloading mid-traffic re-syncs: sessions remain, counters are exact, earlier rows return, no row is duplicated', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  const client = await TcpPeer.connect(port);
  await expect(page.getByRole('button', { name: /^Disconnect peer/ })).toBeVisible();

  // traffic keeps flowing while the page reloads
  let sent = 0;
  let n = 0;
  const timer = setInterval(() => {
    const msg = `msg-${String(n++).padStart(4, '0')};`;
    sent += msg.length;
    client.socket.write(msg);
  }, 5);
  await expect.poll(() => counter(page, 'rx-bytes')).toBeGreaterThan(0);
  // the rows on screen just before the reload
  let shown: string[] = [];
  await expect.poll(async () => (shown = idsIn(await logRows(page).filter({ hasText: 'RX' }).allInnerTexts())).length).toBeGreaterThan(3);
  await page.reload();
  await expect(page.getByRole('tab')).toHaveCount(1);
  await page.waitForTimeout(300);
  clearInterval(timer);

  await expect.poll(() => counter(page, 'rx-bytes')).toBe(sent);
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'listening');
  await expect(page.getByRole('button', { name: /^Disconnect peer/ })).toHaveCount(1);

  // every row shown after the reload is unique
  await page.getByRole('button', { name: 'Text view' }).click();
  const texts = await logRows(page).filter({ hasText: 'RX' }).allInnerTexts();
  const ids = idsIn(texts);
  expect(ids.length).toBeGreaterThan(0);
  expect(new Set(ids).size).toBe(ids.length);

  // the record brought back the rows shown before the reload, in order, each once
  const all = await allRxIds(page);
  expect(new Set(all).size).toBe(all.length);
  const at = all.indexOf(shown[0]!);
  expect(at).toBeGreaterThanOrEqual(0);
  expect(all.slice(at, at + shown.length)).toEqual(shown);
  // …and every row is in order, up to the last message sent
  expect(all).toEqual([...all].sort());
  expect(all[all.length - 1]).toBe(`msg-${String(n - 1).padStart(4, '0')}`);
  client.close();
});
