/**
 * TLS failures in the user's words: why a certificate did not verify (from
 * OpenSSL's verify code and the chain), which alert ended a handshake, and
 * the two mix-ups of plain TCP and TLS on one port.
 */
import { WbError } from '../../shared/protocol/errors';
import { formatSeconds } from '../../shared/protocol/format';
import { say, type Reason } from '../../shared/protocol/reason-format';
import type { TlsCertInfo } from '../../shared/protocol/tls';
import { sanNames, shortName } from './tls-info';

/** "2030-01-31T12:00:00.000Z" → "2030-01-31 12:00 UTC" */
export const readableDate = (iso: string): string => (/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso);

/**
 * Why a chain did not verify. `code` is OpenSSL's verify code or Node's
 * ERR_TLS_CERT_ALTNAME_INVALID; `host` the name the certificate had to match.
 */
export function verifyReason(code: string | undefined, chain: TlsCertInfo[], host: string | undefined): Reason {
  const leaf = chain[0];
  if (!leaf) return say('tls.verify.noCert');
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return say('tls.verify.selfSigned', { subject: shortName(leaf.subject) });
    case 'SELF_SIGNED_CERT_IN_CHAIN': {
      const root = chain[chain.length - 1] ?? leaf;
      return say('tls.verify.selfSignedInChain', { subject: shortName(root.subject) });
    }
    case 'CERT_HAS_EXPIRED': {
      const dead = chain.find((c) => c.expired) ?? leaf;
      return say('tls.verify.expired', { date: readableDate(dead.validTo) });
    }
    case 'CERT_NOT_YET_VALID':
      return say('tls.verify.notYetValid', { date: readableDate(leaf.validFrom) });
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'HOSTNAME_MISMATCH': {
      const names = sanNames(leaf.sans);
      return say('tls.verify.nameMismatch', { names: (names.length > 0 ? names : [shortName(leaf.subject)]).join(', '), host: host ?? '?' });
    }
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY': {
      const top = chain[chain.length - 1] ?? leaf;
      return say('tls.verify.unknownCa', { issuer: shortName(top.issuer) });
    }
    default:
      return say('tls.verify.other', { code: code ?? 'unknown' });
  }
}

interface TlsErrLike {
  code?: unknown;
  reason?: unknown;
  message?: unknown;
}

const errCode = (e: unknown): string => (typeof e === 'object' && e !== null && typeof (e as TlsErrLike).code === 'string' ? ((e as TlsErrLike).code as string) : '');
const errDetail = (e: unknown): string => {
  if (typeof e !== 'object' || e === null) return String(e);
  const x = e as TlsErrLike;
  if (typeof x.reason === 'string' && x.reason) return x.reason;
  return typeof x.message === 'string' ? x.message : String(e);
};

/** The alert a peer sent, from OpenSSL's code: ERR_SSL_TLSV1_ALERT_UNKNOWN_CA → "unknown ca". */
export function alertName(code: string): string | undefined {
  const m = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_(.+)$/.exec(code);
  return m?.[1]?.toLowerCase().replace(/_/g, ' ');
}

/** Failures of our own side that OpenSSL answers with an alert it sends: the alert's name. */
const SENT_ALERTS: Record<string, string> = {
  ERR_SSL_NO_SHARED_CIPHER: 'handshake failure',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'protocol version',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'protocol version',
  ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM: 'handshake failure',
  ERR_SSL_CERTIFICATE_VERIFY_FAILED: 'bad certificate',
  ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE: 'certificate required',
  ERR_SSL_NO_APPLICATION_PROTOCOL: 'no application protocol',
};

/** The other side answered with something that is not a TLS record: it speaks in clear. */
const NOT_TLS = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_UNKNOWN_PROTOCOL',
  'ERR_SSL_RECORD_LAYER_FAILURE',
  'ERR_SSL_HTTP_REQUEST',
  'ERR_SSL_HTTPS_PROXY_REQUEST',
]);

/** A handshake error (from a TLSSocket's 'error' or a server's 'tlsClientError') as a WbError. */
export function handshakeError(e: unknown, addr: string): WbError {
  if (e instanceof WbError) return e;
  const code = errCode(e);
  const detail = errDetail(e);
  const sys = code ? { sysCode: code } : undefined;
  const alert = alertName(code);
  if (alert) return new WbError('TLS_HANDSHAKE', say('tls.alert', { addr, alert }), sys);
  const sent = SENT_ALERTS[code];
  if (sent) return new WbError('TLS_HANDSHAKE', say('tls.alertSent', { addr, alert: sent, detail }), sys);
  if (NOT_TLS.has(code)) return new WbError('TLS_HANDSHAKE', say('tls.plainServer', { addr, detail }), sys);
  if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT') return new WbError('TIMEOUT', say('tls.handshakeTimeoutServer', { addr, time: '?' }), sys);
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket disconnected|socket hang up/i.test(detail))
    return new WbError('TLS_HANDSHAKE', say('tls.closedInHandshake', { addr }), sys);
  return new WbError('TLS_HANDSHAKE', say('tls.handshakeFailed', { addr, detail }), sys);
}

export const handshakeTimeout = (addr: string, ms: number, server: boolean): WbError =>
  new WbError(
    'TIMEOUT',
    server ? say('tls.handshakeTimeoutServer', { addr, time: formatSeconds(ms) }) : say('tls.handshakeTimeout', { addr, time: formatSeconds(ms) }),
    { sysCode: 'ERR_TLS_HANDSHAKE_TIMEOUT' },
  );

/** The first byte of every TLS handshake record. */
export const TLS_HANDSHAKE_RECORD = 0x16;
/** How many first bytes a report of a plain client shows. */
const SHOWN_BYTES = 16;

/** A plain TCP client on a TLS server: its first bytes in hex and as text ("47 45 54 20 2F" "GET /"). */
export function plainClientError(first: Uint8Array, addr: string): WbError {
  const bytes = first.subarray(0, SHOWN_BYTES);
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ') + (first.length > SHOWN_BYTES ? ' …' : '');
  const text = [...bytes].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 0x0d ? '\\r' : b === 0x0a ? '\\n' : '.')).join('');
  return new WbError('TLS_HANDSHAKE', say('tls.plainClient', { addr, hex, text }));
}
