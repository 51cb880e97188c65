import { describe, expect, it } from 'vitest';
import { sessionConfigSchema } from '../../../shared/protocol/schemas';
import type { SessionInfo } from '../../../shared/protocol';
import { defaultTlsForm, isUnverified, kindKey, parseAlpn, tlsConfig, tlsProblems, utcText, verifyFailed } from './tls-form';

const on = () => ({ ...defaultTlsForm(), enabled: true });

describe('tls-form', () => {
  it('TLS off adds nothing and has no problems', () => {
    expect(tlsConfig(defaultTlsForm(), 'tcp-client')).toEqual({});
    expect(tlsProblems({ ...defaultTlsForm(), alpn: ',,,' }, 'tcp-client')).toEqual({});
  });

  it('a default client verifies with the system store and the host as SNI; the schema takes it', () => {
    const c = tlsConfig(on(), 'tcp-client');
    expect(c).toEqual({ tls: { alpn: [], keyLog: false, verify: true } });
    expect(() => sessionConfigSchema.parse({ kind: 'tcp-client', host: 'example.com', port: 443, ...c })).not.toThrow();
  });

  it('client: custom or no SNI, CA file, PFX with passphrase, ALPN and versions', () => {
    const f = on();
    f.client.sniMode = 'off';
    f.client.caMode = 'file';
    f.client.caPath = ' /etc/ca.pem ';
    f.client.identity = 'pfx';
    f.client.pfxPath = '/id.pfx';
    f.client.passphrase = 'secret';
    f.alpn = 'h2, http/1.1';
    f.minVersion = 'TLSv1.2';
    f.maxVersion = 'TLSv1.3';
    const c = tlsConfig(f, 'tcp-client');
    expect(c.tls).toEqual({ alpn: ['h2', 'http/1.1'], minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', keyLog: false, servername: '', ca: '/etc/ca.pem', verify: true, pfx: '/id.pfx', passphrase: 'secret' });
    expect(() => sessionConfigSchema.parse({ kind: 'tcp-client', host: 'h', port: 1, ...c })).not.toThrow();
    f.client.sniMode = 'custom';
    f.client.sni = 'device.example';
    expect(tlsConfig(f, 'tcp-client').tls).toMatchObject({ servername: 'device.example' });
  });

  it('names each missing or contradictory field', () => {
    const f = on();
    f.client.sniMode = 'custom';
    f.client.caMode = 'file';
    f.client.identity = 'pem';
    f.minVersion = 'TLSv1.3';
    f.maxVersion = 'TLSv1.2';
    f.alpn = Array.from({ length: 17 }, (_, i) => `p${i}`).join(',');
    expect(tlsProblems(f, 'tcp-client')).toEqual({ sni: 'sniEmpty', caPath: 'pathEmpty', certPath: 'pathEmpty', keyPath: 'pathEmpty', versions: 'versionRange', alpn: 'alpnBad' });
    const s = on();
    s.server.source = 'pfx';
    expect(tlsProblems(s, 'tcp-server')).toEqual({ pfxPath: 'pathEmpty' });
    expect(tlsProblems(s, 'udp')).toEqual({});
  });

  it('server: the generated certificate by default; PEM files; client certificates with a CA', () => {
    const f = on();
    const g = tlsConfig(f, 'tcp-server');
    expect(g.tls).toEqual({ alpn: [], keyLog: false, generated: true, requestCert: false });
    expect(() => sessionConfigSchema.parse({ kind: 'tcp-server', host: '0.0.0.0', port: 0, ...g })).not.toThrow();
    f.server.source = 'pem';
    f.server.certPath = '/c.pem';
    f.server.keyPath = '/k.pem';
    f.server.requestCert = true;
    f.server.caPath = '/ca.pem';
    const p = tlsConfig(f, 'tcp-server');
    expect(p.tls).toEqual({ alpn: [], keyLog: false, cert: '/c.pem', key: '/k.pem', requestCert: true, ca: '/ca.pem' });
    expect(() => sessionConfigSchema.parse({ kind: 'tcp-server', host: '0.0.0.0', port: 0, ...p })).not.toThrow();
  });

  it('kind label, unverified and retry', () => {
    const cfg = sessionConfigSchema.parse({ kind: 'tcp-client', host: 'h', port: 1, tls: {} });
    const s = { kind: 'tcp-client', config: cfg, statusLog: [{ state: 'error', reason: 'x', ts: 1, code: 'TLS_VERIFY' }] } as unknown as SessionInfo;
    expect(kindKey(s)).toBe('tls.kind.tcp-client');
    expect(kindKey({ ...s, config: sessionConfigSchema.parse({ kind: 'tcp-client', host: 'h', port: 1 }) })).toBe('kind.tcp-client');
    expect(verifyFailed(s)).toBe(true);
    expect(isUnverified(s, undefined)).toBe(true);
    const off = { ...s, config: { ...cfg, tls: { ...(cfg as { tls: object }).tls, verify: false } }, statusLog: [] } as unknown as SessionInfo;
    expect(verifyFailed(off)).toBe(false);
    expect(isUnverified(off, undefined)).toBe(true);
    expect(isUnverified({ ...s, statusLog: [] }, undefined)).toBe(false);
  });

  it('helpers', () => {
    expect(parseAlpn(' h2  http/1.1,x ')).toEqual(['h2', 'http/1.1', 'x']);
    expect(utcText('2026-01-31T12:00:00.000Z')).toBe('2026-01-31 12:00 UTC');
  });
});
