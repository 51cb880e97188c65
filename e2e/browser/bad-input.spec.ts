import { createServer, type AddressInfo } from 'node:net';
import { test, expect } from '../fixtures';
import { TcpPeer } from './peers';
import { counter, fillNewSession, newSession, openNewSessionDialog, sendPanel } from './ui';

test('bad hex shows where the error is and sends nothing', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  const client = await TcpPeer.connect(port);
  await expect(page.getByRole('button', { name: /^Disconnect peer/ })).toBeVisible();

  const panel = sendPanel(page);
  await panel.getByRole('radio', { name: 'Hex', exact: true }).check();
  await panel.getByRole('textbox', { name: 'Message to send' }).fill('01 0g 02');
  await expect(panel.getByTestId('send-error')).toContainText("'g' at position 5 is not a hex digit");
  await expect(panel.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();
  // Ctrl+Enter does not get around it either
  await panel.getByRole('textbox', { name: 'Message to send' }).press('Control+Enter');

  await panel.getByRole('textbox', { name: 'Message to send' }).fill('01 02 3');
  await expect(panel.getByTestId('send-error')).toContainText('position 7');
  await page.waitForTimeout(300);
  expect(client.received.length).toBe(0);
  expect(await counter(page, 'tx-bytes')).toBe(0);
  client.close();
});

test('an unencodable character shows an error and sends nothing', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  const client = await TcpPeer.connect(port);
  await expect(page.getByRole('button', { name: /^Disconnect peer/ })).toBeVisible();
  const panel = sendPanel(page);
  await panel.getByRole('radio', { name: 'Text', exact: true }).check();
  await panel.getByRole('combobox', { name: 'Encoding', exact: true }).selectOption({ label: 'GBK' });
  await panel.getByRole('textbox', { name: 'Message to send' }).fill('ok 😀');
  await expect(panel.getByTestId('send-error')).toContainText('position 4');
  await expect(panel.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();
  expect(client.received.length).toBe(0);
  client.close();
});

test('a port already in use gives a clear error in the dialog and no session', async ({ app: page }) => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const taken = (blocker.address() as AddressInfo).port;
  try {
    const dialog = await openNewSessionDialog(page);
    await fillNewSession(dialog, { kind: 'TCP server', bind: '127.0.0.1', port: taken });
    await dialog.getByRole('button', { name: 'Create session' }).click();
    await expect(dialog.getByRole('alert')).toContainText(`Port ${taken} is already in use on 127.0.0.1`);
    await expect(dialog).toBeVisible();
    // inline validation: a port out of range never reaches the engine
    await dialog.getByRole('textbox', { name: 'Port', exact: true }).fill('70000');
    await expect(dialog.getByText(/between 0 and 65535/)).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('tab')).toHaveCount(0);
  } finally {
    blocker.close();
  }
});
