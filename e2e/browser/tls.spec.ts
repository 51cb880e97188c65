/**
 * TLS from the UI (issue #12), against real Node `tls` peers in the test
 * process: a TLS server with the generated certificate that a verifying
 * client trusts by its file, and a TLS client that refuses a self-signed
 * server in words, then retries without verifying. Screenshots of the
 * options and the certificate panel at 1366×768, in both languages, go to
 * test-results/tls/ (with WIREBENCH_SCREENSHOTS=1 to docs/images/, used by the
 * user guide).
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, createServer, type TLSSocket } from 'node:tls';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from '../fixtures';
import { TcpPeer } from './peers';
import { fillNewSession, logRows, openNewSessionDialog, sendText } from './ui';
import { setViewSettings } from './view-helpers';

test.use({ viewport: { width: 1366, height: 768 } });

const SHOTS = process.env['WIREBENCH_SCREENSHOTS'] === '1'
  ? resolve(import.meta.dirname, '../../docs/images')
  : resolve(import.meta.dirname, '../../test-results/tls');

/** A TLS client that verifies against `ca` (and the name localhost); resolves once the handshake is done. */
async function tlsPeer(port: number, ca: Buffer): Promise<{ peer: TcpPeer; socket: TLSSocket }> {
  const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
  await new Promise<void>((res, rej) => {
    socket.once('secureConnect', () => res());
    socket.once('error', rej);
  });
  return { peer: TcpPeer.wrap(socket), socket };
}

/** The window as the user sees it, the dialog scrolled to its TLS fields. */
async function optionsShot(page: Page, dialog: Locator, name: string): Promise<void> {
  await dialog.getByRole('switch', { name: 'TLS', exact: true }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: resolve(SHOTS, name) });
}

/** Every visible field of the dialog, the TLS ones too, starts at one x (the dialog's one label column). */
async function expectOneColumn(dialog: Locator): Promise<void> {
  const xs = new Set<number>();
  for (const box of await dialog.locator('.n-form-item-blank').all()) {
    const b = (await box.isVisible()) ? await box.boundingBox() : null;
    if (b) xs.add(Math.round(b.x));
  }
  expect([...xs]).toHaveLength(1);
}

/** A popover's region, opened by its button. */
async function openPanel(page: Page, button: Locator, region: string | RegExp): Promise<Locator> {
  await button.click();
  const panel = page.getByRole('region', { name: region });
  await expect(panel).toBeVisible();
  return panel;
}

test('a TLS server opened from the UI with a generated certificate: a verifying Node client, data both ways, the certificate panel', async ({ app: page }) => {
  const dialog = await openNewSessionDialog(page);
  await fillNewSession(dialog, { kind: 'TCP server', bind: '127.0.0.1', port: 0 });
  await dialog.getByRole('switch', { name: 'TLS', exact: true }).click();
  await expect(dialog.getByRole('radio', { name: 'Generated', exact: true })).toBeChecked();
  await dialog.getByRole('button', { name: 'Generate a certificate for this machine' }).click();
  const fingerprint = (await dialog.getByTestId('tls-fingerprint').innerText()).trim();
  expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  const certPath = (await dialog.getByTestId('tls-cert-path').innerText()).trim();
  await expectOneColumn(dialog);
  await optionsShot(page, dialog, 'tls-server-options-en.png');
  await dialog.getByRole('button', { name: 'Create session' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'listening');
  await expect(page.getByRole('tab', { name: /TLS server/ })).toBeVisible();
  const port = Number(await page.getByTestId('local-port').innerText());

  // a real client that verifies the server against the generated certificate's file
  const { peer, socket } = await tlsPeer(port, readFileSync(certPath));
  expect(socket.authorized).toBe(true);
  const seen = socket.getPeerX509Certificate();
  expect(seen?.fingerprint256).toBe(fingerprint);
  expect(createHash('sha256').update(seen?.raw ?? Buffer.alloc(0)).digest('hex')).toBe(fingerprint.replace(/:/g, '').toLowerCase());

  // data both ways, decrypted in the log
  await peer.write('hello over tls');
  await expect(logRows(page).filter({ hasText: 'hello over tls' })).toBeVisible();
  await sendText(page, 'hi client');
  await peer.expectBytes(Buffer.from('hi client'));

  // the client's handshake, from the client list
  const addr = `127.0.0.1:${socket.localPort}`;
  const peerPanel = await openPanel(page, page.getByRole('button', { name: `TLS of ${addr}` }), `TLS of ${addr}`);
  await expect(peerPanel).toContainText(socket.getProtocol() ?? 'TLS');
  await expect(peerPanel).toContainText(socket.getCipher().standardName);
  await expect(peerPanel.getByTestId('tls-verification')).toHaveText('No client certificate requested');
  await expect(peerPanel).toContainText('localhost'); // the SNI the client asked for
  await page.keyboard.press('Escape');

  // the server's own certificate, from the header: the fingerprint the client saw
  const own = await openPanel(page, page.getByRole('button', { name: 'Certificate', exact: true }), 'Certificate');
  await expect(own.getByTestId('tls-fingerprint')).toHaveText(fingerprint);
  await own.screenshot({ path: resolve(SHOTS, 'tls-server-certificate-en.png') });
  await page.getByRole('button', { name: 'Certificate', exact: true }).click();
  await expect(own).toBeHidden();

  // exports say the data is decrypted
  await page.getByRole('button', { name: 'Export log…' }).click();
  const exp = page.getByRole('dialog', { name: 'Export log' });
  await expect(exp.getByTestId('export-tls-note')).toHaveText(/decrypted application data/);
  await page.keyboard.press('Escape');
  await expect(exp).toBeHidden();

  // 简体中文: the options and the panel
  await setViewSettings(page, { language: 'zh-CN', theme: 'light' });
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'listening');
  await expect(page.getByRole('tab', { name: /TLS 服务器/ })).toBeVisible();
  const zhOwn = await openPanel(page, page.getByRole('button', { name: '证书', exact: true }), '证书');
  await expect(zhOwn.getByTestId('tls-fingerprint')).toHaveText(fingerprint);
  await zhOwn.screenshot({ path: resolve(SHOTS, 'tls-server-certificate-zh-CN.png') });
  await page.getByRole('button', { name: '证书', exact: true }).click();
  await expect(zhOwn).toBeHidden();
  await page.getByRole('button', { name: '新建会话' }).first().click();
  const zhDialog = page.getByRole('dialog', { name: '新建会话' });
  await zhDialog.getByRole('radio', { name: 'TCP 服务器', exact: true }).check();
  await zhDialog.getByRole('switch', { name: 'TLS', exact: true }).click();
  await zhDialog.getByRole('button', { name: '为本机生成证书' }).click();
  await expect(zhDialog.getByTestId('tls-fingerprint')).toHaveText(fingerprint); // the same certificate, kept
  await optionsShot(page, zhDialog, 'tls-server-options-zh-CN.png');
  await page.keyboard.press('Escape');
  peer.close();
});

