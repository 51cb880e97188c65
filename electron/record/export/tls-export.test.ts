import { describe, expect, it } from 'vitest';
import { headerText } from './header';
import { PcapngEncoder, TLS_PCAPNG_COMMENT } from './pcapng';

const facts = { session: 's', transport: 'tcp' as const, messages: 2, dropped: 0, madeAt: '2030-01-01 00:00:00', timeZone: 'utc' as const };

describe('exports of TLS sessions say the data is decrypted', () => {
  it('txt header, both languages', () => {
    expect(headerText('text', { ...facts, tls: true })).toContain('# TLS session: these are the DECRYPTED application data');
    expect(headerText('hexdump', { ...facts, tls: true }, 'zh-CN')).toContain('# TLS 会话：这里是在 TLS 内部收发的【已解密】应用数据');
    expect(headerText('text', facts)).not.toContain('TLS');
  });

  it('pcapng section comment', () => {
    expect(new PcapngEncoder(true).header().toString('utf8')).toContain(TLS_PCAPNG_COMMENT);
    expect(new PcapngEncoder().header().toString('utf8')).not.toContain('TLS session');
  });
});
