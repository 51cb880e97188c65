/**
 * "Generate a certificate for this machine": a self-signed certificate for a
 * TLS server session, in `<dataDir>/tls/` (folder 0700, files 0600, as
 * electron/store/private.ts keeps all data at rest). SANs: localhost, this
 * host's name, 127.0.0.1, ::1 and every interface address (not link-local
 * IPv6, which a SAN cannot carry with its zone). ECDSA P-256, SHA-256,
 * valid for 825 days. X.509 is built with @peculiar/x509 (docs/decisions.md),
 * the key pair with Node's WebCrypto.
 */
import { X509Certificate, createPrivateKey, webcrypto } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { hostname, networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WbError } from '../../shared/protocol/errors';
import { say } from '../../shared/protocol/reason-format';
import type { GeneratedCert } from '../../shared/protocol/tls';
import { sanNames, splitSans } from './tls-info';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
const VALID_DAYS = 825;
/** an existing certificate closer than this to its end is made again */
const RENEW_BEFORE_MS = 30 * 86_400_000;

/** `<dataDir>/tls`, created 0700 (a temp folder when the engine runs without a data folder). */
export function tlsDir(dataDir: string | undefined): string {
  const dir = join(dataDir ?? join(tmpdir(), `wirebench-${process.pid}`), 'tls');
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  if (process.platform !== 'win32') chmodSync(dir, DIR_MODE);
  return dir;
}

/** The names the certificate should carry now. */
export function machineNames(): { dns: string[]; ips: string[] } {
  const dns = ['localhost'];
  const host = hostname().trim();
  if (host && host !== 'localhost' && /^[A-Za-z0-9.-]+$/.test(host)) dns.push(host);
  const ips = ['127.0.0.1', '::1'];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv6' && /^fe80:/i.test(a.address)) continue;
      if (!ips.includes(a.address)) ips.push(a.address);
    }
  }
  return { dns, ips };
}

/** Node prints IPv6 SANs in full ("0:0:0:0:0:0:0:1"): compare addresses in one form. */
function normalIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip;
  }
}

function describe(pem: string, certPath: string, keyPath: string, created: boolean): GeneratedCert {
  const c = new X509Certificate(pem);
  return {
    certPath,
    keyPath,
    fingerprint256: c.fingerprint256,
    sans: splitSans(c.subjectAltName),
    validFrom: new Date(Date.parse(c.validFrom)).toISOString(),
    validTo: new Date(Date.parse(c.validTo)).toISOString(),
    created,
  };
}

async function writePrivate(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: FILE_MODE });
  if (process.platform !== 'win32') await chmod(tmp, FILE_MODE);
  await rename(tmp, path);
}

async function existing(certPath: string, keyPath: string): Promise<GeneratedCert | undefined> {
  try {
    const [pem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath)]);
    const info = describe(pem, certPath, keyPath, false);
    if (Date.parse(info.validTo) - Date.now() < RENEW_BEFORE_MS) return undefined;
    const have = new Set(sanNames(info.sans).map(normalIp));
    const { dns, ips } = machineNames();
    if (![...dns, ...ips].every((n) => have.has(normalIp(n)))) return undefined;
    return info;
  } catch {
    return undefined;
  }
}

/** The `@peculiar/x509` module, loaded on first use (it needs the reflect-metadata polyfill before it). */
async function x509(): Promise<typeof import('@peculiar/x509')> {
  await import('reflect-metadata');
  const mod = await import('@peculiar/x509');
  mod.cryptoProvider.set(webcrypto as unknown as Parameters<typeof mod.cryptoProvider.set>[0]);
  return mod;
}

/**
 * The machine certificate: the one in the data folder while it is valid for 30 more days and
 * names every current address (and `renew` is false), else a new one.
 */
export async function ensureMachineCert(dataDir: string | undefined, renew: boolean): Promise<GeneratedCert> {
  let dir = dataDir ?? tmpdir();
  try {
    dir = tlsDir(dataDir);
    const certPath = join(dir, 'machine-cert.pem');
    const keyPath = join(dir, 'machine-key.pem');
    if (!renew) {
      const kept = await existing(certPath, keyPath);
      if (kept) return kept;
    }
    const lib = await x509();
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const { dns, ips } = machineNames();
    const notBefore = new Date(Date.now() - 60_000);
    const cert = await lib.X509CertificateGenerator.createSelfSigned({
      serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
      name: `CN=Wirebench ${dns[1] ?? 'localhost'}, O=Wirebench`,
      notBefore,
      notAfter: new Date(notBefore.getTime() + VALID_DAYS * 86_400_000),
      signingAlgorithm: alg,
      keys,
      extensions: [
        new lib.BasicConstraintsExtension(true, undefined, true),
        new lib.KeyUsagesExtension(lib.KeyUsageFlags.digitalSignature | lib.KeyUsageFlags.keyCertSign, true),
        new lib.ExtendedKeyUsageExtension([lib.ExtendedKeyUsage.serverAuth, lib.ExtendedKeyUsage.clientAuth]),
        await lib.SubjectKeyIdentifierExtension.create(keys.publicKey),
        new lib.SubjectAlternativeNameExtension([...dns.map((value) => ({ type: 'dns' as const, value })), ...ips.map((value) => ({ type: 'ip' as const, value }))]),
      ],
    });
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
    const keyPem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }) as string;
    const certPem = cert.toString('pem') + '\n';
    await writePrivate(keyPath, keyPem);
    await writePrivate(certPath, certPem);
    return describe(certPem, certPath, keyPath, true);
  } catch (e) {
    if (e instanceof WbError) throw e;
    throw new WbError('WRITE_FAILED', say('tls.generateFailed', { path: dir, detail: e instanceof Error ? e.message : String(e) }));
  }
}
