import { describe, expect, it } from 'vitest';
import { isBroadcastTarget } from './broadcast';

const ifaces = [
  { address: '127.0.0.1', family: 'IPv4' as const, netmask: '255.0.0.0' },
  { address: '192.168.1.20', family: 'IPv4' as const, netmask: '255.255.255.0' },
  { address: '10.9.8.7', family: 'IPv4' as const, netmask: '255.255.255.255' },
  { address: '::1', family: 'IPv6' as const, netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' },
];

describe('isBroadcastTarget', () => {
  it('the limited broadcast address, plain or v4-mapped', () => {
    expect(isBroadcastTarget('255.255.255.255', [])).toBe(true);
    expect(isBroadcastTarget(' ::ffff:255.255.255.255 ', [])).toBe(true);
  });
  it("a local network's directed broadcast address", () => {
    expect(isBroadcastTarget('192.168.1.255', ifaces)).toBe(true);
    expect(isBroadcastTarget('127.255.255.255', ifaces)).toBe(true);
  });
  it('not: unicast, another network, a /32, host names, IPv6, junk', () => {
    for (const h of ['192.168.1.20', '192.168.2.255', '10.9.8.7', 'localhost', '::1', '1.2.3', '300.1.1.1', ''])
      expect(isBroadcastTarget(h, ifaces), h).toBe(false);
  });
});
