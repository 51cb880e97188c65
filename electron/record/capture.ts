/**
 * Raw capture: every received byte of a session written to a file, one file
 * for the whole session or one per peer (TCP peer, or UDP source address).
 *
 * Writes go through fs write streams in arrival order. Nothing is ever
 * dropped: when the disk is slower than the network, the stream's buffer
 * grows in memory (trade-off: memory instead of loss; the OS write path is
 * normally far faster than a socket, and `pendingBytes` shows any backlog).
 */
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../store/private';
import { join } from 'node:path';
import type { CaptureFile, CaptureInfo } from '../../shared/protocol/recording';
import type { Endpoint } from '../../shared/protocol/model';

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
  stream: WriteStream;
}

export interface CaptureOptions {
  dir: string;
  /** sanitised session name + start time: the common stem of the file names */
  stem: string;
  perPeer: boolean;
  /** names already handed out */
  reserved?: Set<string>;
  /** a write failed: the capture of that file stops, the others go on */
  onError(file: CaptureFile, error: Error): void;
}

export class SessionCapture {
  private readonly files = new Map<string, OpenFile>();
  private active = true;
  private stopping: Promise<CaptureInfo> | undefined;

  constructor(private readonly opts: CaptureOptions) {}

  get isActive(): boolean {
    return this.active;
  }

  private open(key: string, peerId: string | undefined, remote: Endpoint | undefined): OpenFile {
    const stem = remote ? `${this.opts.stem}-${endpointTag(remote)}` : this.opts.stem;
    const name = uniqueName(this.opts.dir, stem, 'bin', this.opts.reserved);
    const file: CaptureFile = { ...(peerId !== undefined ? { peerId } : {}), path: join(this.opts.dir, name), name, bytes: 0 };
    // 'wx': never overwrite a file that appeared in between
    const stream = createWriteStream(file.path, { flags: 'wx', mode: PRIVATE_FILE_MODE });
    const open: OpenFile = { file, stream };
    stream.on('error', (e) => this.opts.onError(file, e));
    this.files.set(key, open);
    return open;
  }

  /** The session-wide file exists from the start (empty until data comes). */
  begin(): void {
    if (!this.opts.perPeer) this.open('*', undefined, undefined);
  }

  /** One received message. */
  write(bytes: Uint8Array, remote: Endpoint, peerId: string | undefined): void {
    if (!this.active || bytes.length === 0) return;
    let key = '*';
    if (this.opts.perPeer) key = peerId !== undefined && peerId !== 'conn' ? `p:${peerId}` : `a:${endpointTag(remote)}`;
    const f = this.files.get(key) ?? this.open(key, this.opts.perPeer ? peerId : undefined, this.opts.perPeer ? remote : undefined);
    if (f.stream.destroyed) return;
    f.stream.write(bytes);
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
      // what the OS accepted, not what was asked: on a full disk the two differ
      files: [...this.files.values()].map((f) => ({ ...f.file, bytes: f.stream.bytesWritten })),
    };
  }

  /** Stop, then wait until every file is written and closed. */
  stop(): Promise<CaptureInfo> {
    this.active = false;
    this.stopping ??= Promise.all(
      [...this.files.values()].map(
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
