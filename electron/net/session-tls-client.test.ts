/**
 * TLS client sessions against real peers: Node's tls server and Debian's
 * `openssl s_server`. Verification success and each failure reason, retry
 * without verifying, mutual TLS, ALPN, SNI, a plain server answering in
 * clear, handshake timeout, bad files, reconnect.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket, type TlsOptions } from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sessionConfigSchema } from '../../shared/protocol/schemas';
import type { TlsClientOptions } from '../../shared/protocol/tls';
import { EventCollector, poll, rawServer, rejection } from '../../test/fixtures/net-helpers';
import { makeTlsFixtures, type TlsFixtures } from '../../test/fixtures/tls-certs';
import { SessionManager } from './manager';

let fx: TlsFixtures;
let rec: EventCollector;
let mgr: SessionManager;
const closers: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  fx = await makeTlsFixtures();
}, 30_000);
beforeEach(() => {
  rec = new EventCollector();
  mgr = new SessionManager(rec.sink);
});
afterEach(async () => {
  await mgr.closeAll();
  for (const c of closers.splice(0).reverse()) await c();
});
afterAll(() => undefined);

const read = (p: string): Buffer => readFileSync(p);

/** A Node TLS server on 127.0.0.1:0 that echoes what it gets with "echo:" in front. */
async function nodeServer(opts: TlsOptions, onSocket?: (s: TLSSocket) => void): Promise<{ port: number; server: TlsServer; sockets: Set<TLSSocket> }> {
  const sockets = new Set<TLSSocket>();
  const server = createTlsServer(opts, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    if (onSocket) onSocket(s);
    else s.on('data', (d: Buffer) => s.write(Buffer.concat([Buffer.from('echo:'), d])));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return { port: (server.address() as { port: number }).port, server, sockets };
}

const serverOpts = (cert: string, key: string, extra: TlsOptions = {}): TlsOptions => ({ cert: read(cert), key: read(key), ...extra });

const client = (port: number, tls: Partial<TlsClientOptions> & Record<string, unknown>, host = 'localhost', extra: Record<string, unknown> = {}) =>
  sessionConfigSchema.parse({ kind: 'tcp-client', host, port, connectTimeoutMs: 3000, tls, ...extra });

describe('tls client: verification', () => {
  it('verifies against a CA file, shows version, cipher, chain and fingerprint, and exchanges data', async () => {
    const { port } = await nodeServer(serverOpts(fx.serverCert, fx.serverKey));
    const info = await mgr.open(client(port, { ca: fx.caCert }));
    expect(info.state).toBe('connected');
    const t = info.tls;
    expect(t?.verified).toBe(true);
    expect(t?.verifyEnabled).toBe(true);
    expect(t?.version).toMatch(/^TLSv1\.[23]$/);
    expect(t?.cipher).toBeTruthy();
    expect(t?.servername).toBe('localhost');
    expect(t?.chain[0]?.subject).toBe('CN=localhost');
    expect(t?.chain[0]?.issuer).toBe('CN=Wirebench Test CA');
    expect(t?.chain[0]?.sans).toEqual(['DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1']);
    expect(t?.chain[0]?.keyType).toBe('ec');
    expect(t?.chain[0]?.keyBits).toBe(256);
    expect(t?.chain[0]?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(t?.expiresSoon).toBe(false);
    expect(info.statusLog.at(-1)?.reason).toMatch(/^Connected to 127\.0\.0\.1:\d+ over TLSv1\.3 \(/);
    await mgr.sendBytes(info.sessionId, Buffer.from('hello'), { kind: 'default' });
    await rec.until(() => rec.text(info.sessionId) === 'echo:hello');
    expect(mgr.info(info.sessionId).counters.rxBytes).toBe(10);
  });

  it('self-signed: refused in words; retried without verifying it connects and shows it is unverified', async () => {
    const { port } = await nodeServer(serverOpts(fx.selfCert, fx.selfKey));
    const cfg = client(port, {}, 'localhost', { name: 'self' });
    const failed = await mgr.open(cfg, { keepOnFailure: true });
    expect(failed.state).toBe('error');
    const e = rec.of('error')[0] as { code: string; message: string; why?: { params?: Record<string, unknown> } };
    expect(e.code).toBe('TLS_VERIFY');
    expect(failed.statusLog.at(-1)?.code).toBe('TLS_VERIFY');
    expect(e.message).toBe(
      `The certificate of localhost:${port} did not verify: it is self-signed (Self Signed Device) and not trusted here. Turn verification off to connect anyway and look at it`,
    );
    expect(e.why?.params?.why).toEqual({ key: 'tls.verify.selfSigned', params: { subject: 'Self Signed Device' } });
    const sid = failed.sessionId;
    await mgr.update(sid, { tlsVerify: false });
    const info = await mgr.start(sid);
    expect(info.state).toBe('connected');
    expect(info.tls?.verified).toBe(false);
    expect(info.tls?.verifyEnabled).toBe(false);
    expect(info.tls?.verifyCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(info.tls?.chain[0]?.selfSigned).toBe(true);
    expect(info.statusLog.at(-1)?.reason).toContain('NOT verified: it is self-signed (Self Signed Device)');
  });

  it('expired: says the date', async () => {
    const { port } = await nodeServer(serverOpts(fx.expiredCert, fx.expiredKey));
    const e = await rejection(mgr.open(client(port, { ca: fx.caCert })));
    expect(e.code).toBe('TLS_VERIFY');
    expect(e.message).toContain('it expired on 2024-01-31 12:00 UTC');
  });

  it('name mismatch: says the names it is for and the name asked for', async () => {
    const { port } = await nodeServer(serverOpts(fx.wrongNameCert, fx.wrongNameKey));
    const e = await rejection(mgr.open(client(port, { ca: fx.caCert })));
    expect(e.message).toContain('it is for device.example, www.device.example, not for localhost');
  });

  it('unknown CA: says who issued it', async () => {
    const { port } = await nodeServer(serverOpts(fx.serverCert, fx.serverKey));
    const e = await rejection(mgr.open(client(port, { ca: fx.otherCaCert })));
    expect(e.message).toContain('it was issued by Wirebench Test CA, a CA that is not trusted here');
    // the system store does not know the test CA either
    const e2 = await rejection(mgr.open(client(port, {})));
    expect(e2.message).toContain('a CA that is not trusted here');
  });

  it('flags a certificate that expires within 30 days', async () => {
    const { port } = await nodeServer(serverOpts(fx.soonCert, fx.soonKey));
    const info = await mgr.open(client(port, { ca: fx.caCert }));
    expect(info.tls?.expiresSoon).toBe(true);
    expect(info.tls?.chain[0]?.expiresSoon).toBe(true);
  });
});

describe('tls client: mutual TLS, ALPN, SNI', () => {
  it('mutual TLS: presents its certificate; without one the server’s alert is named', async () => {
    let seen = '';
    const { port } = await nodeServer(serverOpts(fx.serverCert, fx.serverKey, { requestCert: true, rejectUnauthorized: true, ca: read(fx.caCert) }), (s) => {
      seen = String(s.getPeerCertificate().subject?.CN ?? '');
      s.end('hi');
    });
    const info = await mgr.open(client(port, { ca: fx.caCert, cert: fx.clientCert, key: fx.clientKey }));
    expect(info.state).toBe('connected');
    await poll(() => seen !== '');
    expect(seen).toBe('Test Client');
    await rec.until(() => rec.text(info.sessionId) === 'hi');

    // without a certificate: TLS 1.3 reports the refusal after the handshake, as an alert on the connection
    const bare = await mgr.open(client(port, { ca: fx.caCert }), { keepOnFailure: true }).catch(() => undefined);
    await rec.until(() => rec.of('error').some((e) => /the peer sent the alert “certificate required”$/.test(e.message)), 5000, 'alert');
    void bare;
  });

  it('ALPN: the protocol agreed on is shown', async () => {
    const { port } = await nodeServer(serverOpts(fx.serverCert, fx.serverKey, { ALPNProtocols: ['h2', 'http/1.1'] }));
    const info = await mgr.open(client(port, { ca: fx.caCert, alpn: ['http/1.1'] }));
    expect(info.tls?.alpn).toBe('http/1.1');
    const none = await mgr.open(client(port, { ca: fx.caCert }));
    expect(none.tls?.alpn).toBeUndefined();
  });

  it('SNI: the host by default, an explicit name (also for verification), or none', async () => {
    const names: (string | undefined)[] = [];
    const { port } = await nodeServer(serverOpts(fx.serverCert, fx.serverKey), (s) => {
      const n = (s as TLSSocket & { servername?: string | false }).servername;
      names.push(typeof n === 'string' ? n : undefined);
    });
    await mgr.open(client(port, { ca: fx.caCert }));
    await mgr.open(client(port, { ca: fx.caCert, servername: 'localhost' }, '127.0.0.1'));
    const off = await mgr.open(client(port, { ca: fx.caCert, servername: '' }, '127.0.0.1'));
    await mgr.open(client(port, { ca: fx.caCert }, '127.0.0.1'));
    await poll(() => names.length === 4);
    expect(names).toEqual(['localhost', 'localhost', undefined, undefined]);
    expect(off.tls?.servername).toBeUndefined();
    expect(off.tls?.verified).toBe(true); // 127.0.0.1 is in the certificate's SANs
  });
});

describe('tls client: mix-ups, timeouts, files', () => {
  it('a plain server that answers in clear is reported as such', async () => {
    const plain = await rawServer((s) => s.on('data', () => s.write('HTTP/1.1 400 Bad Request\r\n\r\n')));
    closers.push(plain.close);
    const e = await rejection(mgr.open(client(plain.port, { ca: fx.caCert })));
    expect(e.code).toBe('TLS_HANDSHAKE');
    expect(e.message).toMatch(/^localhost:\d+ answered in clear text, not TLS: it is a plain TCP server/);
  });

  it('a server that says nothing: handshake timeout', async () => {
    const silent = await rawServer(() => undefined);
    closers.push(silent.close);
    const e = await rejection(mgr.open(client(silent.port, { ca: fx.caCert, handshakeTimeoutMs: 300 })));
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toBe(`No TLS handshake with localhost:${silent.port} within 0.3 s`);
  });

  it('bad files are each refused with a sentence', async () => {
    const port = 9; // never reached: the files are checked first
    const msg = async (tls: Record<string, unknown>): Promise<string> => (await rejection(mgr.open(client(port, tls)))).message;
    expect(await msg({ ca: '/nonexistent/ca.pem' })).toMatch(/^Could not read the CA file \/nonexistent\/ca\.pem: /);
    expect(await msg({ ca: fx.garbage })).toMatch(/^The CA file .*garbage\.pem holds no valid PEM certificate/);
    expect(await msg({ cert: fx.garbage, key: fx.clientKey })).toMatch(/garbage\.pem holds no valid PEM certificate/);
    expect(await msg({ cert: fx.clientCert, key: fx.garbage })).toMatch(/garbage\.pem holds no valid private key/);
    expect(await msg({ cert: fx.serverCert, key: fx.encryptedKey })).toMatch(/is encrypted: give its passphrase$/);
    expect(await msg({ cert: fx.serverCert, key: fx.encryptedKey, passphrase: 'wrong' })).toMatch(/^Wrong passphrase for .*server-key-encrypted\.pem$/);
    expect(await msg({ cert: fx.clientCert, key: fx.serverKey })).toMatch(/^The key in .*server-key\.pem does not belong to the certificate in .*client-cert\.pem$/);
    expect(await msg({ pfx: fx.pfx, passphrase: 'wrong' })).toMatch(/^Wrong passphrase for .*server\.pfx$/);
    expect(() => client(port, { cert: fx.clientCert })).toThrow('A certificate needs its key and a key its certificate: give both files');
  });

  it('an encrypted key with its passphrase and a PFX both work for mutual TLS', async () => {
    const { port } = await nodeServer(serverOpts(fx.serverCert, fx.serverKey, { requestCert: true, rejectUnauthorized: false }), (s) => s.end('ok'));
    const a = await mgr.open(client(port, { ca: fx.caCert, cert: fx.serverCert, key: fx.encryptedKey, passphrase: fx.passphrase }));
    expect(a.state).toBe('connected');
    const b = await mgr.open(client(port, { ca: fx.caCert, pfx: fx.pfx, passphrase: fx.passphrase }));
    expect(b.state).toBe('connected');
  });

  it('reconnects after the server closes, with a new handshake', async () => {
    let n = 0;
    const { port } = await nodeServer(serverOpts(fx.serverCert, fx.serverKey), (s) => {
      n++;
      if (n === 1) s.end('bye');
      else s.write('again');
    });
    const info = await mgr.open(client(port, { ca: fx.caCert }, 'localhost', { reconnect: { enabled: true, initialDelayMs: 50 } }));
    await rec.until(() => rec.text(info.sessionId) === 'byeagain', 10_000, 'second connection');
    expect(mgr.info(info.sessionId).state).toBe('connected');
    expect(mgr.info(info.sessionId).tls?.verified).toBe(true);
  });
});

describe('tls client: openssl s_server', () => {
  it('talks to openssl s_server and verifies it with the CA', async () => {
    const child = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', '-cert', fx.serverCert, '-key', fx.serverKey, '-naccept', '1']);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    closers.push(() => void child.kill());
    await poll(() => /ACCEPT 127\.0\.0\.1:\d+/.test(out), 10_000, 's_server listening');
    const port = Number(/ACCEPT 127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
    const info = await mgr.open(client(port, { ca: fx.caCert }, '127.0.0.1'));
    expect(mgr.info(info.sessionId).tls?.verified).toBe(true);
    await mgr.sendBytes(info.sessionId, Buffer.from('from wirebench\n'), { kind: 'default' });
    await poll(() => out.includes('from wirebench'));
    child.stdin.write('from openssl\n');
    await rec.until(() => rec.text(info.sessionId).includes('from openssl'));
  });
});
