/**
 * Issue 9 §2: the send encoding follows the session. A GBK server replies in
 * GBK to a real Python client (the socket tutorial's, decoding strictly)
 * without the user touching the send encoding; a different pick is shown
 * with a note and can be undone in one click.
 */
import { spawn } from 'node:child_process';
import { test, expect } from '../fixtures';
import { chooseNaiveOption, logRows, newSession, sendPanel, sendText } from './ui';

/** The tutorial's client: says hello in GBK, then decodes the reply as GBK (a UnicodeDecodeError fails it). */
const CLIENT = `
import json, socket, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
s.sendall('你好，服务器'.encode('gbk'))
s.settimeout(30)
data = b''
while not data.endswith(b'\\n'):
    chunk = s.recv(1024)
    if not chunk:
        break
    data += chunk
try:
    print(json.dumps({'text': data.decode('gbk')}))
except UnicodeDecodeError as e:
    print(json.dumps({'error': str(e), 'hex': data.hex()}))
    sys.exit(1)
`;

function pythonClient(port: number): Promise<{ code: number | null; out: { text?: string; error?: string; hex?: string } }> {
  const child = spawn('python3', ['-c', CLIENT, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((res, rej) => {
    child.once('error', rej);
    child.once('exit', (code) => {
      try {
        res({ code, out: JSON.parse(out) as { text?: string; error?: string } });
      } catch {
        rej(new Error(`python client: exit ${code}\n${out}\n${err}`));
      }
    });
  });
}

test('a GBK server answers a Python GBK client in GBK without the send encoding being touched', async ({ app: page }) => {
  const port = await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0, rxEncoding: 'GBK' });
  const panel = sendPanel(page);
  const encoding = panel.getByRole('combobox', { name: 'Encoding', exact: true });
  await expect(encoding).toHaveValue('gbk');
  await expect(panel.getByTestId('send-encoding-note')).toHaveCount(0);

  const client = pythonClient(port);
  await expect(logRows(page).filter({ hasText: '你好，服务器' })).toBeVisible();
  await sendText(page, '收到，客户端', { lineEnding: 'LF (\\n)' });
  const { code, out } = await client;
  expect(out.error).toBeUndefined();
  expect(code).toBe(0);
  expect(out.text).toBe('收到，客户端\n');
  await expect(logRows(page).filter({ hasText: 'CA D5 B5 BD' })).toBeVisible(); // 收到 in GBK, on the TX row
});

test('picking another send encoding shows a note; one click follows the session again, and it keeps following', async ({ app: page }) => {
  await newSession(page, { kind: 'TCP server', bind: '127.0.0.1', port: 0, rxEncoding: 'GBK' });
  const panel = sendPanel(page);
  const encoding = panel.getByRole('combobox', { name: 'Encoding', exact: true });
  const note = panel.getByTestId('send-encoding-note');

  await encoding.selectOption({ label: 'UTF-8' });
  await expect(note).toHaveText(/Sending UTF-8, receiving GBK/);
  await panel.getByRole('textbox', { name: 'Message to send' }).fill('中');
  await expect(panel.getByTestId('send-preview-hex')).toHaveText('E4 B8 AD');

  await note.getByRole('button', { name: 'Send in GBK' }).click();
  await expect(note).toHaveCount(0);
  await expect(encoding).toHaveValue('gbk');
  await expect(panel.getByTestId('send-preview-hex')).toHaveText('D6 D0');

  // the session's receive encoding changes: the send encoding follows it
  await chooseNaiveOption(page, page.getByRole('combobox', { name: 'Receive encoding' }).or(page.getByLabel('Receive encoding')).first(), 'Big5');
  await expect(encoding).toHaveValue('big5');
  await expect(note).toHaveCount(0);
  await expect(panel.getByTestId('send-preview-hex')).toHaveText('A4 A4');

  // in hex mode there is no text encoding, so no note either
  await encoding.selectOption({ label: 'UTF-8' });
  await expect(note).toBeVisible();
  await panel.getByRole('radio', { name: 'Hex', exact: true }).check();
  await expect(note).toHaveCount(0);
});
