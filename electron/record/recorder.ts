/**
 * Raw capture files and exports, beside the record store:
 * - raw capture files of received bytes (on request, per session or per
 *   peer), written from the engine's raw tap, before framing;
 * - exports that stream a session's record through the format writers.
 *
 * Files: `<dataDir>/captures/`, `<dataDir>/exports/`; or, in the desktop
 * app, where the user chose in a save dialog: only the main process passes
 * such a destination (`dest`), never a command's arguments.
 */
import { basename, dirname, extname, join } from 'node:path';
import type { CaptureFile, CaptureFormat, CaptureInfo, CaptureRotation, ExportFormat, ExportInfo, ExportLanguage } from '../../shared/protocol/recording';
import { ENCODING_LABELS } from '../../shared/protocol/encodings';
import { WbError } from '../../shared/protocol/errors';
import { say, type Reason } from '../../shared/protocol/reason-format';
import type { EngineEvent, NetEvent } from '../../shared/protocol/events';
import type { RawSource } from '../net/session-base';
import { ensurePrivateDirAsync } from '../store/private';
import { fileStamp, preciseNow, sanitizeName, SessionCapture, uniqueName } from './capture';
import { EXPORT_EXT, runExport } from './exporter';
import type { RecordStore } from './records';

export interface RecorderOptions {
  dataDir: string;
  records: RecordStore;
  /** push an event to the clients (capture.updated, export.progress, error) */
  emit(event: NetEvent): void;
  /** how often capture.updated / export.progress may go out per session or export (ms) */
  progressMs?: number;
  /** where capture files go (default `<dataDir>/captures`) */
  captureDir?: string;
}

interface Capturing {
  id: string;
  capture: SessionCapture;
  timer?: ReturnType<typeof setTimeout>;
}

function wbWrite(why: (detail: string) => Reason, e: unknown): WbError {
  const sysCode = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  const detail = e instanceof Error ? e.message : String(e);
  return new WbError('WRITE_FAILED', why(detail), sysCode ? { sysCode } : undefined);
}

export class Recorder {
  /** sessions that run over TLS (their exports say the data is decrypted) */
  private readonly tlsSessions = new Set<string>();
  readonly captureDir: string;
  readonly exportDir: string;
  private readonly captures = new Map<string, Capturing>();
  private readonly exports = new Set<Promise<ExportInfo>>();
  private readonly reserved = new Set<string>();
  /** captures of removed sessions still finishing their files */
  private readonly finishing = new Set<Promise<unknown>>();
  private nextExport = 1;
  private disposed = false;

  constructor(private readonly opts: RecorderOptions) {
    this.captureDir = opts.captureDir ?? join(opts.dataDir, 'captures');
    this.exportDir = join(opts.dataDir, 'exports');
  }

  private get progressMs(): number {
    return this.opts.progressMs ?? 200;
  }

  onEvent(e: EngineEvent): void {
    if (e.type === 'session.opened' || e.type === 'session.updated') {
      const c = e.info.config;
      if (c.kind !== 'udp' && c.tls) this.tlsSessions.add(e.sessionId);
      else this.tlsSessions.delete(e.sessionId);
      return;
    }
    if (e.type !== 'session.removed') return;
    this.tlsSessions.delete(e.sessionId);
    const c = this.captures.get(e.sessionId);
    if (!c) return;
    this.captures.delete(e.sessionId);
    if (!c.capture.isActive) return;
    const p = this.finishCapture(c).catch(() => undefined);
    this.finishing.add(p);
    void p.finally(() => this.finishing.delete(p));
  }

  /** Raw received bytes, before framing (the manager's raw tap): what capture files hold. */
  onRawRx(sessionId: string, bytes: Uint8Array, source: RawSource): void {
    if (this.disposed) return;
    const c = this.captures.get(sessionId);
    if (!c?.capture.isActive) return;
    c.capture.write({ bytes, remote: source.remote, local: source.local, peerId: source.peerId, ts: preciseNow() });
    this.scheduleCaptureUpdate(c);
  }

  // ── raw capture ────────────────────────────────────────────────────────────

  private emitCapture(id: string, capture: CaptureInfo): void {
    this.opts.emit({ type: 'capture.updated', ts: Date.now(), sessionId: id, capture });
  }

  private scheduleCaptureUpdate(c: Capturing): void {
    if (c.timer) return;
    c.timer = setTimeout(() => {
      c.timer = undefined;
      this.emitCapture(c.id, c.capture.info());
    }, this.progressMs);
  }

  /** The format a capture gets when none is asked: pcapng for UDP (datagrams stay apart), bin for TCP. */
  captureFormat(sessionId: string, format?: CaptureFormat): CaptureFormat {
    return format ?? (this.opts.records.logOf(sessionId).transport === 'udp' ? 'pcapng' : 'bin');
  }

  /** The file name an export or a capture of the session would get now (what a save dialog proposes). */
  suggestedName(sessionId: string, what: { export: ExportFormat } | { capture: CaptureFormat }): string {
    const k = this.opts.records.logOf(sessionId);
    const stem = `${sanitizeName(k.name, k.id)}-${fileStamp(Date.now())}`;
    if ('capture' in what) return `${stem}.${what.capture}`;
    return `${stem}${what.export === 'txt-hexdump' ? '-hexdump' : ''}.${EXPORT_EXT[what.export]}`;
  }

