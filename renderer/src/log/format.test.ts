import { describe, expect, it } from 'vitest';
import { dirLabel, formatEndpoint, formatTime, hexPreview, visibleText } from './format';

describe('format', () => {
  it('formats local time to the millisecond', () => {
    const ts = new Date(2024, 0, 2, 3, 4, 5, 7).getTime();
    expect(formatTime(ts)).toBe('03:04:05.007');
    expect(formatTime(new Date(2024, 0, 2, 23, 59, 59, 999).getTime())).toBe('23:59:59.999');
  });

  it('formats endpoints with brackets for IPv6', () => {
    expect(formatEndpoint({ address: '1.2.3.4', port: 80, family: 'IPv4' })).toBe('1.2.3.4:80');
    expect(formatEndpoint({ address: '::1', port: 80, family: 'IPv6' })).toBe('[::1]:80');
    expect(formatEndpoint(undefined)).toBe('');
  });

  it('makes control characters visible', () => {
    expect(visibleText('OK\r\n')).toBe('OK\\r\\n');
    expect(visibleText('a\tb\0')).toBe('a\\tb\\0');
    expect(visibleText('x\u007f\u001b')).toBe('x\\x7F\\x1B');
    expect(visibleText('\u202Eevil')).toBe('\\u202Eevil');
    expect(visibleText('你好')).toBe('你好');
    expect(visibleText('abcdef', 3)).toBe('abc…');
  });

  it('previews hex and truncates long payloads', () => {
    expect(hexPreview(Uint8Array.of(0x48, 0x69))).toBe('48 69');
    expect(hexPreview(new Uint8Array(5), 2)).toBe('00 00 …');
    expect(hexPreview(undefined)).toBe('');
  });

  it('labels directions', () => {
    expect(dirLabel('rx')).toBe('RX');
    expect(dirLabel('tx')).toBe('TX');
  });
});
