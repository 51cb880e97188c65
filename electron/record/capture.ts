/**
 * Raw capture: every received byte of a session written to a file, one file
 * for the whole session or one per peer (TCP peer, or UDP source address).
 *
 * Two formats: `bin`, the bytes as they came (a TCP stream), and `pcapng`,
 * one packet per received chunk with its source, destination (the socket's
 * bound address) and microsecond timestamp: a UDP capture keeps every
 * datagram whole and apart (the default for UDP sessions).
 *
 * Writes go through fs write streams in arrival order. Nothing is ever
 * dropped: when the disk is slower than the network, the stream's buffer
 * grows in memory (trade-off: memory instead of loss; the OS write path is
 * normally far faster than a socket, and `pendingBytes` shows any backlog).
 */
import { createWriteStream, existsSync, fdatasync, unlink, type WriteStream } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../store/private';
import { basename, join } from 'node:path';
import type { CaptureFile, CaptureFormat, CaptureInfo } from '../../shared/protocol/recording';
import type { Endpoint } from '../../shared/protocol/model';
import { PcapngEncoder } from './export/pcapng';

/** `yyyyMMdd-HHmmss` in local time. */
export function fileStamp(ts: number): string {
  const d = new Date(ts);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** A session name made safe as part of a file name on every platform. */
export function sanitizeName(name: string, fallback: string): string {
  const s = name
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, 48);
  return s === '' ? fallback : s;
}

/** `127.0.0.1_5000`, `--1_5000` for ::1 (no colons in file names). */
const endpointTag = (e: Endpoint): string => `${e.address.replace(/[^A-Za-z0-9.]/g, '-')}_${e.port}`;

/**
 * `stem.ext` in `dir`, or `stem-2.ext`, `stem-3.ext`… when taken on disk or
 * in `reserved` (names handed out whose files are still being opened).
 */
export function uniqueName(dir: string, stem: string, ext: string, reserved?: Set<string>): string {
  let name = `${stem}.${ext}`;
  for (let i = 2; reserved?.has(name) || existsSync(join(dir, name)); i++) name = `${stem}-${i}.${ext}`;
  reserved?.add(name);
  return name;
}

interface OpenFile {
  file: CaptureFile;
  /** the file's key, tag and peer: what its successor after a rotation gets */
  key: string;
  peerId: string | undefined;
  remote: Endpoint | undefined;
  openedAt: number;
  /** bytes handed to the stream, header included (the size rotation looks at) */
  size: number;
  /** written since the last fsync */
  dirty: boolean;
  /** the file descriptor once open */
  fd?: number;
  stream: WriteStream;
  /** pcapng: this file's encoder (its TCP sequence numbers, IP ids) */
  encoder?: PcapngEncoder;
  packets: number;
}

/** A received chunk as the capture sees it. */
export interface CaptureChunk {
  bytes: Uint8Array;
  remote: Endpoint;
  /** this end; unknown: 0.0.0.0:0 in a pcapng file */
  local?: Endpoint | undefined;
  peerId?: string | undefined;
  /** ms since the epoch, with fractions (microseconds) */
  ts: number;
}

const UNKNOWN_LOCAL: Endpoint = { address: '0.0.0.0', port: 0, family: 'IPv4' };

/** Now in ms since the epoch with microseconds: the timestamps of pcapng packets. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

export interface CaptureOptions {
  dir: string;
  /** sanitised session name + start time: the common stem of the file names */
  stem: string;
  perPeer: boolean;
  /** `bin` (default) or `pcapng` */
  format?: CaptureFormat;
  /** what the pcapng packets carry (default udp) */
  transport?: 'tcp' | 'udp';
  /** names already handed out */
  reserved?: Set<string>;
  /** start a new file when one would pass this size or age; keep at most `keep` files per key (older ones are deleted) */
  rotate?: CaptureRotation;
  /**
   * The session-wide file's exact path, chosen by the user in the desktop
   * app's save dialog (overwritten: the dialog asked). Per-peer and rotated
   * files go beside it, named after it (`dir` and `stem` are its folder and
   * name). Absent: files go to `dir`, never overwriting one.
   */
  target?: string;
  /** now (ms), for rotation by age (default Date.now) */
  now?: () => number;
  /** a write failed: the capture of that file stops, the others go on */
  onError(file: CaptureFile, error: Error): void;
}

export interface CaptureRotation {
  maxBytes?: number;
  maxAgeMs?: number;
  /** files kept per key (the session, or each peer), the current one included */
  keep?: number;
}

/** How often written files are flushed to the disk (fdatasync): a crash loses at most this much. */
export const CAPTURE_SYNC_MS = 1000;

export class SessionCapture {
  private readonly files = new Map<string, OpenFile>();
  /** files closed by a rotation and still on disk, oldest first */
  private readonly closed: OpenFile[] = [];
  private active = true;
  private stopping: Promise<CaptureInfo> | undefined;
  private readonly timer: ReturnType<typeof setInterval>;
  private rotations = 0;
  /** rotating: the number of the last file opened per key */
  private readonly serial = new Map<string, number>();

  constructor(private readonly opts: CaptureOptions) {
    // flush to the disk once a second, and rotate by age even when nothing arrives
    this.timer = setInterval(() => this.tick(), CAPTURE_SYNC_MS);
    this.timer.unref?.();
  }

  private get now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private tick(): void {
    const maxAge = this.opts.rotate?.maxAgeMs;
    for (const f of [...this.files.values()]) {
      if (maxAge !== undefined && f.packets > 0 && this.now - f.openedAt >= maxAge) this.rotate(f);
      else this.sync(f);
    }
  }

