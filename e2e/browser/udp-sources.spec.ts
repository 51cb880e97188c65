import { test, expect } from '../fixtures';
import { UdpPeer } from './peers';
import { newSession } from './ui';

test('the UDP panel lists each source with its datagrams and exports them as CSV', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'UDP', bind: '127.0.0.1', port: 0 });
  const a = await UdpPeer.bind();
  const b = await UdpPeer.bind();
  try {
    await a.send('one', port);
    await a.send('two', port);
    await b.send('three!', port);
    const table = page.getByRole('region', { name: 'UDP' }).getByRole('table', { name: 'Sources' });
    const rowA = table.getByRole('row').filter({ hasText: `127.0.0.1:${a.port}` });
    const rowB = table.getByRole('row').filter({ hasText: `127.0.0.1:${b.port}` });
    await expect(rowA.getByRole('cell').nth(1)).toHaveText('2');
    await expect(rowB.getByRole('cell').nth(1)).toHaveText('1');
    await expect(page.getByTestId('udp-kernel-drops')).toContainText('0');
    await expect(page.getByTestId('udp-recv-buffer')).toBeVisible();
    await page.getByRole('button', { name: 'Export sources (CSV)' }).click();
    await expect(page.getByRole('region', { name: 'UDP' })).toContainText(/-sources\.csv/);
  } finally {
    a.close();
    b.close();
  }
});
