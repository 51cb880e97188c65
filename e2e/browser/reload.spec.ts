import { test, expect } from '../fixtures';
import { TcpPeer } from './peers';
import { counter, logRows, newSession } from './ui';

test('reloading mid-traffic re-syncs: sessions remain, counters are exact, no row is duplicated', async ({ app: page }) => {
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
  const ids = texts.flatMap((t) => t.match(/msg-\d{4}/g) ?? []);
  expect(ids.length).toBeGreaterThan(0);
  expect(new Set(ids).size).toBe(ids.length);
  client.close();
});
