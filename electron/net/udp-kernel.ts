/**
 * What the kernel knows about a UDP socket that Node does not tell: the
 * datagrams it dropped before anyone read them (a full receive buffer) and
 * the bytes waiting in the queue. Linux only (`/proc/net/udp`, `/proc/net/udp6`);
 * elsewhere the answer is undefined: "not reported", never zero.
 */
import { readFile } from 'node:fs/promises';
import { isIPv4, isIPv6 } from 'node:net';

export interface UdpKernelStats {
  /** datagrams the kernel dropped for this socket since it was bound */
  drops: number;
  /** bytes received and not yet read */
  rxQueue: number;
}

/** `0100007F` (a little-endian IPv4 word) or 32 hex digits of four host-order words → bytes in network order. */
function procAddress(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let w = 0; w < hex.length / 8; w++) {
    for (let i = 0; i < 4; i++) out[w * 4 + i] = parseInt(hex.slice(w * 8 + (3 - i) * 2, w * 8 + (3 - i) * 2 + 2), 16);
  }
  return out;
}

/** One spelling per address: dotted IPv4 (also for IPv4-mapped IPv6), canonical IPv6 text. */
function canonical(address: string): string | undefined {
  const a = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const v4 = a.toLowerCase().startsWith('::ffff:') && isIPv4(a.slice(7)) ? a.slice(7) : a;
  if (isIPv4(v4)) return v4;
  if (!isIPv6(v4)) return undefined;
  const host = new URL(`http://[${v4}]/`).hostname.slice(1, -1);
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (!m) return host;
  const hi = parseInt(m[1] ?? '0', 16);
  const lo = parseInt(m[2] ?? '0', 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

function bytesText(b: Uint8Array): string {
  if (b.length === 4) return b.join('.');
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push((((b[i] ?? 0) << 8) | (b[i + 1] ?? 0)).toString(16));
  return words.join(':');
}

/**
 * The rows of one /proc table that belong to the socket bound to
 * `address`:`port`. Pure, for tests: `table` is the file's text.
 */
export function parseProcUdp(table: string, address: string, port: number): UdpKernelStats | undefined {
  const want = canonical(address);
  if (!want) return undefined;
  let found: UdpKernelStats | undefined;
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 13) continue;
    const [addrHex, portHex] = (f[1] ?? '').split(':');
    if (!addrHex || !portHex || parseInt(portHex, 16) !== port) continue;
    if (canonical(bytesText(procAddress(addrHex))) !== want) continue;
    const queues = (f[4] ?? '').split(':');
    const drops = Number(f[12]);
    if (!Number.isFinite(drops)) continue;
    found = { drops: (found?.drops ?? 0) + drops, rxQueue: (found?.rxQueue ?? 0) + parseInt(queues[1] ?? '0', 16) };
  }
  return found;
}

/** The kernel's figures for the UDP socket bound to `address`:`port`, or undefined where not reported. */
export async function udpKernelStats(address: string, port: number, family: 'udp4' | 'udp6'): Promise<UdpKernelStats | undefined> {
  if (process.platform !== 'linux') return undefined;
  const file = family === 'udp6' && !isIPv4(address) ? '/proc/net/udp6' : '/proc/net/udp';
  try {
    return parseProcUdp(await readFile(file, 'utf8'), address, port);
  } catch {
    return undefined;
  }
}
