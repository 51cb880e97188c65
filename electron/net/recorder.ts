/**
 * The recorder sees every engine event (through the hub's module hook) and
 * keeps what must never be lost, whatever the UI shows:
 * - a spill log per session (always on; every rx/tx message on disk, bounded);
 * - raw capture files of received bytes (on request, per session or per peer);
 * - exports that stream a spill log through the format writers into a file.
 *
 * Files: `<dataDir>/spill/`, `<dataDir>/captures/`, `<dataDir>/exports/`.
 * Local endpoints and the transport are learnt from the event stream
 * (`session.opened`/`session.updated`/`session.status` and `peer.joined`).
 */
import { mkdirSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { CaptureFile, CaptureInfo, ExportFormat, ExportInfo, SpillInfo } from '../../shared/protocol/automation';
import { ENCODING_LABELS } from '../../shared/protocol/encodings';
import { WbError } from '../../shared/protocol/errors';
import type { DataEvent, NetEvent } from '../../shared/protocol/events';
import type { Endpoint, SessionInfo } from '../../shared/protocol/model';
import { fileStamp, sanitizeName, SessionCapture, uniqueName } from './capture';
import type { CaptureRecord } from './export/record';
import { EXPORT_EXT, runExport } from './exporter';
import { DEFAULT_SPILL_LIMIT, SpillLog } from './spill';

export interface RecorderOptions {
  dataDir: string;
  /** push an event to the clients (capture.updated, export.progress, error) */
  emit(event: NetEvent): void;
  spillLimitBytes?: number;
  /** how often capture.updated / export.progress may go out per session or export (ms) */
  progressMs?: number;
}

interface Known {
  id: string;
  name: string;
  transport: 'tcp' | 'udp';
  encodingLabel: string;
  local?: Endpoint;
  /** a server's peers: their local end (the listening address may be 0.0.0.0) */
  peers: Map<string, Endpoint>;
  spill: SpillLog;
  capture?: SessionCapture;
  captureTimer?: ReturnType<typeof setTimeout>;
}

let instances = 0;

const unspecified = (family: Endpoint['family']): Endpoint =>
  family === 'IPv6' ? { address: '::', port: 0, family } : { address: '0.0.0.0', port: 0, family };

function wbWrite(what: string, e: unknown): WbError {
  const sysCode = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  const why = e instanceof Error ? e.message : String(e);
  return new WbError('WRITE_FAILED', `Could not write ${what}: ${why}`, sysCode ? { sysCode } : undefined);
}

export class Recorder {
  readonly spillDir: string;
  readonly captureDir: string;
  readonly exportDir: string;
  private readonly sessions = new Map<string, Known>();
  private readonly exports = new Set<Promise<ExportInfo>>();
  private readonly reserved = new Set<string>();
  /** removals of sessions still finishing their files */
  private readonly forgetting = new Set<Promise<void>>();
  private readonly tag: string;
  private limit: number;
  private nextExport = 1;
  private disposed = false;
  private spillDirMade = false;

  constructor(private readonly opts: RecorderOptions) {
    this.spillDir = join(opts.dataDir, 'spill');
    this.captureDir = join(opts.dataDir, 'captures');
    this.exportDir = join(opts.dataDir, 'exports');
    this.limit = opts.spillLimitBytes ?? DEFAULT_SPILL_LIMIT;
    instances += 1;
    this.tag = instances === 1 ? `${process.pid}` : `${process.pid}-h${instances}`;
    void this.removeStaleSpills();
  }

  private get progressMs(): number {
    return this.opts.progressMs ?? 200;
  }

  // ── the event hook ─────────────────────────────────────────────────────────

  onEvent(e: NetEvent): void {
    if (this.disposed) return;
    switch (e.type) {
      case 'data':
        this.onData(e);
        break;
      case 'session.opened':
      case 'session.updated':
        this.learn(e.info);
        break;
      case 'session.status': {
        const k = this.sessions.get(e.sessionId);
        if (k && e.local) k.local = e.local;
        break;
      }
      case 'peer.joined': {
        const k = this.sessions.get(e.sessionId);
        if (k && e.peer.local) k.peers.set(e.peer.peerId, e.peer.local);
        break;
      }
      case 'peer.left':
        this.sessions.get(e.sessionId)?.peers.delete(e.peerId);
        break;
      case 'session.removed': {
        const p = this.forget(e.sessionId);
        this.forgetting.add(p);
        void p.finally(() => this.forgetting.delete(p));
        break;
      }
      default:
        break;
    }
  }

  private learn(info: SessionInfo): Known {
    let k = this.sessions.get(info.sessionId);
    if (!k) {
      if (!this.spillDirMade) {
        mkdirSync(this.spillDir, { recursive: true });
        this.spillDirMade = true;
      }
      k = {
        id: info.sessionId,
        name: info.name,
        transport: info.kind === 'udp' ? 'udp' : 'tcp',
        encodingLabel: ENCODING_LABELS[info.config.rxEncoding],
        peers: new Map(),
        spill: new SpillLog(this.spillDir, `${info.sessionId}-${this.tag}`, this.limit),
      };
      this.sessions.set(info.sessionId, k);
      for (const p of info.peers) if (p.local) k.peers.set(p.peerId, p.local);
    }
    k.name = info.name;
    k.encodingLabel = ENCODING_LABELS[info.config.rxEncoding];
    if (info.local) k.local = info.local;
    return k;
  }

  private onData(e: DataEvent): void {
    const k = this.sessions.get(e.sessionId);
    if (!k) return;
    const local = (e.peerId !== undefined ? k.peers.get(e.peerId) : undefined) ?? k.local ?? unspecified(e.remote.family);
    const rec: CaptureRecord = {
      ts: e.ts,
      dir: e.dir,
      transport: k.transport,
      local,
      remote: e.remote,
      ...(e.peerId !== undefined ? { peerId: e.peerId } : {}),
      bytes: e.bytes,
      text: e.text,
    };
    k.spill.append(rec);
  }

  /** Raw received bytes, before framing (the manager's raw tap): what capture files hold. */
  onRawRx(sessionId: string, bytes: Uint8Array, source: { peerId?: string; remote: Endpoint }): void {
    if (this.disposed) return;
    const k = this.sessions.get(sessionId);
    if (!k?.capture?.isActive) return;
    k.capture.write(bytes, source.remote, source.peerId);
    this.scheduleCaptureUpdate(k);
  }

  private async forget(sessionId: string): Promise<void> {
    const k = this.sessions.get(sessionId);
    if (!k) return;
    this.sessions.delete(sessionId);
    try {
      if (k.capture?.isActive) await this.finishCapture(k);
    } catch {
      // the capture's error was reported when it happened
    }
    await k.spill.remove();
  }

  private known(sessionId: string): Known {
    const k = this.sessions.get(sessionId);
    if (!k) throw new WbError('SESSION_NOT_FOUND', `There is no session '${sessionId}'`);
    return k;
  }

  // ── raw capture ────────────────────────────────────────────────────────────

  private emitCapture(k: Known, capture: CaptureInfo): void {
    this.opts.emit({ type: 'capture.updated', ts: Date.now(), sessionId: k.id, capture });
  }

  private scheduleCaptureUpdate(k: Known): void {
    if (k.captureTimer) return;
    k.captureTimer = setTimeout(() => {
      k.captureTimer = undefined;
      if (k.capture) this.emitCapture(k, k.capture.info());
    }, this.progressMs);
  }

  async startCapture(sessionId: string, perPeer: boolean): Promise<CaptureInfo> {
    const k = this.known(sessionId);
    if (k.capture?.isActive) {
      throw new WbError('INVALID_ARGUMENT', `Session '${k.name}' is already capturing; stop that capture first`);
    }
    try {
      await fsp.mkdir(this.captureDir, { recursive: true });
    } catch (e) {
      throw wbWrite(`the captures folder ${this.captureDir}`, e);
    }
    const capture = new SessionCapture({
      dir: this.captureDir,
      stem: `${sanitizeName(k.name, k.id)}-${fileStamp(Date.now())}`,
      perPeer,
      reserved: this.reserved,
      onError: (file, err) => this.captureFailed(k, file, err),
    });
    capture.begin();
    k.capture = capture;
    const info = capture.info();
    this.emitCapture(k, info);
    return info;
  }

  private captureFailed(k: Known, file: CaptureFile, e: Error): void {
    const err = wbWrite(`the capture file ${file.path}`, e);
    this.opts.emit({
      type: 'error',
      ts: Date.now(),
      sessionId: k.id,
      code: 'WRITE_FAILED',
      message: err.message,
      ...(err.detail?.sysCode ? { sysCode: err.detail.sysCode } : {}),
    });
  }

  private async finishCapture(k: Known): Promise<CaptureInfo> {
    if (k.captureTimer) clearTimeout(k.captureTimer);
    k.captureTimer = undefined;
    const capture = k.capture;
    if (!capture) return { active: false, perPeer: false, files: [] };
    const info = await capture.stop();
    this.emitCapture(k, info);
    return info;
  }

  /** Stop capturing; answers once every file is complete on disk. */
  async stopCapture(sessionId: string): Promise<CaptureInfo> {
    return this.finishCapture(this.known(sessionId));
  }

  captureInfo(sessionId: string): CaptureInfo | undefined {
    return this.sessions.get(sessionId)?.capture?.info();
  }

  // ── spill log and export ───────────────────────────────────────────────────

  configureSpill(limitBytes: number): { limitBytes: number } {
    this.limit = limitBytes;
    for (const k of this.sessions.values()) k.spill.setLimit(limitBytes);
    return { limitBytes };
  }

  spillInfo(sessionId: string): SpillInfo | undefined {
    return this.sessions.get(sessionId)?.spill.info();
  }

  /** Wait until the session's spill log is written out (tests, before reading it). */
  async syncSpill(sessionId: string): Promise<void> {
    await this.known(sessionId).spill.sync();
  }

  /** Start an export; progress follows as `export.progress` events, the last with done: true. */
  async startExport(sessionId: string, format: ExportFormat, timeZone: 'local' | 'utc'): Promise<ExportInfo> {
    const k = this.known(sessionId);
    try {
      await fsp.mkdir(this.exportDir, { recursive: true });
    } catch (e) {
      throw wbWrite(`the exports folder ${this.exportDir}`, e);
    }
    let snapshot;
    try {
      snapshot = await k.spill.snapshot();
    } catch (e) {
      throw wbWrite(`the log of session '${k.name}' to disk`, e);
    }
    const stem = `${sanitizeName(k.name, k.id)}-${fileStamp(Date.now())}${format === 'txt-hexdump' ? '-hexdump' : ''}`;
    const name = uniqueName(this.exportDir, stem, EXPORT_EXT[format], this.reserved);
    const dropped = k.spill.info().droppedRecords;
    const info: ExportInfo = {
      exportId: `x${this.nextExport++}`,
      sessionId,
      format,
      path: join(this.exportDir, name),
      name,
      records: 0,
      totalRecords: snapshot.records,
      ...(dropped > 0 ? { droppedRecords: dropped } : {}),
      bytes: 0,
      done: false,
    };
    const start = { ...info };
    const job = runExport({
      info,
      snapshot,
      options: { encodingLabel: k.encodingLabel, timeZone, bom: format === 'csv' },
      progressMs: this.progressMs,
      cancelled: () => this.disposed,
      onProgress: (p) => this.opts.emit({ type: 'export.progress', ts: Date.now(), sessionId, export: p }),
    });
    this.exports.add(job);
    void job.finally(() => this.exports.delete(job));
    return start;
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────

  /** Spill files of earlier runs whose process is gone (a crash leaves them behind). */
  private async removeStaleSpills(): Promise<void> {
    let names: string[];
    try {
      names = await fsp.readdir(this.spillDir);
    } catch {
      return;
    }
    for (const n of names) {
      const m = /^.+?-(\d+)(?:-h\d+)?\.\d+\.log$/.exec(n);
      const pid = m ? Number(m[1]) : NaN;
      if (!Number.isSafeInteger(pid) || pid === process.pid || alive(pid)) continue;
      await fsp.rm(join(this.spillDir, n), { force: true }).catch(() => undefined);
    }
  }

  /** Finish captures, end exports, delete every spill log. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((k) => (k.capture?.isActive ? this.finishCapture(k).catch(() => undefined) : undefined)));
    await Promise.all([...this.exports]);
    await Promise.all([...all.map((k) => k.spill.remove()), ...this.forgetting]);
    // an empty spill folder is not worth leaving behind (fails harmlessly when not empty)
    if (this.spillDirMade) {
      await fsp.rmdir(this.spillDir).catch(() => undefined);
      // a data folder made only for the spill log (e.g. the hub's temp default) goes too when empty
      await fsp.rmdir(this.opts.dataDir).catch(() => undefined);
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
