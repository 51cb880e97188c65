/**
 * Facts about the machine the UI needs: its interface addresses and host name
 * resolution (for the "resolve" button next to a host field).
 */
import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import type { NetInterfaceAddress } from '../../shared/protocol/model';
import { toWbError } from './errors';

export function listInterfaces(): NetInterfaceAddress[] {
  const out: NetInterfaceAddress[] = [];
  for (const [name, list] of Object.entries(networkInterfaces())) {
    for (const a of list ?? []) {
      const family = a.family === 'IPv6' ? 'IPv6' : 'IPv4';
      const entry: NetInterfaceAddress = {
        name,
        address: a.address,
        family,
        netmask: a.netmask,
        cidr: a.cidr,
        internal: a.internal,
      };
      if (a.family === 'IPv6' && a.scopeid !== undefined) entry.scopeId = a.scopeid;
      out.push(entry);
    }
  }
  return out;
}

export async function resolveHost(host: string): Promise<{ address: string; family: 'IPv4' | 'IPv6' }[]> {
  try {
    const all = await lookup(host, { all: true });
    return all.map((a) => ({ address: a.address, family: a.family === 6 ? 'IPv6' : 'IPv4' }));
  } catch (e) {
    throw toWbError(e, { op: 'resolve', host });
  }
}
