import { describe, expect, it } from 'vitest';
import { formatByteSize, formatCount, formatEndpoint, formatHostPort, formatSeconds } from './format';

describe('formatHostPort / formatEndpoint', () => {
  it('brackets IPv6 hosts once, leaves IPv4 and names alone', () => {
    expect(formatHostPort('127.0.0.1', 80)).toBe('127.0.0.1:80');
    expect(formatHostPort('::1', 80)).toBe('[::1]:80');
    expect(formatHostPort('[::1]', 80)).toBe('[::1]:80');
    expect(formatHostPort('fe80::1%eth0', 5)).toBe('[fe80::1%eth0]:5');
    expect(formatHostPort('device.local', '502')).toBe('device.local:502');
    expect(formatHostPort('::1')).toBe('::1');
  });
  it('uses the address, not the family it claims', () => {
    expect(formatEndpoint({ address: '::ffff:10.0.0.1', port: 9, family: 'IPv4' })).toBe('[::ffff:10.0.0.1]:9');
    expect(formatEndpoint({ address: '10.0.0.1', port: 9, family: 'IPv4' })).toBe('10.0.0.1:9');
    expect(formatEndpoint(undefined)).toBe('');
  });
});

describe('formatSeconds / formatByteSize', () => {
  it('says durations in seconds with at most two decimals', () => {
    expect([5000, 500, 1250, 1].map(formatSeconds)).toEqual(['5 s', '0.5 s', '1.25 s', '0 s']);
  });
  it('says sizes the same way at every scale (300 MiB is "300 MiB", never "300.0 MiB")', () => {
    expect(formatByteSize(0)).toBe('0 B');
    expect(formatByteSize(1023)).toBe('1023 B');
    expect(formatByteSize(1536)).toBe('1.5 KiB');
    expect(formatByteSize(300 * 1024 ** 2)).toBe('300 MiB');
    expect(formatByteSize(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatByteSize(Number.NaN)).toBe('0 B');
  });
});

describe('formatCount', () => {
  it('groups by three with commas, whatever the runtime locale', () => {
    expect([0, 999, 1000, 1234567].map(formatCount)).toEqual(['0', '999', '1,000', '1,234,567']);
  });
});
