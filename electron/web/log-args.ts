/**
 * `wirebench log` arguments: session URLs, sizes, durations and the flags,
 * parsed into what the logger needs. Pure, for tests.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { SessionConfigInput } from '../../shared/protocol';
import type { CaptureRotation } from '../../shared/protocol/recording';
import type { UdpSequence } from '../../shared/protocol/udp';

export const LOG_USAGE = `Usage: wirebench log <url>... [options]
       wirebench log --profile <name> [options]

Log sessions to rotating capture files, with no UI. URLs:
  udp://0.0.0.0:9999          bind a UDP socket (udp://[::]:9999 for IPv6)
  tcp-server://0.0.0.0:7000   listen for TCP clients
  tcp-client://host:7000      connect to a TCP server (tcp://host:port too)

Options:
  --out <dir>          where the files go (default: the current folder)
  --rotate <limit>     start a new file past a size (100MB, 1GB, 512KB) or an
                       age (30s, 15m, 1h, 1d); give it twice for both
  --keep <n>           keep at most n files per session (or per source with
                       --per-source); older ones are deleted
  --format <f>         pcapng (default: one packet per datagram or TCP chunk,
                       with addresses and times) or bin (the bytes as they came)
  --per-source         one file set per UDP source or TCP peer
  --sequence <o:w:e>   UDP: a sequence number at byte offset o, w bytes wide
                       (1, 2, 4), be or le: lost/duplicated/out-of-order counts
  --recv-buffer <size> UDP: the receive buffer to ask the OS for (e.g. 16MB)
  --profile <name>     log every session of a saved profile
  --data-dir <path>    Wirebench's data folder (profiles; the session records)
  --status-every <d>   how often a status line is printed when the output is
                       not a terminal (default 60s; a terminal gets a live line)
  --help               show this help

SIGINT or SIGTERM closes the files cleanly; written data is flushed to the disk
every second, so a crash loses at most the last second.
`;

export class LogUsageError extends Error {}

const SIZE_UNITS: Record<string, number> = { '': 1, B: 1, KB: 1024, K: 1024, KIB: 1024, MB: 1024 ** 2, M: 1024 ** 2, MIB: 1024 ** 2, GB: 1024 ** 3, G: 1024 ** 3, GIB: 1024 ** 3 };
const TIME_UNITS: Record<string, number> = { MS: 1, S: 1000, M: 60_000, MIN: 60_000, H: 3_600_000, D: 86_400_000 };

/** `100MB` → bytes (binary units), or undefined when it is not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = SIZE_UNITS[(m?.[2] ?? 'x').toUpperCase()];
  return m && unit !== undefined ? Math.round(Number(m[1]) * unit) : undefined;
}

/** `1h` → ms, or undefined when it is not a duration (a bare number is not: it would be a size). */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text.trim());
  const unit = TIME_UNITS[(m?.[2] ?? '').toUpperCase()];
  return m && unit !== undefined ? Math.round(Number(m[1]) * unit) : undefined;
}

/** `udp://0.0.0.0:9999` and friends → a session config. */
export function parseSessionUrl(text: string): SessionConfigInput {
  const m = /^([a-z-]+):\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/i.exec(text.trim());
  if (!m) throw new LogUsageError(`'${text}' is not a session URL (udp://host:port, tcp-server://host:port or tcp-client://host:port)`);
  const scheme = (m[1] ?? '').toLowerCase();
  const bracketed = (m[2] ?? '').startsWith('[');
  const host = bracketed ? (m[2] ?? '').slice(1, -1) : (m[2] ?? '');
  const port = Number(m[3]);
  if (port > 65_535) throw new LogUsageError(`port ${port} is out of range`);
  switch (scheme) {
    case 'udp':
      return { kind: 'udp', family: host.includes(':') ? 'udp6' : 'udp4', bindAddress: host, bindPort: port };
    case 'tcp-server':
      return { kind: 'tcp-server', host, port };
    case 'tcp':
    case 'tcp-client':
      if (port === 0) throw new LogUsageError('a TCP client needs a port to connect to');
      return { kind: 'tcp-client', host, port };
    default:
      throw new LogUsageError(`unknown scheme '${scheme}://' (udp, tcp-server or tcp-client)`);
  }
}

