/**
 * The desktop app's core flow, as the browser suite checks it in serve mode
 * (e2e/browser/tcp-server.spec.ts): a TCP server opened in the window, a real external
 * client (node:net in this process) sending GBK, the log showing the text and its bytes,
 * and hex with a CRC sent back, the client receiving exactly those bytes. Here everything
 * goes through the preload and Electron IPC instead of the WebSocket.
 */
import { expect, test } from '@playwright/test';
import { TcpPeer } from '../browser/peers';
import { logRows, newSession, sendHex, sendText } from '../browser/ui';
import { useLaunchedApp } from './launch';

test.describe('desktop app: core flow', () => {
  const launched = useLaunchedApp();

  test('a TCP server talks to a real client: GBK in, GBK text and hex with CRC-16/MODBUS out', async () => {
    const { page } = launched;
    const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0, rxEncoding: 'GBK' });
    expect(port).toBeGreaterThan(0);

    const client = await TcpPeer.connect(port);
    try {
      await expect(page.getByRole('button', { name: `Disconnect peer 127.0.0.1:${client.socket.localPort}` })).toBeVisible();

      // the client sends GBK: the log shows the text decoded, and its bytes
      await client.write(Buffer.from('c4e3bac3a3accac0bde7', 'hex')); // 你好，世界
      const row = logRows(page).filter({ hasText: '你好，世界' });
      await expect(row).toBeVisible();
      await expect(row).toContainText('C4 E3 BA C3 A3 AC CA C0 BD E7');
      await expect(row).toContainText('RX');

      // GBK text from the window
      let at = client.received.length;
      await sendText(page, '测试', { encoding: 'GBK' });
      await client.expectBytes(Buffer.from('b2e2cad4', 'hex'), at);

      // a Modbus request in hex with CRC-16/MODBUS appended, low byte first
      at = client.received.length;
      await sendHex(page, '01 03 00 00 00 0A', { checksum: 'CRC-16/MODBUS', byteOrder: 'Little endian (low byte first)' });
      await client.expectBytes(Buffer.from('01030000000ac5cd', 'hex'), at);
      await expect(logRows(page).filter({ hasText: '01 03 00 00 00 0A C5 CD' })).toBeVisible();
    } finally {
      client.close();
    }
  });
});
