import { test, expect } from '../fixtures';
import { UdpPeer } from './peers';
import { logRows, newSession, sendText } from './ui';

test('UDP receives datagrams from two real senders, shows each source, and replies to the last sender', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'UDP', bind: '127.0.0.1', port: 0 });
  expect(port).toBeGreaterThan(0);
  const a = await UdpPeer.bind();
  const b = await UdpPeer.bind();
  try {
    await a.send('from A', port);
    await expect(logRows(page).filter({ hasText: 'from A' })).toContainText(`127.0.0.1:${a.port}`);
    await b.send('from B', port);
    await expect(logRows(page).filter({ hasText: 'from B' })).toContainText(`127.0.0.1:${b.port}`);
    await expect(page.getByTestId('last-sender')).toContainText(`127.0.0.1:${b.port}`);

    await page.getByRole('region', { name: 'UDP' }).getByRole('radio', { name: 'Reply to last sender' }).check();
    await sendText(page, 'pong');
    await expect.poll(() => b.received.map((r) => r.data.toString())).toEqual(['pong']);
    expect(b.received[0]!.port).toBe(port);
    expect(a.received).toHaveLength(0);
    await expect(logRows(page).filter({ hasText: 'TX' }).filter({ hasText: 'pong' })).toContainText(`127.0.0.1:${b.port}`);
  } finally {
    a.close();
    b.close();
  }
});
