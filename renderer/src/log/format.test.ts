import { describe, expect, it } from 'vitest';
import { dirLabel, formatDate, formatDelta, formatEndpoint, formatTime, hexPreview, isolatedName, visibleName, visibleText } from './format';

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

  it('shows bidi marks, zero-width characters, the BOM and Unicode line separators as escapes', () => {
    expect(visibleText('a\u061Cb')).toBe('a\\u061Cb');
    expect(visibleText('a\u200Bb')).toBe('a\\u200Bb');
    expect(visibleText('\uFEFFhello')).toBe('\\uFEFFhello');
    expect(visibleText('1\u20282\u20293')).toBe('1\\u20282\\u20293');
    expect(visibleText('\u202A\u202B\u202C\u202D\u202E')).toBe('\\u202A\\u202B\\u202C\\u202D\\u202E');
    expect(visibleText('\u2066\u2067\u2068\u2069')).toBe('\\u2066\\u2067\\u2068\\u2069');
    expect(visibleText('\u200E\u200F\u2060')).toBe('\\u200E\\u200F\\u2060');
    // joiners inside emoji and scripts that need them stay as they are
    expect(visibleText('👩\u200D💻 \u0645\u0631\u062D\u0628\u0627')).toBe('👩\u200D💻 \u0645\u0631\u062D\u0628\u0627');
  });

  it('breaks wrapped text after each \\n when asked, never after a final one', () => {
    expect(visibleText('a\r\nb\r\n', 512, true)).toBe('a\\r\\n\nb\\r\\n');
    expect(visibleText('a\nb', 512, false)).toBe('a\\nb');
  });

  it('neutralises names: bidi controls visible, isolated for plain text', () => {
    expect(visibleName('invoice\u202Efdp.exe')).toBe('invoice\\u202Efdp.exe');
    expect(visibleName('COM3 网关')).toBe('COM3 网关');
    expect(visibleName('a\nb')).toBe('a\\nb');
    expect(visibleName('x'.repeat(1000))).toBe('x'.repeat(1000)); // never cut
    expect(isolatedName('\u05E9\u05DC\u05D5\u05DD')).toBe('\u2068\u05E9\u05DC\u05D5\u05DD\u2069');
    expect(isolatedName('a\u2066b')).toBe('\u2068a\\u2066b\u2069');
  });

  it('formats the date and the time since the previous row', () => {
    expect(formatDate(new Date(2024, 0, 2, 3, 4, 5).getTime())).toBe('2024-01-02');
    expect(formatDelta(0)).toBe('+0.000');
    expect(formatDelta(12)).toBe('+0.012');
    expect(formatDelta(12_345)).toBe('+12.345');
    expect(formatDelta(62_345)).toBe('+1:02.345');
    expect(formatDelta(2 * 3_600_000 + 3 * 60_000 + 4_000)).toBe('+2:03:04');
    expect(formatDelta(-500)).toBe('-0.500');
    expect(formatDelta(0.4)).toBe('+0.000');
    expect(formatDelta(Number.NaN)).toBe('');
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
