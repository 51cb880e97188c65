/**
 * TLS: the optional `tls` object of the `tcp-client` and `tcp-server` session
 * configs (so everything that works on TCP works over TLS unchanged), what a
 * session reports about a handshake (SessionInfo.tls, PeerInfo.tls), and the
 * `tls.generateCert` command.
 *
 * Files (CA, certificate, key, PFX) are paths on the machine running the
 * engine; they are read when the session starts, so a renewed certificate is
 * picked up by a restart.
 */
import { z } from 'zod';
import { command } from './command-def';
import type { Reason } from './reason-format';
import { reasonIssue, say } from './reason-format';

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

/** A certificate expiring within this many days is flagged (`expiresSoon`). */
export const TLS_EXPIRY_WARNING_DAYS = 30;

const filePath = z.string().trim().min(1).max(4096);
const alpnSchema = z.array(z.string().trim().min(1).max(255)).max(16).default([]);
const versionRange = {
  /** absent: Node's default (TLSv1.2) */
  minVersion: z.enum(TLS_VERSIONS).optional(),
  /** absent: the newest (TLSv1.3) */
  maxVersion: z.enum(TLS_VERSIONS).optional(),
};
const ownCert = {
  /** PEM certificate (chain) file */
  cert: filePath.optional(),
  /** PEM private key file (may be encrypted: `passphrase`) */
  key: filePath.optional(),
  /** PKCS#12 file holding certificate and key, instead of cert + key */
  pfx: filePath.optional(),
  /** for an encrypted key or a PFX */
  passphrase: z.string().max(1024).optional(),
};
const common = {
  ...versionRange,
  alpn: alpnSchema,
  /** how long the handshake may take once TCP is connected */
  handshakeTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  /** write the session keys in SSLKEYLOGFILE format to the data folder (for Wireshark); off by default */
  keyLog: z.boolean().default(false),
};

const versionOrder = (v: TlsVersion | undefined, dflt: number): number => (v ? TLS_VERSIONS.indexOf(v) : dflt);

function checkCommon(t: { cert?: string; key?: string; pfx?: string; minVersion?: TlsVersion; maxVersion?: TlsVersion }, ctx: z.RefinementCtx): void {
  if ((t.cert === undefined) !== (t.key === undefined))
    ctx.addIssue(reasonIssue(say('tls.schema.certAndKey'), [t.cert === undefined ? 'cert' : 'key']));
  if (t.pfx !== undefined && t.cert !== undefined)
    ctx.addIssue(reasonIssue(say('tls.schema.pfxOrPem'), ['pfx']));
  if (versionOrder(t.minVersion, 0) > versionOrder(t.maxVersion, 3))
    ctx.addIssue(reasonIssue(say('tls.schema.versionRange'), ['minVersion']));
}

export const tlsClientSchema = z
  .object({
    ...common,
    /**
     * SNI: absent = the session's host when it is a name (an IP address is never sent as SNI);
     * '' = send none; anything else is sent as it is and is the name the certificate must match.
     */
    servername: z.string().trim().max(253).optional(),
    /** CA certificates (PEM) to trust instead of the system store; absent = the system store */
    ca: filePath.optional(),
    /** check the server's certificate chain and name; off: connect anyway and show the session as unverified */
    verify: z.boolean().default(true),
    /** client certificate for mutual TLS */
    ...ownCert,
  })
  .strict()
  .superRefine(checkCommon);

export const tlsServerSchema = z
  .object({
    ...common,
    /**
     * Use the machine certificate of the data folder (made by `tls.generateCert`, or on first use),
     * instead of cert + key or pfx.
     */
    generated: z.boolean().default(false),
    ...ownCert,
    /** ask each client for a certificate (mutual TLS); a client without one is still accepted */
    requestCert: z.boolean().default(false),
    /** CA certificates (PEM) client certificates are verified against; absent = the system store */
    ca: filePath.optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    checkCommon(t, ctx);
    const sources = Number(t.generated) + Number(t.pfx !== undefined) + Number(t.cert !== undefined || t.key !== undefined);
    if (sources !== 1) ctx.addIssue(reasonIssue(say('tls.schema.serverCert'), ['cert']));
  });

export type TlsClientOptions = z.output<typeof tlsClientSchema>;
export type TlsServerOptions = z.output<typeof tlsServerSchema>;

/** One certificate of a chain, as a user reads it. */
export interface TlsCertInfo {
  /** e.g. "CN=localhost\nO=Example" as OpenSSL prints it, one attribute a line */
  subject: string;
  issuer: string;
  /** subject alternative names: "DNS:localhost", "IP Address:127.0.0.1" */
  sans: string[];
  /** ISO 8601 */
  validFrom: string;
  validTo: string;
  /** 'rsa', 'ec', 'ed25519', … */
  keyType: string;
  /** RSA/DSA modulus bits, or the EC curve's size */
  keyBits?: number;
  /** EC curve name (prime256v1…) */
  curve?: string;
  /** SHA-256 of the DER, "AB:CD:…" */
  fingerprint256: string;
  serialNumber: string;
  selfSigned: boolean;
  /** notAfter has passed */
  expired: boolean;
  /** notAfter is within TLS_EXPIRY_WARNING_DAYS */
  expiresSoon: boolean;
}

/** What a TLS handshake settled: SessionInfo.tls (client) and PeerInfo.tls (each server peer). */
export interface TlsInfo {
  /** 'TLSv1.3' */
  version: string;
  /** OpenSSL/IANA name, e.g. 'TLS_AES_256_GCM_SHA384' */
  cipher: string;
  /** the ALPN protocol agreed on; absent: none */
  alpn?: string;
  /** client: the SNI name sent; server: the SNI name the client asked for; absent: none */
  servername?: string;
  /** whether the peer's certificate was checked (client: `verify`; server: `requestCert`) */
  verifyEnabled: boolean;
  /** the peer's certificate chain verified (and, client side, matched the name) */
  verified: boolean;
  /** why it did not verify, in words */
  verifyError?: Reason;
  /** OpenSSL's or Node's code for that (DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID…) */
  verifyCode?: string;
  /** the peer's certificate first, then its issuers as the peer sent them; empty when it sent none */
  chain: TlsCertInfo[];
  /** a certificate of the chain expires within TLS_EXPIRY_WARNING_DAYS */
  expiresSoon: boolean;
  /** where this connection's keys are logged (SSLKEYLOGFILE format), when `keyLog` is on */
  keyLogPath?: string;
}

/** What `tls.generateCert` made (or found). */
export interface GeneratedCert {
  /** PEM files in the data folder (0600) */
  certPath: string;
  keyPath: string;
  fingerprint256: string;
  sans: string[];
  validFrom: string;
  validTo: string;
  /** false: an existing certificate that still covers this machine's addresses was kept */
  created: boolean;
}

export const tlsCommands = {
  /**
   * Make a self-signed certificate for this machine (SANs: localhost, 127.0.0.1, ::1 and every interface
   * address) in the data folder; an existing one is kept while it is valid and covers the addresses, unless `renew`.
   */
  'tls.generateCert': command(z.object({ renew: z.boolean().default(false) }).strict()).returns<GeneratedCert>(),
} as const;
