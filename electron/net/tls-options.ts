/**
 * A session's `tls` settings → Node's TLS options. Every file is read and
 * checked when the session starts, each failure refused with its own
 * sentence: unreadable file, no PEM certificate, no key, an encrypted key
 * without passphrase, a wrong passphrase, a key that is not the
 * certificate's, an unreadable PFX.
 */
import { appendFile } from 'node:fs/promises';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { WbError } from '../../shared/protocol/errors';
import { say, type Reason } from '../../shared/protocol/reason-format';
import type { TlsClientOptions, TlsServerOptions } from '../../shared/protocol/tls';
import { ensureMachineCert, tlsDir } from './cert-generate';

type What = 'ca' | 'cert' | 'key' | 'pfx';

const detailOf = (e: unknown): string => {
  if (typeof e === 'object' && e !== null) {
    const x = e as { reason?: unknown; message?: unknown };
    if (typeof x.reason === 'string' && x.reason) return x.reason;
    if (typeof x.message === 'string') return x.message;
  }
  return String(e);
};
const configError = (why: Reason, e?: unknown): WbError => {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return new WbError('TLS_CONFIG', why, typeof code === 'string' ? { sysCode: code } : undefined);
};

async function readTlsFile(what: What, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw configError(say('tls.fileRead', { what: say(`tls.what.${what}`), path, detail: detailOf(e) }), e);
  }
}

/** Every PEM certificate of a file, checked; at least one. */
function pemCerts(bytes: Buffer, path: string, key: 'tls.badCert' | 'tls.badCa'): X509Certificate[] {
  const blocks = bytes.toString('latin1').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw configError(say(key, { path, detail: 'no “BEGIN CERTIFICATE” block' }));
  return blocks.map((b) => {
    try {
      return new X509Certificate(b);
    } catch (e) {
      throw configError(say(key, { path, detail: detailOf(e) }), e);
    }
  });
}

const ENCRYPTED_PEM = /ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/;

function privateKey(bytes: Buffer, path: string, passphrase: string | undefined): KeyObject {
  const encrypted = ENCRYPTED_PEM.test(bytes.toString('latin1'));
  if (encrypted && !passphrase) throw configError(say('tls.keyEncrypted', { path }));
  try {
    return createPrivateKey({ key: bytes, ...(passphrase ? { passphrase } : {}) });
  } catch (e) {
    const d = detailOf(e);
    if (encrypted && /bad decrypt|passphrase|decrypt|unsupported/i.test(d)) throw configError(say('tls.badPassphrase', { path }), e);
    throw configError(say('tls.badKey', { path, detail: d }), e);
  }
}

export interface OwnCert {
  cert?: Buffer;
  key?: Buffer;
  pfx?: Buffer;
  passphrase?: string;
}

/** A certificate and its key (PEM files) or a PFX, checked to belong together. */
export async function loadOwnCert(t: { cert?: string; key?: string; pfx?: string; passphrase?: string }): Promise<OwnCert | undefined> {
  if (t.pfx !== undefined) {
    const pfx = await readTlsFile('pfx', t.pfx);
    try {
      tls.createSecureContext({ pfx, ...(t.passphrase !== undefined ? { passphrase: t.passphrase } : {}) });
    } catch (e) {
      const d = detailOf(e);
      if (/mac verify|bad decrypt|password|passphrase/i.test(d)) throw configError(say('tls.badPassphrase', { path: t.pfx }), e);
      throw configError(say('tls.badPfx', { path: t.pfx, detail: d }), e);
    }
    return { pfx, ...(t.passphrase !== undefined ? { passphrase: t.passphrase } : {}) };
  }
  if (t.cert === undefined || t.key === undefined) return undefined;
  const [cert, key] = await Promise.all([readTlsFile('cert', t.cert), readTlsFile('key', t.key)]);
  const leaf = pemCerts(cert, t.cert, 'tls.badCert')[0] as X509Certificate;
  const k = privateKey(key, t.key, t.passphrase);
  if (!leaf.checkPrivateKey(k)) throw configError(say('tls.keyMismatch', { key: t.key, cert: t.cert }));
  // the key goes to OpenSSL decrypted, so a passphrase is needed only here
  return { cert, key: Buffer.from(k.export({ format: 'pem', type: 'pkcs8' }) as string) };
}

