/**
 * Reading the log as a NetAssist user does, at 1366×768: the log gets at
 * least half of the window, long messages wrap (remembered per session),
 * rows are selected and copied as a C array, timestamps with date and Δt,
 * the view mode is remembered and new sessions can start in hex, the
 * window title follows the session, and names cannot hide bidi controls.
 */
import { test, expect } from '../fixtures';
import { TcpPeer, UdpPeer } from './peers';
import { logRows, newSession, openNewSessionDialog, fillNewSession } from './ui';
import { logShare } from './view-helpers';

test.use({ viewport: { width: 1366, height: 768 } });

test('the log gets at least half of a 1366×768 window for every session kind, in both languages', async ({ app: page }) => {
  const server = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  const peer = await TcpPeer.connect(server);
  await peer.write('hello\r\n');
  await expect(logRows(page).filter({ hasText: 'hello' })).toBeVisible();
  const toolbar = page.getByRole('toolbar', { name: 'Log tools' });
  const toolbarHeight = (await toolbar.boundingBox())!.height;
  expect(toolbarHeight).toBeLessThan(40); // one row
  expect(await logShare(page)).toBeGreaterThanOrEqual(0.5);

  // traffic and a new peer in the filter never make the toolbar or the connection bar wrap
  const select = page.getByRole('combobox', { name: 'Peer filter' });
  const selectWidth = (await select.boundingBox())!.width;
  const other = await TcpPeer.connect(server);
  await other.write('x'.repeat(2000));
  await expect(logRows(page).filter({ hasText: 'xxxx' }).first()).toBeVisible();
  expect((await select.boundingBox())!.width).toBe(selectWidth);
  expect((await toolbar.boundingBox())!.height).toBe(toolbarHeight);

  await newSession(page, { kind: 'UDP', bind: '127.0.0.1', port: 0 });
  expect(await logShare(page)).toBeGreaterThanOrEqual(0.5);
  await page.getByRole('button', { name: /^Language: / }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  expect((await page.getByRole('toolbar', { name: '日志工具' }).boundingBox())!.height).toBeLessThan(40);
  expect(await logShare(page)).toBeGreaterThanOrEqual(0.5);
  peer.close();
  other.close();
});

test('word wrap shows a long message in full, in text and hex, and is remembered for the session', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  const peer = await TcpPeer.connect(port);
  const long = `BEGIN-${'0123456789'.repeat(150)}-END`; // 1510 bytes: more than a tail row carries
  await peer.write(long);
  const row = logRows(page).filter({ hasText: 'BEGIN-' });
  await expect(row).toBeVisible();
  const oneLine = (await row.boundingBox())!.height;
  expect(oneLine).toBeLessThanOrEqual(40);
  await expect(row).not.toContainText('-END');

  await page.getByRole('checkbox', { name: 'Word wrap' }).check();
  await expect(row).toContainText('-END'); // the whole message was read again, past the first 1024 bytes
  await expect(row).toContainText('2D 45 4E 44'); // …and its hex to the last byte
  expect((await row.boundingBox())!.height).toBeGreaterThan(oneLine * 4);
  // rows stay stacked without overlapping
  const boxes = await logRows(page).evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.top, r.bottom]));
  boxes.sort((a, b) => a[0]! - b[0]!);
  for (let i = 1; i < boxes.length; i++) expect(boxes[i]![0]!).toBeGreaterThanOrEqual(boxes[i - 1]![1]! - 1.5);

  await page.reload();
  await expect(page.getByRole('checkbox', { name: 'Word wrap' })).toBeChecked();
  await expect(logRows(page).filter({ hasText: 'BEGIN-' })).toContainText('-END');
  peer.close();
});

