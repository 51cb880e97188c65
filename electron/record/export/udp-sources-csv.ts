/**
 * The per-source statistics of a UDP session as CSV (UTF-8 with a BOM, as
 * the log's CSV export, so spreadsheet programs pick the encoding): one row
 * per source, then a summary row with the kernel's drop count and the
 * receive buffer.
 */
import type { UdpStats } from '../../../shared/protocol/udp';
import { csvCell } from './writers';

export const UDP_SOURCES_COLUMNS = [
  'source',
  'port',
  'datagrams',
  'bytes',
  'datagrams_per_s',
  'bytes_per_s',
  'first_seen',
  'last_seen',
  'largest_gap_ms',
  'seq_lost',
  'seq_duplicates',
  'seq_out_of_order',
  'seq_short',
  'seq_highest',
] as const;

const iso = (ms: number): string => new Date(ms).toISOString();

export function udpSourcesCsv(stats: UdpStats): string {
  const rows: Array<Array<string | number>> = [[...UDP_SOURCES_COLUMNS]];
  for (const s of stats.sources) {
    const q = s.sequenceStats;
    rows.push([
      s.address,
      s.port,
      s.datagrams,
      s.bytes,
      s.rate,
      s.byteRate,
      iso(s.firstSeen),
      iso(s.lastSeen),
      Math.round(s.maxGapMs),
      q ? q.lost : '',
      q ? q.duplicates : '',
      q ? q.outOfOrder : '',
      q ? q.short : '',
      q?.highest ?? '',
    ]);
  }
  const summary: string[] = [];
  if (stats.kernelDrops !== undefined) summary.push(`kernel_drops=${stats.kernelDrops}`);
  if (stats.recvBuffer) summary.push(`recv_buffer_granted=${stats.recvBuffer.granted}`);
  if (stats.forgottenSources > 0) summary.push(`sources_forgotten=${stats.forgottenSources}`);
  if (summary.length > 0) rows.push([`# ${summary.join(' ')}`]);
  return `\ufeff${rows.map((r) => r.map((c) => csvCell(c)).join(',')).join('\r\n')}\r\n`;
}