/** CA certificates to trust. Absent path: Node's bundled roots plus, where Node can read it, the system store. */
export async function loadCa(path: string | undefined): Promise<(string | Buffer)[] | undefined> {
  if (path !== undefined) {
    const bytes = await readTlsFile('ca', path);
    pemCerts(bytes, path, 'tls.badCa');
    return [bytes];
  }
  const get = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  if (typeof get !== 'function') return undefined; // Node < 22.15: Node's bundled roots
  try {
    return [...new Set([...get('default'), ...get('system')])];
  } catch {
    return undefined;
  }
}

/** Options a client's handshake needs beyond the socket. */
export interface ClientTls {
  connect: tls.ConnectionOptions;
  /** the SNI name sent (absent: none) */
  servername: string | undefined;
  /** the name the certificate must match */
  verifyName: string;
}

const isIpAddress = (h: string): boolean => /^[\d.]+$/.test(h) || h.includes(':');

export async function loadClientTls(t: TlsClientOptions, host: string): Promise<ClientTls> {
  const [ca, own] = await Promise.all([loadCa(t.ca), loadOwnCert(t)]);
  const servername = t.servername === undefined ? (isIpAddress(host) ? undefined : host) : t.servername || undefined;
  const connect: tls.ConnectionOptions = {
    rejectUnauthorized: false, // judged after the handshake, so the reason and the chain can be shown
    ...(ca ? { ca } : {}),
    ...own,
    ...(t.minVersion ? { minVersion: t.minVersion } : {}),
    ...(t.maxVersion ? { maxVersion: t.maxVersion } : {}),
    ...(t.alpn.length > 0 ? { ALPNProtocols: t.alpn } : {}),
    ...(servername ? { servername } : {}),
  };
  try {
    tls.createSecureContext(connect);
  } catch (e) {
    throw configError(say('tls.badOptions', { detail: detailOf(e) }), e);
  }
  return { connect, servername, verifyName: t.servername || host };
}

/**
 * A server's TLS options: its certificate (files, PFX or the generated one) and the CA for client
 * certificates, checked by building a secure context once (tls.Server builds its own from them).
 */
export async function loadServerContext(t: TlsServerOptions, dataDir: string | undefined): Promise<tls.SecureContextOptions> {
  let own: OwnCert | undefined;
  if (t.generated) {
    const g = await ensureMachineCert(dataDir, false);
    own = await loadOwnCert({ cert: g.certPath, key: g.keyPath });
  } else {
    own = await loadOwnCert(t);
  }
  const ca = t.requestCert ? await loadCa(t.ca) : undefined;
  const options: tls.SecureContextOptions = {
    ...own,
    ...(ca ? { ca } : {}),
    ...(t.minVersion ? { minVersion: t.minVersion } : {}),
    ...(t.maxVersion ? { maxVersion: t.maxVersion } : {}),
  };
  try {
    tls.createSecureContext(options);
    return options;
  } catch (e) {
    throw configError(say('tls.badOptions', { detail: detailOf(e) }), e);
  }
}

/**
 * An SSLKEYLOGFILE writer for one session: `<dataDir>/tls/keylog-<session>.txt`, 0600.
 * Lines are appended as handshakes produce them; the first failure is reported once.
 */
export class KeyLog {
  readonly path: string;
  private failed = false;
  constructor(dataDir: string | undefined, sessionId: string, private readonly onError: (err: WbError) => void) {
    this.path = join(tlsDir(dataDir), `keylog-${sessionId.replace(/[^\w.-]/g, '_')}.txt`);
  }
  write(line: Buffer): void {
    if (this.failed) return;
    appendFile(this.path, line, { mode: 0o600 }).catch((e: unknown) => {
      if (this.failed) return;
      this.failed = true;
      this.onError(new WbError('WRITE_FAILED', say('tls.keyLogFailed', { path: this.path, detail: detailOf(e) })));
    });
  }
}
