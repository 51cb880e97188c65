/**
 * Is a UDP target a broadcast address? 255.255.255.255, or the directed
 * broadcast address of one of the host's IPv4 networks. One rule for both
 * sides: the engine refuses such a send without the Broadcast option
 * (electron/net/session-udp.ts, with the machine's interfaces), and the UDP
 * panel offers the option before the send is refused (with the interfaces
 * from `system.interfaces`).
 */
import type { NetInterfaceAddress } from './model';

function ipv4ToInt(a: string): number | undefined {
  const parts = a.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = v * 256 + n;
  }
  return v;
}

export function isBroadcastTarget(host: string, interfaces: readonly Pick<NetInterfaceAddress, 'address' | 'family' | 'netmask'>[]): boolean {
  const h = host.trim();
  const a = h.startsWith('::ffff:') ? h.slice(7) : h;
  if (a === '255.255.255.255') return true;
  const target = ipv4ToInt(a);
  if (target === undefined) return false;
  for (const i of interfaces) {
    if (i.family !== 'IPv4') continue;
    const ip = ipv4ToInt(i.address);
    const mask = ipv4ToInt(i.netmask);
    // a /32 or /31 has no broadcast address
    if (ip === undefined || mask === undefined || mask === 0xffffffff || mask === 0xfffffffe) continue;
    const bcast = ((ip & mask) | (~mask >>> 0)) >>> 0;
    if (bcast === target) return true;
  }
  return false;
}
