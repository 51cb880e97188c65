import { test, expect } from '../fixtures';
import { echoServer } from './peers';
import { counter, logRows, newSession, sendText } from './ui';

test('a TCP client connects to a real echo server and sees its own bytes come back', async ({ app: page }) => {
  const echo = await echoServer();
  try {
    await newSession(page, { kind: 'TCP client', host: '127.0.0.1', port: echo.port });
    await expect(page.getByTestId('session-state')).toHaveText('Connected');

    await sendText(page, 'ping 你好', { lineEnding: 'LF (\\n)' });
    const rx = logRows(page).filter({ hasText: 'RX' }).filter({ hasText: 'ping 你好' });
    await expect(rx).toBeVisible();
    await expect(rx).toContainText('70 69 6E 67 20 E4 BD A0 E5 A5 BD 0A');
    await expect.poll(() => counter(page, 'rx-bytes')).toBe(12);
    expect(await counter(page, 'tx-bytes')).toBe(12);

    // disconnect and reconnect from the connection bar
    await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'closed');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
  } finally {
    await echo.close();
  }
});
