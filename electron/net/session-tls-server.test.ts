/**
 * TLS server sessions against real clients: Node's tls, `openssl s_client`,
 * Python's ssl module and curl (against the generated certificate, with the
 * built-in HTTP example rules). Per-peer TLS info, client certificates, ALPN,
 * SNI, a plain client on the TLS port (first bytes in hex), a silent client,
 * a client refusing our certificate (alert name), 100 MB hashed end to end.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/protocol/events';
import { sessionConfigSchema } from '../../shared/protocol/schemas';
import { exampleProfile } from '../../shared/rules/examples';
import { EventCollector, poll, rejection } from '../../test/fixtures/net-helpers';
import { makeTlsFixtures, type TlsFixtures } from '../../test/fixtures/tls-certs';
import { ensureMachineCert } from './cert-generate';
import { SessionManager } from './manager';

const run = promisify(execFile);
let fx: TlsFixtures;
let rec: EventCollector;
let mgr: SessionManager;
let dataDir: string;
const closers: Array<() => void> = [];

beforeAll(async () => {
  fx = await makeTlsFixtures();
}, 30_000);
beforeEach(() => {
  rec = new EventCollector();
  dataDir = mkdtempSync(join(tmpdir(), 'wb-tls-data-'));
  mgr = new SessionManager(rec.sink, { dataDir });
});
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await mgr.closeAll();
});

const server = (tls: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  sessionConfigSchema.parse({ kind: 'tcp-server', host: '127.0.0.1', port: 0, tls, ...extra });

async function open(tls: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<{ sid: string; port: number }> {
  const info = await mgr.open(server(tls, extra));
  return { sid: info.sessionId, port: info.local?.port as number };
}

function nodeClient(port: number, opts: ConnectionOptions = {}): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ca: readFileSync(fx.caCert), ...opts });
    closers.push(() => s.destroy());
    s.on('error', () => undefined);
    s.once('error', reject);
    s.once('secureConnect', () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}

const pemFiles = { cert: () => fx.serverCert, key: () => fx.serverKey };

describe('tls server: handshakes', () => {
  it('shows each peer’s TLS version, cipher and SNI name, and exchanges data', async () => {
    const { sid, port } = await open({ cert: pemFiles.cert(), key: pemFiles.key() });
    const c = await nodeClient(port);
    const joined = await rec.next('peer.joined');
    expect(joined.peer.tls?.version).toBe('TLSv1.3');
    expect(joined.peer.tls?.cipher).toBeTruthy();
    expect(joined.peer.tls?.servername).toBe('localhost');
    expect(joined.peer.tls?.verifyEnabled).toBe(false);
    expect(joined.peer.tls?.chain).toEqual([]);
    expect(mgr.info(sid).peers[0]?.tls?.version).toBe('TLSv1.3');
    c.write('ping');
    await rec.until(() => rec.text(sid) === 'ping');
    const got = new Promise<string>((r) => c.once('data', (d: Buffer) => r(d.toString())));
    await mgr.sendBytes(sid, Buffer.from('pong'), { kind: 'all' });
    expect(await got).toBe('pong');
  });

  it('a plain TCP client is reported with its first bytes in hex', async () => {
    const { sid, port } = await open({ cert: pemFiles.cert(), key: pemFiles.key() });
    const s = netConnect(port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\n\r\n'));
    s.on('error', () => undefined);
    closers.push(() => s.destroy());
    const err = await rec.next('error');
    expect(err.code).toBe('TLS_HANDSHAKE');
    expect(err.message).toMatch(
      /^127\.0\.0\.1:\d+ does not speak TLS: its first bytes were 47 45 54 20 2F 20 48 54 54 50 2F 31 2E 31 0D 0A … \(“GET \/ HTTP\/1\.1\\r\\n”\), so a plain TCP client connected to this TLS server$/,
    );
    await new Promise<void>((r) => (s.closed ? r() : s.once('close', () => r())));
    expect(mgr.info(sid).peers).toEqual([]);
    expect(rec.of('peer.joined')).toEqual([]);
  });

  it('a client that says nothing: handshake timeout with a hint', async () => {
    const { port } = await open({ cert: pemFiles.cert(), key: pemFiles.key(), handshakeTimeoutMs: 300 });
    const s = netConnect(port, '127.0.0.1');
    s.on('error', () => undefined);
    closers.push(() => s.destroy());
    const err = await rec.next('error');
    expect(err.message).toMatch(/^No TLS handshake from 127\.0\.0\.1:\d+ within 0\.3 s: is it a plain TCP client waiting for the server to speak first\?$/);
  });

  it('a client that does not trust our certificate: its alert is named', async () => {
    const { port } = await open({ cert: fx.selfCert, key: fx.selfKey });
    // Python's ssl (OpenSSL) tells the server why with an alert; Node's client would just close
    const py = `import socket, ssl\nctx = ssl.create_default_context(cafile=${JSON.stringify(fx.caCert)})\ntry:\n  ctx.wrap_socket(socket.create_connection(("127.0.0.1", ${port})), server_hostname="localhost")\nexcept ssl.SSLError as e:\n  print("refused", e.reason)`;
    const { stdout } = await run('python3', ['-c', py], { timeout: 15_000 });
    expect(stdout.trim()).toBe('refused CERTIFICATE_VERIFY_FAILED');
    const err = await rec.next('error');
    expect(err.message).toMatch(/^The TLS handshake with 127\.0\.0\.1:\d+ failed: the peer sent the alert “unknown ca”$/);
  });

  it('client certificates: shown per peer with whether they verified against the CA', async () => {
    const { sid, port } = await open({ cert: pemFiles.cert(), key: pemFiles.key(), requestCert: true, ca: fx.caCert });
    await nodeClient(port, { cert: readFileSync(fx.clientCert), key: readFileSync(fx.clientKey) });
    const a = await rec.next('peer.joined');
    expect(a.peer.tls?.verifyEnabled).toBe(true);
    expect(a.peer.tls?.verified).toBe(true);
    expect(a.peer.tls?.chain[0]?.subject).toBe('CN=Test Client');
    await nodeClient(port);
    await rec.until(() => rec.of('peer.joined').length === 2);
    const b = rec.of('peer.joined')[1];
    expect(b?.peer.tls?.verified).toBe(false);
    expect(b?.peer.tls?.verifyError).toEqual({ key: 'tls.verify.noCert' });
    // a certificate from a CA the server does not trust
    await nodeClient(port, { cert: readFileSync(fx.selfCert), key: readFileSync(fx.selfKey) });
    await rec.until(() => rec.of('peer.joined').length === 3);
    expect(mgr.info(sid).peers.find((p) => p.tls?.chain[0]?.subject === 'CN=Self Signed Device')?.tls?.verified).toBe(false);
  });

  it('ALPN: the protocol agreed on is shown per peer', async () => {
    const { port } = await open({ cert: pemFiles.cert(), key: pemFiles.key(), alpn: ['h2', 'http/1.1'] });
    const c = await nodeClient(port, { ALPNProtocols: ['http/1.1'] });
    expect(c.alpnProtocol).toBe('http/1.1');
    const j = await rec.next('peer.joined');
    expect(j.peer.tls?.alpn).toBe('http/1.1');
  });

  it('refuses bad certificate files when it starts', async () => {
    const e = await rejection(open({ cert: fx.clientCert, key: fx.serverKey }));
    expect(e.code).toBe('TLS_CONFIG');
    expect(e.message).toMatch(/does not belong to the certificate/);
    const e2 = await rejection(open({ pfx: fx.pfx, passphrase: 'nope' }));
    expect(e2.message).toMatch(/^Wrong passphrase for /);
    const ok = await open({ pfx: fx.pfx, passphrase: fx.passphrase });
    expect(ok.port).toBeGreaterThan(0);
  });
});

describe('tls server: other clients', () => {
  it('openssl s_client', async () => {
    const { sid, port } = await open({ cert: pemFiles.cert(), key: pemFiles.key() });
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-CAfile', fx.caCert, '-verify_return_error', '-quiet']);
    closers.push(() => void child.kill());
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const joined = await rec.next('peer.joined');
    expect(joined.peer.tls?.servername).toBe('localhost');
    child.stdin.write('from s_client\n');
    await rec.until(() => rec.text(sid) === 'from s_client\n');
    await mgr.sendBytes(sid, Buffer.from('to s_client\n'), { kind: 'all' });
    await poll(() => out.includes('to s_client'));
  });

  it('Python’s ssl module', async () => {
    const { sid, port } = await open({ cert: pemFiles.cert(), key: pemFiles.key() });
    const py = [
      'import socket, ssl, sys',
      `ctx = ssl.create_default_context(cafile=${JSON.stringify(fx.caCert)})`,
      `s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", ${port})), server_hostname="localhost")`,
      's.sendall(b"from python")',
      'print(s.version(), s.recv(100).decode())',
    ].join('\n');
    const done = run('python3', ['-c', py], { timeout: 15_000 });
    await rec.until(() => rec.text(sid) === 'from python');
    await mgr.sendBytes(sid, Buffer.from('to python'), { kind: 'all' });
    const { stdout } = await done;
    expect(stdout.trim()).toBe('TLSv1.3 to python');
  });

  it('the generated certificate + the HTTP example rules: curl --cacert and curl -k get their 200', async () => {
    const gen = await ensureMachineCert(dataDir, false);
    expect(statSync(gen.certPath).mode & 0o777).toBe(0o600);
    expect(statSync(gen.keyPath).mode & 0o777).toBe(0o600);
    const http = exampleProfile('http');
    const { sid, port } = await open({ generated: true }, { framing: http.framing });
    mgr.setRules(sid, http.rules);
    const a = await run('curl', ['-sS', '--max-time', '10', '--cacert', gen.certPath, `https://localhost:${port}/`]);
    expect(a.stdout).toBe('Hello from Wirebench\n');
    const b = await run('curl', ['-sS', '-k', '--max-time', '10', '-o', '/dev/null', '-w', '%{http_code}', `https://127.0.0.1:${port}/x`]);
    expect(b.stdout).toBe('200');
    const c = await run('curl', ['-sS', '--max-time', '10', '--cacert', gen.certPath, '-o', '/dev/null', '-w', '%{http_code}', `https://[::1]:${port}/`]).catch(() => ({ stdout: 'no ipv6 listener' }));
    expect(['no ipv6 listener', '200']).toContain(c.stdout);
  });
});

describe('tls server: 100 MB', () => {
  it('receives 100 MB from a Node tls client and hashes the same bytes', async () => {
    const hash = createHash('sha256');
    let rx = 0;
    const events: EngineEvent[] = [];
    const sink = (ev: EngineEvent): void => {
      if (ev.type === 'data') {
        if (ev.dir === 'rx') {
          hash.update(ev.bytes);
          rx += ev.bytes.length;
        }
        return;
      }
      events.push(ev);
    };
    const big = new SessionManager(sink, { dataDir });
    closers.push(() => void big.closeAll());
    const info = await big.open(server({ cert: fx.serverCert, key: fx.serverKey }));
    const c = await nodeClient(info.local?.port as number);
    const total = 100 * 1024 * 1024;
    const block = randomBytes(1024 * 1024);
    const sent = createHash('sha256');
    const t0 = performance.now();
    for (let i = 0; i < total / block.length; i++) {
      block[0] = i & 0xff; // every block differs
      sent.update(block);
      if (!c.write(Buffer.from(block))) await new Promise<void>((r) => c.once('drain', () => r()));
    }
    c.end();
    await poll(() => rx === total, 120_000, '100 MB received');
    const secs = (performance.now() - t0) / 1000;
    console.log(`TLS ingest: 100 MiB in ${secs.toFixed(2)} s (${(100 / secs).toFixed(0)} MiB/s)`);
    expect(hash.digest('hex')).toBe(sent.digest('hex'));
    expect(big.info(info.sessionId).counters.rxBytes).toBe(total);
  }, 180_000);
});
