/**
 * Issue 8 §2: a paste can no longer freeze the page. A 10 MB paste is refused
 * at once with an offer to send it as a file; a paste the box can take is
 * accepted quickly; the preview stays a prefix and a count.
 */
import iconv from 'iconv-lite';
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures';
import { TcpPeer } from './peers';
import { newSession, sendPanel } from './ui';

const MB10 = 10 * 1024 * 1024;

/** Text of `n` characters, in lines, as a log or a dump copied from somewhere would be. */
function bigText(n: number, line = 'The quick brown fox jumps over the lazy dog 0123456789 ABCDEF\n'): string {
  return line.repeat(Math.ceil(n / line.length)).slice(0, n);
}

type Timed = Window & { pasteT0?: number; pasteAt?: number; pasteT1?: number };

/**
 * Pastes through a real Ctrl+V (the browser's own clipboard), as a user does, and returns the time inside
 * the page from the key press to the first frame where the box holds `accepted` characters (or, with
 * `accepted` null, where the refusal is shown).
 */
async function realPaste(page: Page, text: string, accepted: number | null): Promise<number> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await sendPanel(page).getByRole('textbox', { name: 'Message to send' }).focus();
  await page.evaluate(() => {
    const w = window as Timed;
    w.pasteT0 = w.pasteAt = w.pasteT1 = undefined;
    document.addEventListener('keydown', () => (w.pasteT0 = performance.now()), { once: true, capture: true });
    document.addEventListener('paste', () => (w.pasteAt = performance.now()), { once: true, capture: true });
  });
  await page.keyboard.press('Control+V');
  await page.waitForFunction(
    (n) => {
      const el = document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message to send"]');
      const done = n === null ? !!document.querySelector('[role="alert"][aria-label="Paste refused"]') : el?.value.length === n;
      if (done) (window as Timed).pasteT1 ??= performance.now();
      return done;
    },
    accepted,
    { polling: 'raf', timeout: 15_000 },
  );
  const [total, toEvent] = await page.evaluate(() => {
    const w = window as Timed;
    return [(w.pasteT1 ?? NaN) - (w.pasteT0 ?? NaN), (w.pasteAt ?? NaN) - (w.pasteT0 ?? NaN)];
  });
  console.log(`  (${(text.length / 1048576).toFixed(1)} Mi characters: the browser's paste event came ${toEvent.toFixed(0)} ms after the key)`);
  return total;
}

/** How long until the page answers: a click on a button is handled and painted. */
async function answers(page: Page): Promise<number> {
  const t0 = Date.now();
  const panel = sendPanel(page);
  await panel.getByRole('radio', { name: 'Hex', exact: true }).check();
  await expect(panel.getByRole('radio', { name: 'Hex', exact: true })).toBeChecked();
  await panel.getByRole('radio', { name: 'Text', exact: true }).check();
  await expect(panel.getByRole('radio', { name: 'Text', exact: true })).toBeChecked();
  return Date.now() - t0;
}

test('a 10 MB paste is refused at once, the page stays responsive, and the text can go out as a file', async ({ app: page }) => {
  await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  const panel = sendPanel(page);
  const box = panel.getByRole('textbox', { name: 'Message to send' });

  // a ClipboardEvent carrying 10 MB, timed inside the page: dispatch → refusal painted
  const ms = await page.evaluate(async (n) => {
    const el = document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message to send"]')!;
    el.focus();
    const dt = new DataTransfer();
    dt.setData('text/plain', 'x'.repeat(n));
    const t0 = performance.now();
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const shown = !!document.querySelector('[role="alert"][aria-label="Paste refused"]');
    return shown ? performance.now() - t0 : -1;
  }, MB10);
  console.log(`10 MB ClipboardEvent paste refused and painted in ${ms.toFixed(0)} ms`);
  expect(ms).toBeGreaterThanOrEqual(0);
  expect(ms).toBeLessThan(1000);
  const notice = page.getByRole('alert', { name: 'Paste refused' });
  await expect(notice).toContainText('10.0 MiB');
  await expect(notice).toContainText('too large for the send box');
  await expect(box).toHaveValue('');
  const answer = await answers(page);
  console.log(`page answered a click in ${answer} ms after the 10 MB paste`);
  expect(answer).toBeLessThan(5000);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();

  // a real Ctrl+V of 10 MB: refused within a second (generous: Playwright's round trips included)
  const realMs = await realPaste(page, bigText(MB10), null);
  console.log(`10 MB Ctrl+V: key press to refusal painted in ${realMs.toFixed(0)} ms`);
  // this includes the browser reading 20 MB off its clipboard (~0.3 s here, more on a loaded machine)
  expect(realMs).toBeLessThan(2500);
  await expect(box).toHaveValue('');
  expect(await answers(page)).toBeLessThan(5000);

  // "Send the clipboard as a file": every byte reaches the client, through the file transfer
  const port = Number(await page.getByTestId('local-port').innerText());
  const client = await TcpPeer.connect(port);
  await expect(page.getByRole('button', { name: `Disconnect peer 127.0.0.1:${client.socket.localPort}` })).toBeVisible();
  await notice.getByRole('button', { name: 'Send the clipboard as a file' }).click();
  await expect(notice).toBeHidden();
  await expect(page.getByTestId('transfer-status')).toContainText(/clipboard-.*\.txt/);
  await expect.poll(() => client.received.length, { timeout: 30_000 }).toBe(MB10);
  expect(client.received.subarray(0, 20).toString()).toBe(bigText(20));
  client.close();
});