  private sync(f: OpenFile): void {
    const fd = f.fd;
    if (!f.dirty || fd === undefined || f.stream.destroyed || f.stream.closed) return;
    f.dirty = false;
    // after the stream handed its buffer to the OS (a write still queued is synced next time)
    if (f.stream.writableLength === 0) fdatasync(fd, () => undefined);
    else f.dirty = true;
  }

  /** Close `f` and open its successor under the same key; drop files beyond the retention. */
  private rotate(f: OpenFile): OpenFile {
    this.rotations += 1;
    f.stream.end();
    this.closed.push(f);
    const next = this.open(f.key, f.peerId, f.remote);
    const keep = this.opts.rotate?.keep;
    if (keep !== undefined) {
      const mine = this.closed.filter((c) => c.key === f.key);
      for (const old of mine.slice(0, Math.max(0, mine.length - (keep - 1)))) {
        this.closed.splice(this.closed.indexOf(old), 1);
        // deleted once its stream is closed (it may still be flushing)
        const remove = (): void => unlink(old.file.path, () => undefined);
        if (old.stream.closed) remove();
        else old.stream.once('close', remove);
      }
    }
    return next;
  }

  get isActive(): boolean {
    return this.active;
  }

  private open(key: string, peerId: string | undefined, remote: Endpoint | undefined): OpenFile {
    let stem = remote ? `${this.opts.stem}-${endpointTag(remote)}` : this.opts.stem;
    // rotating: every file of a key is numbered (so names sort in order) and stamped with its own start time
    if (this.opts.rotate) {
      const n = (this.serial.get(key) ?? 0) + 1;
      this.serial.set(key, n);
      stem = `${stem}-${String(n).padStart(5, '0')}-${fileStamp(this.now)}`;
    }
    // the one file the user named in a save dialog: exactly there
    const exact = this.opts.target !== undefined && key === '*' && !this.opts.rotate ? this.opts.target : undefined;
    const name = exact ? basename(exact) : uniqueName(this.opts.dir, stem, this.format, this.opts.reserved);
    const file: CaptureFile = { ...(peerId !== undefined ? { peerId } : {}), path: exact ?? join(this.opts.dir, name), name, bytes: 0 };
    // 'wx': never overwrite a file that appeared in between (a chosen target: the save dialog asked)
    const stream = createWriteStream(file.path, { flags: exact ? 'w' : 'wx', mode: PRIVATE_FILE_MODE });
    const open: OpenFile = { file, stream, packets: 0, key, peerId, remote, openedAt: this.now, size: 0, dirty: false };
    stream.on('error', (e) => this.opts.onError(file, e));
    stream.once('open', (fd: number) => (open.fd = fd));
    if (this.format === 'pcapng') {
      open.encoder = new PcapngEncoder();
      const h = open.encoder.header();
      open.size = h.length;
      open.dirty = true;
      stream.write(h);
    }
    this.files.set(key, open);
    return open;
  }

  /** The session-wide file exists from the start (empty until data comes). */
  begin(): void {
    if (!this.opts.perPeer) this.open('*', undefined, undefined);
  }

  get format(): CaptureFormat {
    return this.opts.format ?? 'bin';
  }

  /** One received chunk (a datagram, or a piece of a TCP stream). An empty datagram is a packet too. */
  write(c: CaptureChunk): void {
    const pcap = this.format === 'pcapng';
    if (!this.active || (c.bytes.length === 0 && !pcap)) return;
    const { remote, peerId } = c;
    let key = '*';
    if (this.opts.perPeer) key = peerId !== undefined && peerId !== 'conn' ? `p:${peerId}` : `a:${endpointTag(remote)}`;
    let f = this.files.get(key) ?? this.open(key, this.opts.perPeer ? peerId : undefined, this.opts.perPeer ? remote : undefined);
    if (f.stream.destroyed) return;
    const blocks = f.encoder
      ? f.encoder.encode({ ts: c.ts, dir: 'rx', transport: this.opts.transport ?? 'udp', local: c.local ?? UNKNOWN_LOCAL, remote, bytes: c.bytes })
      : [c.bytes];
    const size = blocks.reduce((n, b) => n + b.length, 0);
    const max = this.opts.rotate?.maxBytes;
    // a file holds at least one packet, however large
    if (max !== undefined && f.packets > 0 && f.size + size > max) f = this.rotate(f);
    f.packets += 1;
    f.size += size;
    f.dirty = true;
    for (const b of blocks) f.stream.write(b);
  }

  /** Files closed by rotation so far. */
  get rotated(): number {
    return this.rotations;
  }

  /** Chunks written so far, in every file. */
  get packets(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.packets;
    for (const f of this.closed) n += f.packets;
    return n;
  }

  /** Bytes accepted but not yet handed to the OS. */
  get pendingBytes(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.stream.writableLength;
    return n;
  }

  info(): CaptureInfo {
    return {
      active: this.active,
      perPeer: this.opts.perPeer,
      format: this.format,
      // what the OS accepted, not what was asked: on a full disk the two differ
      files: [...this.closed, ...this.files.values()].map((f) => ({ ...f.file, bytes: f.stream.bytesWritten, ...(f.encoder ? { packets: f.packets } : {}) })),
      ...(this.opts.rotate ? { rotated: this.rotations } : {}),
    };
  }

  /** Stop, then wait until every file is written and closed. */
  stop(): Promise<CaptureInfo> {
    this.active = false;
    clearInterval(this.timer);
    this.stopping ??= Promise.all(
      [...this.closed, ...this.files.values()].map(
        ({ stream }) =>
          new Promise<void>((resolve) => {
            if (stream.closed || stream.destroyed) return resolve();
            stream.once('close', () => resolve());
            stream.end();
          }),
      ),
    ).then(() => this.info());
    return this.stopping;
  }
}