  /**
   * Start capturing; `format` defaults to pcapng for UDP (datagrams stay apart), bin for TCP.
   * `dest`: the session-wide file's path chosen in the desktop app's save dialog (per-peer files go beside it).
   */
  async startCapture(sessionId: string, perPeer: boolean, format?: CaptureFormat, rotate?: CaptureRotation, dest?: string): Promise<CaptureInfo> {
    const k = this.opts.records.logOf(sessionId);
    if (this.captures.get(sessionId)?.capture.isActive) {
      throw new WbError('INVALID_ARGUMENT', say('capture.already', { name: k.name }));
    }
    const dir = dest ? dirname(dest) : this.captureDir;
    try {
      if (!dest) await ensurePrivateDirAsync(this.captureDir);
    } catch (e) {
      throw wbWrite((detail) => say('capture.folderFailed', { path: this.captureDir, detail }), e);
    }
    const capture = new SessionCapture({
      dir,
      stem: dest ? basename(dest, extname(dest)) : `${sanitizeName(k.name, k.id)}-${fileStamp(Date.now())}`,
      ...(dest ? { target: dest } : {}),
      perPeer,
      format: this.captureFormat(sessionId, format),
      transport: k.transport,
      ...(rotate ? { rotate } : {}),
      reserved: this.reserved,
      onError: (file, err) => this.captureFailed(sessionId, file, err),
    });
    capture.begin();
    this.captures.set(sessionId, { id: sessionId, capture });
    const info = capture.info();
    this.emitCapture(sessionId, info);
    return info;
  }

  private captureFailed(sessionId: string, file: CaptureFile, e: Error): void {
    const err = wbWrite((detail) => say('capture.fileFailed', { path: file.path, detail }), e);
    this.opts.emit({
      type: 'error',
      ts: Date.now(),
      sessionId,
      code: 'WRITE_FAILED',
      message: err.message,
      ...(err.why ? { why: err.why } : {}),
      ...(err.detail?.sysCode ? { sysCode: err.detail.sysCode } : {}),
    });
  }

  private async finishCapture(c: Capturing): Promise<CaptureInfo> {
    if (c.timer) clearTimeout(c.timer);
    c.timer = undefined;
    const info = await c.capture.stop();
    this.emitCapture(c.id, info);
    return info;
  }

  /** Stop capturing; answers once every file is complete on disk. */
  async stopCapture(sessionId: string): Promise<CaptureInfo> {
    this.opts.records.logOf(sessionId);
    const c = this.captures.get(sessionId);
    return c ? this.finishCapture(c) : { active: false, perPeer: false, files: [] };
  }

  captureInfo(sessionId: string): CaptureInfo | undefined {
    return this.captures.get(sessionId)?.capture.info();
  }

  // ── export ─────────────────────────────────────────────────────────────────

  /**
   * Start an export; progress follows as `export.progress` events, the last with done: true.
   * `dest`: the file chosen in the desktop app's save dialog (replaced: the dialog asked); default `<dataDir>/exports/`.
   */
  async startExport(sessionId: string, format: ExportFormat, timeZone: 'local' | 'utc', language: ExportLanguage = 'en', dest?: string): Promise<ExportInfo> {
    const k = this.opts.records.logOf(sessionId);
    try {
      if (!dest) await ensurePrivateDirAsync(this.exportDir);
    } catch (e) {
      throw wbWrite((detail) => say('export.folderFailed', { path: this.exportDir, detail }), e);
    }
    const snapshot = this.opts.records.exportSource(sessionId);
    if (k.record.error) throw wbWrite((detail) => say('record.notOnDisk', { name: k.name, detail }), k.record.error);
    const stem = `${sanitizeName(k.name, k.id)}-${fileStamp(Date.now())}${format === 'txt-hexdump' ? '-hexdump' : ''}`;
    const name = dest ? basename(dest) : uniqueName(this.exportDir, stem, EXPORT_EXT[format], this.reserved);
    const dropped = snapshot.droppedRecords;
    const info: ExportInfo = {
      exportId: `x${this.nextExport++}`,
      sessionId,
      format,
      path: dest ?? join(this.exportDir, name),
      name,
      records: 0,
      totalRecords: snapshot.records,
      ...(dropped > 0 ? { droppedRecords: dropped } : {}),
      bytes: 0,
      done: false,
      language,
    };
    const start = { ...info };
    const job = runExport({
      info,
      snapshot,
      options: {
        encodingLabel: ENCODING_LABELS[k.encoding],
        timeZone,
        bom: format === 'csv',
        language,
        header: { session: k.name, transport: k.transport, messages: snapshot.records, dropped, madeAt: Date.now(), tls: this.tlsSessions.has(sessionId) },
        // TLS sessions' records hold the decrypted application data: the file says so
        tls: this.tlsSessions.has(sessionId),
      },
      progressMs: this.progressMs,
      ...(dest ? { overwrite: true } : {}),
      cancelled: () => this.disposed,
      onProgress: (p) => this.opts.emit({ type: 'export.progress', ts: Date.now(), sessionId, export: p }),
    });
    this.exports.add(job);
    void job.finally(() => this.exports.delete(job));
    return start;
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────

  /** Finish captures and end exports. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const all = [...this.captures.values()];
    this.captures.clear();
    await Promise.all(all.map((c) => (c.capture.isActive ? this.finishCapture(c).catch(() => undefined) : undefined)));
    await Promise.all([...this.exports, ...this.finishing]);
  }
}
