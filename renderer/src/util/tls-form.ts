/**
 * The TLS part of the new-session dialog as plain data (TlsOptions.vue shows
 * it): what the user chose, what is wrong with it (as i18n keys under
 * `tls.err`), and the `tls` object of a session config. Also the kind label
 * and the "unverified" test the session list and header share.
 */
import { TLS_VERSIONS, type SessionConfigInput, type SessionInfo, type TlsInfo, type TlsVersion } from '../../../shared/protocol';

type ClientTls = NonNullable<Extract<SessionConfigInput, { kind: 'tcp-client' }>['tls']>;
type ServerTls = NonNullable<Extract<SessionConfigInput, { kind: 'tcp-server' }>['tls']>;

export type SniMode = 'host' | 'custom' | 'off';
export type CaMode = 'system' | 'file';
export type Identity = 'none' | 'pem' | 'pfx';
export type ServerSource = 'generated' | 'pem' | 'pfx';

export interface CertFiles {
  certPath: string;
  keyPath: string;
  pfxPath: string;
  passphrase: string;
}

export interface TlsForm {
  enabled: boolean;
  alpn: string;
  /** '' = the engine's default */
  minVersion: TlsVersion | '';
  maxVersion: TlsVersion | '';
  keyLog: boolean;
  client: CertFiles & { verify: boolean; sniMode: SniMode; sni: string; caMode: CaMode; caPath: string; identity: Identity };
  server: CertFiles & { source: ServerSource; requestCert: boolean; caPath: string };
}

const files = (): CertFiles => ({ certPath: '', keyPath: '', pfxPath: '', passphrase: '' });

export function defaultTlsForm(): TlsForm {
  return {
    enabled: false,
    alpn: '',
    minVersion: '',
    maxVersion: '',
    keyLog: false,
    client: { ...files(), verify: true, sniMode: 'host', sni: '', caMode: 'system', caPath: '', identity: 'none' },
    server: { ...files(), source: 'generated', requestCert: false, caPath: '' },
  };
}

/** "h2, http/1.1" or "h2 http/1.1" → ['h2', 'http/1.1'] */
export const parseAlpn = (text: string): string[] => text.split(/[\s,]+/).filter((p) => p !== '');

/** The field → the key (under `tls.err.`) of what is wrong with it, for the fields the kind shows. */
export type TlsProblems = Partial<Record<string, 'pathEmpty' | 'sniEmpty' | 'versionRange' | 'alpnBad'>>;

export function tlsProblems(f: TlsForm, kind: string): TlsProblems {
  if (!f.enabled || (kind !== 'tcp-client' && kind !== 'tcp-server')) return {};
  const p: TlsProblems = {};
  const need = (field: string, value: string) => {
    if (value.trim() === '') p[field] = 'pathEmpty';
  };
  const alpn = parseAlpn(f.alpn);
  if (alpn.length > 16 || alpn.some((a) => a.length > 255)) p['alpn'] = 'alpnBad';
  const order = (v: TlsVersion | '', dflt: number) => (v ? TLS_VERSIONS.indexOf(v) : dflt);
  if (order(f.minVersion, 0) > order(f.maxVersion, TLS_VERSIONS.length - 1)) p['versions'] = 'versionRange';
  const own = (c: CertFiles, mode: Identity | ServerSource) => {
    if (mode === 'pem') {
      need('certPath', c.certPath);
      need('keyPath', c.keyPath);
    } else if (mode === 'pfx') need('pfxPath', c.pfxPath);
  };
  if (kind === 'tcp-client') {
    const c = f.client;
    if (c.sniMode === 'custom' && c.sni.trim() === '') p['sni'] = 'sniEmpty';
    if (c.caMode === 'file') need('caPath', c.caPath);
    own(c, c.identity);
  } else own(f.server, f.server.source);
  return p;
}

const trimmed = (s: string) => s.trim();

/** The certificate fields of a config: PEM pair or PFX, with the passphrase when one was typed. */
function ownFields(c: CertFiles, mode: Identity | ServerSource): { cert?: string; key?: string; pfx?: string; passphrase?: string } {
  const pass = c.passphrase !== '' ? { passphrase: c.passphrase } : {};
  if (mode === 'pem') return { cert: trimmed(c.certPath), key: trimmed(c.keyPath), ...pass };
  if (mode === 'pfx') return { pfx: trimmed(c.pfxPath), ...pass };
  return {};
}

/** `{ tls: … }` to spread into a tcp-client / tcp-server config, or `{}` when TLS is off. */
export function tlsConfig(f: TlsForm, kind: 'tcp-client'): { tls?: ClientTls };
export function tlsConfig(f: TlsForm, kind: 'tcp-server'): { tls?: ServerTls };
export function tlsConfig(f: TlsForm, kind: 'tcp-client' | 'tcp-server'): { tls?: ClientTls | ServerTls } {
  if (!f.enabled) return {};
  const common = {
    alpn: parseAlpn(f.alpn),
    ...(f.minVersion ? { minVersion: f.minVersion } : {}),
    ...(f.maxVersion ? { maxVersion: f.maxVersion } : {}),
    keyLog: f.keyLog,
  };
  if (kind === 'tcp-client') {
    const c = f.client;
    const servername = c.sniMode === 'off' ? { servername: '' } : c.sniMode === 'custom' ? { servername: c.sni.trim() } : {};
    return {
      tls: {
        ...common,
        ...servername,
        ...(c.caMode === 'file' ? { ca: trimmed(c.caPath) } : {}),
        verify: c.verify,
        ...ownFields(c, c.identity),
      },
    };
  }
  const s = f.server;
  return {
    tls: {
      ...common,
      ...(s.source === 'generated' ? { generated: true } : ownFields(s, s.source)),
      requestCert: s.requestCert,
      ...(s.requestCert && s.caPath.trim() ? { ca: trimmed(s.caPath) } : {}),
    },
  };
}

/** The i18n key of a session's kind: "TLS client" when it runs TLS. */
export const kindKey = (s: Pick<SessionInfo, 'kind' | 'config'>): string =>
  'tls' in s.config && s.config.tls ? `tls.kind.${s.kind}` : `kind.${s.kind}`;

export const isTls = (s: Pick<SessionInfo, 'config'> | undefined): boolean => !!s && 'tls' in s.config && !!s.config.tls;

/** A TLS client whose certificate check is off, did not pass, or failed the last connect. */
export function isUnverified(s: Pick<SessionInfo, 'kind' | 'config' | 'statusLog'>, tls: TlsInfo | undefined): boolean {
  if (s.config.kind !== 'tcp-client' || !s.config.tls) return false;
  if (s.config.tls.verify === false) return true;
  if (tls) return !tls.verified;
  return verifyFailed(s);
}

/** The last attempt was refused because the certificate did not verify: "Retry without verifying" applies. */
export function verifyFailed(s: Pick<SessionInfo, 'kind' | 'config' | 'statusLog'>): boolean {
  if (s.config.kind !== 'tcp-client' || !s.config.tls || s.config.tls.verify === false) return false;
  return s.statusLog[s.statusLog.length - 1]?.code === 'TLS_VERIFY';
}

/** An ISO 8601 time as "2026-01-31 12:00 UTC" (the same in both languages). */
export const utcText = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};