test('select two rows and copy them as a C array; a click on text selects text, a double-click opens details', async ({ app: page, context, serve }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serve.origin });
  const port = await newSession(page, { kind: 'UDP', bind: '127.0.0.1', port: 0 });
  const peer = await UdpPeer.bind();
  await peer.send(Buffer.from('01030000000ac5cd', 'hex'), port);
  await peer.send(Buffer.from('0103040064', 'hex'), port);
  await peer.send('not selected', port);
  const rows = logRows(page);
  const a = rows.filter({ hasText: '01 03 00 00 00 0A C5 CD' });
  const b = rows.filter({ hasText: '01 03 04 00 64' });
  await expect(rows.filter({ hasText: 'not selected' })).toBeVisible();

  // a click in the payload is a text click: no dialog, no row selection
  await a.locator('.p-hex').click();
  await expect(page.getByRole('dialog', { name: 'Row details' })).toBeHidden();
  await expect(a).toHaveAttribute('aria-selected', 'false');

  await a.locator('.c-sel').click();
  await b.locator('.c-sel').click({ modifiers: ['Control'] });
  await expect(a).toHaveAttribute('aria-selected', 'true');
  await expect(b).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('button', { name: 'Copy the selected rows' }).click();
  await page.getByText('Copy as C array', { exact: true }).click();
  await expect(page.getByTestId('log-copy-status')).toHaveText('Copied 2 rows as a C array');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe('{0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD}\n{0x01, 0x03, 0x04, 0x00, 0x64}');

  // the context menu copies too; Python bytes (once the toolbar's menu has gone)
  await expect(page.getByText('Copy as C array', { exact: true })).toHaveCount(0);
  await b.locator('.p-hex').click({ button: 'right' });
  await page.getByText('Copy as Python bytes', { exact: true }).click();
  await expect(page.getByTestId('log-copy-status')).toHaveText('Copied 2 rows as Python bytes');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("b'\\x01\\x03\\x00\\x00\\x00\\n\\xc5\\xcd'\nb'\\x01\\x03\\x04\\x00d'");

  // Ctrl+A in the grid selects every row
  await page.getByRole('grid', { name: 'Log' }).press('Control+a');
  await expect(rows.filter({ hasText: 'not selected' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('grid', { name: 'Log' }).press('Escape');
  await expect(a).toHaveAttribute('aria-selected', 'false');

  await a.locator('.p-hex').dblclick();
  await expect(page.getByRole('dialog', { name: 'Row details' })).toBeVisible();
  peer.close();
});

test('timestamps: off, with the date, and Δt since the previous row, remembered', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'UDP', bind: '127.0.0.1', port: 0 });
  const peer = await UdpPeer.bind();
  await peer.send('first', port);
  await new Promise((r) => setTimeout(r, 250));
  await peer.send('second', port);
  const second = logRows(page).filter({ hasText: 'second' });
  await expect(second).toContainText(/\d\d:\d\d:\d\d\.\d{3}/);

  await page.getByRole('button', { name: 'Display options' }).click();
  await page.getByRole('checkbox', { name: 'With the date' }).check();
  await expect(second).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}/);
  await page.getByRole('checkbox', { name: 'Δt since the previous row' }).check();
  await expect(second).toContainText(/\+0\.(2[4-9]\d|[3-9]\d\d)/); // ≈ 250 ms after "first"
  await page.getByRole('checkbox', { name: 'Time of day' }).uncheck();
  await expect(second).not.toContainText(/\d\d:\d\d:\d\d\.\d{3}/);

  await page.reload();
  const again = logRows(page).filter({ hasText: 'second' });
  await expect(again).toContainText(/\+0\.\d{3}/);
  await expect(again).not.toContainText(/\d\d:\d\d:\d\d\.\d{3}/);
  peer.close();
});

test('view mode per session across reloads; new sessions can start in hex; the title follows the session', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'UDP', bind: '127.0.0.1', port: 0 });
  const peer = await UdpPeer.bind();
  await peer.send('hello', port);
  const row = logRows(page).filter({ hasText: '68 65 6C 6C 6F' });
  await expect(row).toContainText('hello');
  await page.getByRole('button', { name: 'Text view' }).click();
  await expect(logRows(page).filter({ hasText: 'hello' })).not.toContainText('68 65 6C');
  await expect(page).toHaveTitle(/ · Open — Wirebench$/);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Text view' })).toHaveAttribute('aria-pressed', 'true');

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByLabel('New sessions show').click();
  await page.locator('.n-base-select-option').filter({ hasText: 'Hex view' }).click();
  await settings.getByRole('button', { name: 'OK' }).click();
  await newSession(page, { kind: 'UDP', bind: '127.0.0.1', port: 0 });
  await expect(page.getByRole('button', { name: 'Hex view' })).toHaveAttribute('aria-pressed', 'true');
  // the first session kept its own view
  await page.getByRole('tab').first().click();
  await expect(page.getByRole('button', { name: 'Text view' })).toHaveAttribute('aria-pressed', 'true');
  peer.close();
});

test('the side panel collapses to a rail and remembers it; a name with bidi controls shows them', async ({ app: page }) => {
  const dialog = await openNewSessionDialog(page);
  await fillNewSession(dialog, { kind: 'UDP', bind: '127.0.0.1', port: 0 });
  await dialog.getByRole('textbox', { name: 'Session name' }).fill('invoice\u202Efdp.exe');
  await dialog.getByRole('button', { name: 'Create session' }).click();
  await expect(dialog).toBeHidden();
  const tab = page.getByRole('tab').first();
  await expect(tab).toContainText('invoice\\u202Efdp.exe');
  expect(await tab.innerText()).not.toContain('\u202E');
  await expect(page).toHaveTitle(/invoice\\u202Efdp\.exe/);

  const before = await logShare(page);
  await page.getByRole('button', { name: 'Collapse the side panel' }).click();
  expect(await logShare(page)).toBeGreaterThan(before + 0.05);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Expand the side panel' })).toBeVisible();
  await page.getByRole('button', { name: 'Show UDP' }).click();
  await expect(page.getByRole('region', { name: 'UDP' })).toBeVisible();
});
