/**
 * The keyboard: the shortcuts (new session, clear, pause, view, send box,
 * help with ? / F1 / the side panel's button) in a real browser, typing in a
 * text field never triggering one, nothing acting under a dialog, the help in
 * both languages, and the new-session dialog's advanced options (reconnect)
 * reachable and usable with the keyboard alone, with a visible focus ring.
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect } from '../fixtures';
import { TcpPeer } from './peers';
import { fillNewSession, logRows } from './ui';
import { setViewSettings } from './view-helpers';

const sendBox = (page: Page): Locator => page.getByRole('textbox', { name: 'Message to send' });
const modeButton = (page: Page, name: 'Text view' | 'Hex view' | 'Both'): Locator => page.getByRole('button', { name, exact: true });

/** Move the focus off any text field, to the log grid (which leaves single keys to the shortcuts). */
async function focusLog(page: Page): Promise<void> {
  const grid = page.getByRole('grid', { name: 'Log' });
  await grid.focus();
  await expect(grid).toBeFocused();
}

test('shortcuts: N opens a new session, S the send box, 1/2/3 the view, P pauses, Ctrl+L clears, typing is never taken', async ({ app: page }) => {
  // N with the focus on the page: the new-session dialog
  await page.keyboard.press('n');
  const dialog = page.getByRole('dialog', { name: 'New session' });
  await expect(dialog).toBeVisible();
  await fillNewSession(dialog, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  await dialog.getByRole('button', { name: 'Create session' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'listening');
  // after creating a session the caret is in its send box
  await expect(sendBox(page)).toBeFocused();

  const peer = await TcpPeer.connect(Number(await page.getByTestId('local-port').innerText()));
  await peer.write('hello');
  await expect(logRows(page).filter({ hasText: 'hello' })).toBeVisible();

  // typed into the send box, the shortcut keys are just text
  await sendBox(page).pressSequentially('n1p2?s3');
  await expect(sendBox(page)).toHaveValue('n1p2?s3');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(modeButton(page, 'Both')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();

  // the view: 2 hex, 1 text, 3 both
  await focusLog(page);
  await page.keyboard.press('2');
  await expect(modeButton(page, 'Hex view')).toHaveAttribute('aria-pressed', 'true');
  await expect(logRows(page).filter({ hasText: 'hello' })).toHaveCount(0);
  await expect(logRows(page).filter({ hasText: '68 65 6C 6C 6F' })).toBeVisible();
  await page.keyboard.press('1');
  await expect(modeButton(page, 'Text view')).toHaveAttribute('aria-pressed', 'true');
  await expect(logRows(page).filter({ hasText: 'hello' })).toBeVisible();
  await expect(logRows(page).filter({ hasText: '68 65 6C 6C 6F' })).toHaveCount(0);
  await page.keyboard.press('3');
  await expect(modeButton(page, 'Both')).toHaveAttribute('aria-pressed', 'true');

  // P pauses: new rows wait; P again resumes and shows them
  await page.keyboard.press('p');
  await expect(page.getByRole('button', { name: 'Resume', exact: true })).toBeVisible();
  await peer.write('while paused');
  await expect.poll(() => page.getByTestId('counter-rx-messages').innerText()).toBe('2');
  await expect(logRows(page).filter({ hasText: 'while paused' })).toHaveCount(0);
  await page.keyboard.press('p');
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await expect(logRows(page).filter({ hasText: 'while paused' })).toBeVisible();

  // S puts the caret in the send box; Ctrl+L clears the log even from there, and leaves the text alone
  await page.keyboard.press('s');
  await expect(sendBox(page)).toBeFocused();
  await page.keyboard.press('Control+l');
  await expect(logRows(page).filter({ hasText: 'hello' })).toHaveCount(0);
  await expect(logRows(page).filter({ hasText: 'while paused' })).toHaveCount(0);
  await expect(sendBox(page)).toHaveValue('n1p2?s3');
  await expect(sendBox(page)).toBeFocused();

  // nothing acts while a dialog is open
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings).toBeVisible();
  await settings.getByRole('button', { name: 'OK' }).focus();
  await page.keyboard.press('n');
  await page.keyboard.press('2');
  await page.keyboard.press('Escape');
  await expect(settings).toBeHidden();
  await expect(page.getByRole('dialog', { name: 'New session' })).toHaveCount(0);
  await expect(modeButton(page, 'Both')).toHaveAttribute('aria-pressed', 'true');
  peer.close();
});

test('the shortcut list opens with ?, F1 and its button, in English and in Chinese', async ({ app: page }) => {
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await page.keyboard.press('?');
  await expect(help).toBeVisible();
  for (const text of ['Ctrl+L', 'Clear the log', 'Pause or resume the log', 'Show the log as hex', 'Put the caret in the send box', 'New session', 'F1']) {
    await expect(help).toContainText(text);
  }
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.keyboard.press('F1');
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  const button = page.getByRole('button', { name: 'Keyboard shortcuts' });
  await button.click();
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  // the focus goes back to the button that opened it
  await expect(button).toBeFocused();

  await setViewSettings(page, { language: 'zh-CN' });
  await page.keyboard.press('F1');
  const zh = page.getByRole('dialog', { name: '键盘快捷键' });
  await expect(zh).toBeVisible();
  await expect(zh).toContainText('清空日志');
  await expect(zh).toContainText('将光标移到发送框');
  // key names (Ctrl, Alt, Enter, Esc) and "Mac" aside, no English is left
  const text = (await zh.innerText()).replace(/\b(Ctrl|Alt|Enter|Esc|F1|Mac)\b/g, '');
  expect(text).not.toMatch(/[A-Za-z]{2,}/);
});

test('keyboard only: the new-session dialog’s advanced options open with Tab and Enter, reconnect turns on with Space, focus shows a ring', async ({ app: page }) => {
  await page.keyboard.press('n');
  const dialog = page.getByRole('dialog', { name: 'New session' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('radio', { name: 'TCP client', exact: true }).check();
  const advanced = dialog.getByRole('button', { name: 'Advanced options' });
  await expect(advanced).toHaveAttribute('aria-expanded', 'false');
  // Tab from the session type until the focus reaches "Advanced options"
  await dialog.getByRole('radio', { name: 'TCP client', exact: true }).focus();
  for (let i = 0; i < 20 && !(await advanced.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(advanced).toBeFocused();
  // a ring of its own, not only a colour
  const ring = await advanced.evaluate((el) => getComputedStyle(el));
  expect(ring.outlineStyle).toBe('solid');
  expect(ring.outlineWidth).toBe('2px');
  await page.keyboard.press('Enter');
  await expect(advanced).toHaveAttribute('aria-expanded', 'true');
  const reconnect = dialog.getByRole('switch', { name: 'Auto-reconnect' });
  await expect(reconnect).toBeVisible();
  for (let i = 0; i < 20 && !(await reconnect.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(reconnect).toBeFocused();
  await page.keyboard.press('Space');
  await expect(reconnect).toHaveAttribute('aria-checked', 'true');
  await expect(dialog.getByLabel('First retry after (ms)')).toBeVisible();
  // the number inputs' − and + buttons have names
  await expect(dialog.getByRole('button', { name: 'Increase' }).first()).toBeAttached();
  await expect(dialog.getByRole('button', { name: 'Decrease' }).first()).toBeAttached();
});