test('a paste the box can take is accepted quickly; the preview shows a prefix and the exact count', async ({ app: page }) => {
  await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  const panel = sendPanel(page);
  const box = panel.getByRole('textbox', { name: 'Message to send' });
  const text = bigText(200 * 1024);
  const ms = await realPaste(page, text, text.length);
  console.log(`200 KiB Ctrl+V: key press to text in the box in ${ms.toFixed(0)} ms`);
  // ~0.25 s on an idle machine (the browser lays the text out); generous for a loaded CI box
  expect(ms).toBeLessThan(5000);
  expect(await answers(page)).toBeLessThan(5000);
  await expect(page.getByRole('alert', { name: 'Paste refused' })).toHaveCount(0);

  // exact count, bounded hex: 256 bytes shown then an ellipsis
  await expect(panel.getByTestId('send-preview-count')).toHaveText(`${text.length} bytes`);
  const hex = await panel.getByTestId('send-preview-hex').innerText();
  expect(hex.endsWith('…')).toBe(true);
  expect(hex.replace(/[ …]/g, '').length).toBe(256 * 2);

  // typing in the full box stays quick
  await box.press('End');
  const k0 = Date.now();
  await box.pressSequentially('abc');
  await expect.poll(() => box.evaluate((el: HTMLTextAreaElement) => el.value.length)).toBe(text.length + 3);
  console.log(`3 keys in a 200 KiB box: ${Date.now() - k0} ms`);
  expect(Date.now() - k0).toBeLessThan(5000);
});

test('a refused paste in a GBK session goes out as GBK bytes, and refused hex as its bytes', async ({ app: page }) => {
  await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0, rxEncoding: 'GBK' });
  const port = Number(await page.getByTestId('local-port').innerText());
  const client = await TcpPeer.connect(port);
  await expect(page.getByRole('button', { name: `Disconnect peer 127.0.0.1:${client.socket.localPort}` })).toBeVisible();
  const notice = page.getByRole('alert', { name: 'Paste refused' });

  // 1.5 M characters: more than one slice of the engine's encoder
  const text = bigText(1_500_000, '串口调试助手 网络调试 0123456789\n');
  await realPaste(page, text, null);
  await expect(notice).toContainText('GBK');
  await notice.getByRole('button', { name: 'Send the clipboard as a file' }).click();
  const expected = iconv.encode(text, 'gbk');
  await expect.poll(() => client.received.length, { timeout: 30_000 }).toBe(expected.length);
  expect(client.received.equals(expected)).toBe(true);

  await sendPanel(page).getByRole('radio', { name: 'Hex', exact: true }).check();
  const from = client.received.length;
  await realPaste(page, '01 02 FE FF '.repeat(30_000), null);
  await expect(notice).toContainText('hex digits go out as bytes');
  await notice.getByRole('button', { name: 'Send the clipboard as a file' }).click();
  await expect.poll(() => client.received.length - from, { timeout: 30_000 }).toBe(4 * 30_000);
  expect(client.received.subarray(from, from + 4).toString('hex')).toBe('0102feff');
  client.close();
});
