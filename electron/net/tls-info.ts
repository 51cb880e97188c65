/**
 * What a finished handshake tells a user: version, cipher, ALPN, SNI and the
 * peer's certificate chain (subject, issuer, SANs, validity, key, SHA-256
 * fingerprint), from Node's TLSSocket and X509Certificate.
 */
import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { Reason } from '../../shared/protocol/reason-format';
import { TLS_EXPIRY_WARNING_DAYS, type TlsCertInfo, type TlsInfo } from '../../shared/protocol/tls';

const DAY_MS = 86_400_000;
const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp256k1: 256, secp384r1: 384, secp521r1: 521, 'P-256': 256, 'P-384': 384, 'P-521': 521 };
const EDWARDS_BITS: Record<string, number> = { ed25519: 256, ed448: 456 };

/** OpenSSL's date ("Jan  1 00:00:00 2030 GMT") as ISO 8601; the text as it is when it does not parse. */
function isoDate(openssl: string): string {
  const t = Date.parse(openssl);
  return Number.isFinite(t) ? new Date(t).toISOString() : openssl;
}

/** "DNS:localhost, IP Address:127.0.0.1" → ['DNS:localhost', 'IP Address:127.0.0.1'] */
export function splitSans(s: string | undefined): string[] {
  if (!s) return [];
  return s.split(/,\s*/).map((x) => x.trim()).filter(Boolean);
}

/** The names of SAN entries without their kind: ['localhost', '127.0.0.1']. */
export const sanNames = (sans: string[]): string[] => sans.map((s) => s.replace(/^[^:]+:/, ''));

/** One certificate (DER or PEM) as the UI shows it, judged against `now`. */
export function certInfo(raw: Buffer | string, now: number = Date.now()): TlsCertInfo {
  const c = new X509Certificate(raw);
  const validTo = isoDate(c.validTo);
  const to = Date.parse(validTo);
  const pk = c.publicKey;
  const keyType = pk.asymmetricKeyType ?? 'unknown';
  const d = pk.asymmetricKeyDetails ?? {};
  const keyBits = d.modulusLength ?? (d.namedCurve ? CURVE_BITS[d.namedCurve] : EDWARDS_BITS[keyType]);
  let selfSigned = false;
  try {
    selfSigned = c.subject === c.issuer && c.checkIssued(c) && c.verify(pk);
  } catch {
    selfSigned = false;
  }
  return {
    subject: c.subject,
    issuer: c.issuer,
    sans: splitSans(c.subjectAltName),
    validFrom: isoDate(c.validFrom),
    validTo,
    keyType,
    ...(keyBits !== undefined ? { keyBits } : {}),
    ...(d.namedCurve ? { curve: d.namedCurve } : {}),
    fingerprint256: c.fingerprint256,
    serialNumber: c.serialNumber,
    selfSigned,
    expired: Number.isFinite(to) && to < now,
    expiresSoon: Number.isFinite(to) && to >= now && to - now < TLS_EXPIRY_WARNING_DAYS * DAY_MS,
  };
}

/** The peer's chain, its own certificate first, each certificate once. */
export function peerChain(socket: TLSSocket, now: number = Date.now()): TlsCertInfo[] {
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const out: TlsCertInfo[] = [];
  const seen = new Set<string>();
  while (cert && cert.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    try {
      out.push(certInfo(cert.raw, now));
    } catch {
      break;
    }
    cert = cert.issuerCertificate;
  }
  return out;
}

/** A subject for a sentence: its CN, or the whole subject on one line. */
export function shortName(subjectOrIssuer: string): string {
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(subjectOrIssuer);
  return cn?.[1] ?? subjectOrIssuer.replace(/\n/g, ', ');
}

export interface HandshakeFacts {
  verifyEnabled: boolean;
  verified: boolean;
  verifyError?: Reason;
  verifyCode?: string;
  servername?: string;
  keyLogPath?: string;
}

/** The TlsInfo of a socket whose handshake is done. */
export function tlsInfoOf(socket: TLSSocket, facts: HandshakeFacts, chain: TlsCertInfo[] = peerChain(socket)): TlsInfo {
  const alpn = socket.alpnProtocol;
  return {
    version: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher()?.standardName ?? socket.getCipher()?.name ?? 'unknown',
    ...(typeof alpn === 'string' && alpn ? { alpn } : {}),
    ...(facts.servername ? { servername: facts.servername } : {}),
    verifyEnabled: facts.verifyEnabled,
    verified: facts.verified,
    ...(facts.verifyError ? { verifyError: facts.verifyError } : {}),
    ...(facts.verifyCode ? { verifyCode: facts.verifyCode } : {}),
    chain,
    expiresSoon: chain.some((c) => c.expiresSoon),
    ...(facts.keyLogPath ? { keyLogPath: facts.keyLogPath } : {}),
  };
}
