/**
 * UDP logging: where a sequence number sits in each datagram (optional, in
 * the `udp` session config), the per-source statistics a UDP session keeps
 * (SessionInfo.udp, `udp.stats`) and their CSV export (`udp.exportSources`,
 * in udp-commands.ts).
 */
import { z } from 'zod';

/** A sequence number inside each datagram: `width` bytes at `offset`, big- or little-endian, counting up by one. */
export const udpSequenceSchema = z
  .object({
    offset: z.number().int().min(0).max(65_535),
    width: z.union([z.literal(1), z.literal(2), z.literal(4)]),
    endian: z.enum(['be', 'le']).default('be'),
  })
  .strict();
export type UdpSequence = z.infer<typeof udpSequenceSchema>;

/** Largest receive buffer a session may ask for (the OS may grant less). */
export const MAX_UDP_RECV_BUFFER = 256 * 1024 * 1024;

export interface UdpSequenceStats {
  /** numbers skipped and not (yet) seen; a late arrival takes one back */
  lost: number;
  /** numbers seen twice (within the last 4,096) */
  duplicates: number;
  /** datagrams older than one already seen */
  outOfOrder: number;
  /** datagrams too short to hold the number */
  short: number;
  /** the highest number seen */
  highest?: number;
}

export interface UdpSourceStats {
  address: string;
  port: number;
  datagrams: number;
  bytes: number;
  /** datagrams and bytes in the last whole second */
  rate: number;
  byteRate: number;
  /** ms since the epoch */
  firstSeen: number;
  lastSeen: number;
  /** the longest time between two datagrams of this source (ms) */
  maxGapMs: number;
  /** present when the session has a sequence number configured */
  sequenceStats?: UdpSequenceStats;
}

export interface UdpStats {
  /** most recently heard first */
  sources: UdpSourceStats[];
  /** sources dropped from the table to stay within its size (the oldest heard) */
  forgottenSources: number;
  /** datagrams the kernel dropped for this socket (absent: the OS does not report it) */
  kernelDrops?: number;
  /** bytes waiting in the socket's receive queue (absent: not reported) */
  rxQueue?: number;
  /** the socket's receive buffer: what was asked (absent: the default) and what the OS granted */
  recvBuffer?: { requested?: number; granted: number };
}

export interface UdpSourcesFile {
  path: string;
  /** name in the exports folder, for downloads */
  name: string;
  sources: number;
}
