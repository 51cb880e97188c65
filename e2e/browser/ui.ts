/** How a user drives Wirebench in the browser e2e tests: by role and accessible name. */
import { expect, type Locator, type Page } from '@playwright/test';

export type Kind = 'TCP client' | 'TCP server' | 'UDP';

export interface NewSessionOptions {
  kind: Kind;
  /** TCP client: remote host */
  host?: string;
  /** client: remote port; server/UDP: local port (0 = any) */
  port: number | string;
  /** server/UDP bind address */
  bind?: string;
  /** UDP default remote */
  remoteHost?: string;
  remotePort?: number;
  rxEncoding?: string;
}

export async function openNewSessionDialog(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'New session' }).click();
  const dialog = page.getByRole('dialog', { name: 'New session' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Fill a naive-ui filterable select that accepts typed values. */
async function typeInSelect(dialog: Locator, name: string, value: string): Promise<void> {
  const input = dialog.getByRole('textbox', { name, exact: true }).or(dialog.getByRole('combobox', { name, exact: true })).first();
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

export async function fillNewSession(dialog: Locator, o: NewSessionOptions): Promise<void> {
  await dialog.getByRole('radio', { name: o.kind, exact: true }).check();
  if (o.kind === 'TCP client') {
    await dialog.getByRole('textbox', { name: 'Host', exact: true }).fill(o.host ?? '127.0.0.1');
  } else {
    await typeInSelect(dialog, 'Bind address', o.bind ?? '127.0.0.1');
  }
  await dialog.getByRole('textbox', { name: 'Port', exact: true }).fill(String(o.port));
  if (o.kind === 'UDP' && o.remoteHost) {
    await dialog.getByRole('textbox', { name: 'Remote host', exact: true }).fill(o.remoteHost);
    await dialog.getByRole('textbox', { name: 'Remote port', exact: true }).fill(String(o.remotePort ?? ''));
  }
  if (o.rxEncoding) await chooseNaiveOption(dialog.page(), dialog.getByLabel('Receive encoding'), o.rxEncoding);
}

/** Opens a session through the dialog and waits until it is up. Returns the bound/real local port. */
export async function newSession(page: Page, o: NewSessionOptions): Promise<number> {
  const dialog = await openNewSessionDialog(page);
  await fillNewSession(dialog, o);
  await dialog.getByRole('button', { name: 'Create session' }).click();
  await expect(dialog).toBeHidden();
  const expected = o.kind === 'TCP client' ? 'connected' : o.kind === 'TCP server' ? 'listening' : 'open';
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', expected);
  return Number(await page.getByTestId('local-port').innerText());
}

/** Pick an option of a naive-ui select (not a native one) by its visible label. */
export async function chooseNaiveOption(page: Page, select: Locator, label: string): Promise<void> {
  await select.click();
  await page.locator('.n-base-select-option').filter({ hasText: label }).first().click();
}

export function sendPanel(page: Page): Locator {
  return page.getByRole('region', { name: 'Send' });
}

export async function sendText(
  page: Page,
  text: string,
  o: { encoding?: string; escapes?: boolean; lineEnding?: string; checksum?: string; byteOrder?: string } = {},
): Promise<void> {
  const panel = sendPanel(page);
  await panel.getByRole('radio', { name: 'Text', exact: true }).check();
  if (o.encoding) await panel.getByRole('combobox', { name: 'Encoding', exact: true }).selectOption({ label: o.encoding });
  await panel.getByRole('checkbox', { name: 'Escapes' }).setChecked(!!o.escapes);
  await panel.getByRole('combobox', { name: 'Line ending' }).selectOption({ label: o.lineEnding ?? 'None' });
  await panel.getByRole('combobox', { name: 'Checksum' }).selectOption({ label: o.checksum ?? 'None' });
  if (o.byteOrder) await panel.getByRole('combobox', { name: 'Byte order' }).selectOption({ label: o.byteOrder });
  await panel.getByRole('textbox', { name: 'Message to send' }).fill(text);
  await clickSend(page);
}

export async function sendHex(page: Page, hex: string, o: { checksum?: string; byteOrder?: string } = {}): Promise<void> {
  const panel = sendPanel(page);
  await panel.getByRole('radio', { name: 'Hex', exact: true }).check();
  await panel.getByRole('combobox', { name: 'Checksum' }).selectOption({ label: o.checksum ?? 'None' });
  if (o.byteOrder) await panel.getByRole('combobox', { name: 'Byte order' }).selectOption({ label: o.byteOrder });
  await panel.getByRole('textbox', { name: 'Message to send' }).fill(hex);
  await clickSend(page);
}

async function clickSend(page: Page): Promise<void> {
  const panel = sendPanel(page);
  const before = await page.getByTestId('counter-tx-messages').innerText();
  const send = panel.getByRole('button', { name: 'Send', exact: true });
  await expect(send).toBeEnabled();
  await send.click();
  await expect(page.getByTestId('counter-tx-messages')).not.toHaveText(before);
}

export function logRows(page: Page): Locator {
  return page.getByRole('grid', { name: 'Log' }).getByRole('row');
}

export async function counter(page: Page, id: 'rx-bytes' | 'tx-bytes' | 'rx-messages' | 'tx-messages'): Promise<number> {
  return Number((await page.getByTestId(`counter-${id}`).innerText()).replace(/[^0-9]/g, ''));
}
