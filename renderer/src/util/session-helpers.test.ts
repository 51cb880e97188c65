import { describe, expect, it } from 'vitest';
import { formatHostPort } from '../../../shared/protocol';
import type { NetInterfaceAddress } from '../../../shared/protocol';
import { DelimiterError, checkHost, checkPort, isMulticastGroup, parseDelimiter, reachableAddresses, toEscaped, toHex } from './session-helpers';

const iface = (name: string, address: string, family: 'IPv4' | 'IPv6', internal = false, scopeId?: number): NetInterfaceAddress => ({
  name, address, family, internal, netmask: '', cidr: null, ...(scopeId ? { scopeId } : {}),
});

describe('session helpers', () => {
  it('checks ports: digits only, 1–65535 for a remote, 0–65535 for a bind port', () => {
    expect(checkPort('8080', 1)).toEqual({ port: 8080 });
    expect(checkPort(' ', 1)).toEqual({ problem: 'empty' });
    expect(checkPort('80a', 1)).toEqual({ problem: 'digits' });
    expect(checkPort('-1', 0)).toEqual({ problem: 'digits' });
    expect(checkPort('0', 1)).toEqual({ problem: 'range' });
    expect(checkPort('0', 0)).toEqual({ port: 0 });
    expect(checkPort('65536', 0)).toEqual({ problem: 'range' });
  });

  it('checks hosts', () => {
    expect(checkHost('')).toBe('empty');
    expect(checkHost('a b')).toBe('bad');
    expect(checkHost('example.com')).toBeNull();
  });

  it('lists the addresses a server can be reached at', () => {
    const list = [iface('lo', '127.0.0.1', 'IPv4', true), iface('eth0', '192.168.1.5', 'IPv4'), iface('eth0', 'fe80::1', 'IPv6', false, 2)];
    expect(reachableAddresses(list, '0.0.0.0')).toEqual(['192.168.1.5', '127.0.0.1']);
    expect(reachableAddresses(list, '::')).toEqual(['192.168.1.5', 'fe80::1%eth0', '127.0.0.1']);
    expect(reachableAddresses(list, '10.0.0.1')).toEqual(['10.0.0.1']);
    expect(formatHostPort('::1', 80)).toBe('[::1]:80');
  });

  it('parses delimiters as escaped text or hex, and prints them back', () => {
    expect([...parseDelimiter('\\r\\n', 'text')]).toEqual([13, 10]);
    expect([...parseDelimiter('END\\x00', 'text')]).toEqual([69, 78, 68, 0]);
    expect([...parseDelimiter('0d 0A', 'hex')]).toEqual([13, 10]);
    expect([...parseDelimiter('0x0D,0x0A', 'hex')]).toEqual([13, 10]);
    // the send box's grammar and errors: the position of the bad digit or escape
    expect(() => parseDelimiter('0D0', 'hex')).toThrow(expect.objectContaining({ code: 'BAD_HEX', position: 3 }));
    expect(() => parseDelimiter('0D 0G', 'hex')).toThrow(expect.objectContaining({ code: 'BAD_HEX', position: 5, char: 'G' }));
    expect(() => parseDelimiter('a\\q', 'text')).toThrow(expect.objectContaining({ code: 'BAD_ESCAPE', position: 2 }));
    expect([...parseDelimiter('\\u00FF', 'text')]).toEqual([0xc3, 0xbf]);
    expect(() => parseDelimiter('', 'text')).toThrow(DelimiterError);
    expect(() => parseDelimiter('00'.repeat(65), 'hex')).toThrow(DelimiterError);
    expect(toHex(new Uint8Array([13, 10]))).toBe('0D 0A');
    expect(toEscaped(new Uint8Array([13, 10, 65, 0x1b]))).toBe('\\r\\nA\\x1B');
    expect([...parseDelimiter(toEscaped(new Uint8Array([0x7f, 92, 9])), 'text')]).toEqual([0x7f, 92, 9]);
  });

  it('recognises multicast groups before asking the engine to join', () => {
    for (const g of ['239.1.2.3', '224.0.0.251', ' 239.255.255.250 ', 'ff02::1', 'FF05::1:3', 'ff02::fb%lo']) expect(isMulticastGroup(g)).toBe(true);
    for (const g of ['', 'not-an-ip', '127.0.0.1', '240.0.0.1', '239.1.2', '239.1.2.256', '::1', 'fe80::1', 'ff']) expect(isMulticastGroup(g)).toBe(false);
  });
});
