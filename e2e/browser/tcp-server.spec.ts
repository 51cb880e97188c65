import { test, expect } from '../fixtures';
import { TcpPeer } from './peers';
import { logRows, newSession, sendHex, sendText } from './ui';

test('a TCP server opened in the UI talks to a real external client in GBK, hex, escapes and CRC-16/MODBUS', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0, rxEncoding: 'GBK' });
  expect(port).toBeGreaterThan(0);

  const client = await TcpPeer.connect(port);
  await expect(page.getByRole('button', { name: `Disconnect peer 127.0.0.1:${client.socket.localPort}` })).toBeVisible();

  // the client sends GBK text: the log shows it decoded and as hex
  await client.write(Buffer.from('c4e3bac3a3accac0bde7', 'hex')); // 你好，世界
  const row = logRows(page).filter({ hasText: '你好，世界' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('C4 E3 BA C3 A3 AC CA C0 BD E7');
  await expect(row).toContainText('RX');

  // GBK text from the UI
  let at = client.received.length;
  await sendText(page, '测试', { encoding: 'GBK' });
  await client.expectBytes(Buffer.from('b2e2cad4', 'hex'), at);

  // strict hex
  at = client.received.length;
  await sendHex(page, '01 02 0A FF');
  await client.expectBytes(Buffer.from('01020aff', 'hex'), at);

  // text with escapes: \r \n and a raw byte
  at = client.received.length;
  await sendText(page, 'AT\\r\\n\\x01', { escapes: true });
  await client.expectBytes(Buffer.from('41540d0a01', 'hex'), at);

  // a Modbus request with CRC-16/MODBUS appended low byte first
  at = client.received.length;
  await sendHex(page, '01 03 00 00 00 0A', { checksum: 'CRC-16/MODBUS', byteOrder: 'Little endian (low byte first)' });
  await client.expectBytes(Buffer.from('01030000000ac5cd', 'hex'), at);

  // the TX rows are in the log too, with the exact bytes
  await expect(logRows(page).filter({ hasText: '01 03 00 00 00 0A C5 CD' })).toBeVisible();
  client.close();
});