/** A self-signed certificate for localhost/127.0.0.1, valid 20 days (so the 30-day warning shows), by Debian's openssl. */
function selfSigned(): { cert: Buffer; key: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'wirebench-e2e-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
    '-subj', '/CN=Self Signed Device', '-days', '20', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], { stdio: 'ignore' });
  return { cert: readFileSync(cert), key: readFileSync(key) };
}

test('a TLS client refuses a self-signed server in words; "Retry without verifying" connects and shows it is unverified', async ({ app: page }) => {
  const { cert, key } = selfSigned();
  const sockets = new Set<TLSSocket>();
  const server = createServer({ cert, key }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.on('data', (d: Buffer) => s.write(Buffer.concat([Buffer.from('echo:'), d])));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const dialog = await openNewSessionDialog(page);
    await fillNewSession(dialog, { kind: 'TCP client', host: '127.0.0.1', port });
    await dialog.getByRole('switch', { name: 'TLS', exact: true }).click();
    await expect(dialog.getByRole('switch', { name: 'Verify the certificate' })).toHaveAttribute('aria-checked', 'true');
    await dialog.getByRole('textbox', { name: 'ALPN protocols' }).fill('h2, http/1.1');
    await expectOneColumn(dialog);
    await optionsShot(page, dialog, 'tls-client-options-en.png');
    await dialog.getByRole('button', { name: 'Create session' }).click();
    await expect(dialog).toBeHidden();

    // refused, and why, in words
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'error');
    const header = page.getByRole('region', { name: 'Settings', exact: true });
    await expect(header).toContainText('it is self-signed (Self Signed Device) and not trusted here');
    await expect(page.getByTestId('tls-unverified')).toBeVisible();
    await expect(page.getByRole('tab', { name: /TLS client/ })).toBeVisible();

    await page.getByRole('button', { name: 'Retry without verifying' }).click();
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    await expect(page.getByTestId('tls-unverified')).toHaveText('unverified');
    await expect(page.getByRole('button', { name: 'Retry without verifying' })).toBeHidden();

    const panel = await openPanel(page, page.getByRole('button', { name: 'Certificate', exact: true }), 'TLS connection');
    await expect(panel.getByTestId('tls-verification')).toHaveText(/^Verification is off · Not verified: it is self-signed \(Self Signed Device\)/);
    const expected = new X509Certificate(cert).fingerprint256;
    await expect(panel.getByTestId('tls-fingerprint')).toHaveText(expected);
    await expect(panel).toContainText('CN=Self Signed Device');
    await expect(panel).toContainText('DNS:localhost, IP Address:127.0.0.1');
    await expect(panel).toContainText('A certificate of this chain expires within 30 days');
    await expect(panel).toContainText('EC · prime256v1 · 256 bits');
    await panel.screenshot({ path: resolve(SHOTS, 'tls-client-certificate-en.png') });
    await page.getByRole('button', { name: 'Certificate', exact: true }).click();
    await expect(panel).toBeHidden();

    // everything that works on TCP works here
    await sendText(page, 'ping');
    await expect(logRows(page).filter({ hasText: 'echo:ping' })).toBeVisible();

    // 简体中文
    await setViewSettings(page, { language: 'zh-CN', theme: 'light' });
    await expect(page.getByTestId('tls-unverified')).toHaveText('未验证');
    const zh = await openPanel(page, page.getByRole('button', { name: '证书', exact: true }), 'TLS 连接');
    await expect(zh.getByTestId('tls-verification')).toContainText('验证已关闭');
    await zh.screenshot({ path: resolve(SHOTS, 'tls-client-certificate-zh-CN.png') });
    await page.getByRole('button', { name: '证书', exact: true }).click();
    await page.getByRole('button', { name: '新建会话' }).first().click();
    const zhDialog = page.getByRole('dialog', { name: '新建会话' });
    await zhDialog.getByRole('radio', { name: 'TCP 客户端', exact: true }).check();
    await zhDialog.getByRole('switch', { name: 'TLS', exact: true }).click();
    await expect(zhDialog.getByRole('switch', { name: '验证证书' })).toHaveAttribute('aria-checked', 'true');
    await optionsShot(page, zhDialog, 'tls-client-options-zh-CN.png');
    await page.keyboard.press('Escape');
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