export function parseSequence(text: string): UdpSequence {
  const [o, w, e = 'be'] = text.split(':');
  const offset = Number(o);
  const width = Number(w);
  if (!Number.isInteger(offset) || offset < 0 || (width !== 1 && width !== 2 && width !== 4) || (e !== 'be' && e !== 'le'))
    throw new LogUsageError(`--sequence ${text}: give offset:width[:be|le], width 1, 2 or 4`);
  return { offset, width, endian: e };
}

export interface LogFlags {
  urls: SessionConfigInput[];
  profile?: string;
  out: string;
  rotate: CaptureRotation;
  format: 'pcapng' | 'bin';
  perSource: boolean;
  sequence?: UdpSequence;
  recvBuffer?: number;
  dataDir?: string;
  statusEveryMs: number;
  help: boolean;
}

export function parseLogFlags(argv: string[], cwd = process.cwd()): LogFlags {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        rotate: { type: 'string', multiple: true },
        keep: { type: 'string' },
        format: { type: 'string' },
        'per-source': { type: 'boolean' },
        sequence: { type: 'string' },
        'recv-buffer': { type: 'string' },
        profile: { type: 'string' },
        'data-dir': { type: 'string' },
        'status-every': { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new LogUsageError(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values;
  const rotate: CaptureRotation = {};
  for (const r of v.rotate ?? []) {
    const ms = parseDuration(r);
    const bytes = ms === undefined ? parseSize(r) : undefined;
    if (ms !== undefined) rotate.maxAgeMs = Math.max(1000, ms);
    else if (bytes !== undefined) rotate.maxBytes = Math.max(4096, bytes);
    else throw new LogUsageError(`--rotate ${r}: give a size (100MB) or an age (1h)`);
  }
  if (v.keep !== undefined) {
    const keep = Number(v.keep);
    if (!Number.isInteger(keep) || keep < 1) throw new LogUsageError(`--keep ${v.keep}: give a whole number of files, at least 1`);
    rotate.keep = keep;
  }
  const format = v.format ?? 'pcapng';
  if (format !== 'pcapng' && format !== 'bin') throw new LogUsageError(`--format ${format}: pcapng or bin`);
  const statusEveryMs = v['status-every'] === undefined ? 60_000 : parseDuration(v['status-every']);
  if (statusEveryMs === undefined) throw new LogUsageError(`--status-every ${v['status-every']}: give a duration (10s)`);
  const recvBuffer = v['recv-buffer'] === undefined ? undefined : parseSize(v['recv-buffer']);
  if (v['recv-buffer'] !== undefined && recvBuffer === undefined) throw new LogUsageError(`--recv-buffer ${v['recv-buffer']}: give a size (16MB)`);
  const positionals = parsed.positionals[0] === 'log' ? parsed.positionals.slice(1) : parsed.positionals;
  const flags: LogFlags = {
    urls: positionals.map(parseSessionUrl),
    out: resolve(cwd, v.out ?? '.'),
    rotate,
    format,
    perSource: v['per-source'] ?? false,
    statusEveryMs: Math.max(100, statusEveryMs),
    help: v.help ?? false,
    ...(v.profile !== undefined ? { profile: v.profile } : {}),
    ...(v.sequence !== undefined ? { sequence: parseSequence(v.sequence) } : {}),
    ...(recvBuffer !== undefined ? { recvBuffer } : {}),
    ...(v['data-dir'] !== undefined ? { dataDir: resolve(cwd, v['data-dir']) } : {}),
  };
  if (!flags.help && flags.urls.length === 0 && flags.profile === undefined) throw new LogUsageError('give a session URL (udp://0.0.0.0:9999) or --profile <name>');
  return flags;
}
