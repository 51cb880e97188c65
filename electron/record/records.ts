/**
 * Every session's record, and the reads clients make of it: windows by seq
 * (`log.read`), the live tail the hub pushes, search (`log.search`), the view
 * start (`log.clear`) and the rows exports stream.
 *
 * The composition root hands it every engine event first: `data` events are
 * appended (and go no further), status, peer and error events become note
 * rows. Session facts (name, kind, encoding) come from the session's own
 * `session.opened`/`session.updated` info; local endpoints ride on the data
 * events themselves.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { WbError } from '../../shared/protocol/errors';
import { say, type Reason } from '../../shared/protocol/reason-format';
import type { EngineEvent } from '../../shared/protocol/events';
import type { LogBounds, LogFilter, LogNote, LogReadResult, LogRow, LogSearchResult } from '../../shared/protocol/log';
import type { SessionInfo, StatusEntry } from '../../shared/protocol/model';
import { ensurePrivateDir } from '../store/private';
import { DECODE_LOOKBACK, RowDecoder, streamOf } from './decode';
import type { ExportMessage } from './export/message';
import { decodeNote, encodeNote, noteText } from './format';
import { PeerTable, type PeerEntry } from './peers';
import { searchRecord } from './search';
import type { SessionLog } from './session-log';
import { cutRow, DEFAULT_RECORD_LIMIT, SessionRecord, type RecentRow } from './session-record';

/** An answer to `log.read` stops growing past this many payload bytes (always ≥ 1 row). */
const READ_MAX_BYTES = 4 * 1024 * 1024;
/** Bytes of each row a live tail carries. */
const TAIL_ROW_BYTES = 1024;

export interface RecordStoreOptions {
  dataDir: string;
  limitBytes?: number;
  /** the record of `sessionId` fell behind on disk (true) or caught up (false) */
  onPressure?(sessionId: string, paused: boolean): void;
  /** rows were appended to `sessionId` (called once per append; keep it cheap) */
  onAppend?(sessionId: string): void;
  /** the record of `sessionId` cannot be written to disk: say so to the user (once per session) */
  onFailure?(sessionId: string, why: Reason, sysCode?: string): void;
}


let instances = 0;

/** A status change as a log note: its English sentence and its Reason. */
const statusNote = (s: StatusEntry): LogNote => ({ kind: 'status', state: s.state, reason: s.reason, ...(s.why ? { why: s.why } : {}) });

const unspecified = (family: 'IPv4' | 'IPv6') =>
  family === 'IPv6' ? { address: '::', port: 0, family } : { address: '0.0.0.0', port: 0, family };

export class RecordStore {
  readonly dir: string;
  private readonly logs = new Map<string, SessionLog>();
  private readonly removing = new Set<Promise<void>>();
  private limit: number;
  private dirMade = false;
  private readonly tag: string;

  constructor(private readonly opts: RecordStoreOptions) {
    this.dir = join(opts.dataDir, 'spill');
    this.limit = opts.limitBytes ?? DEFAULT_RECORD_LIMIT;
    instances += 1;
    this.tag = instances === 1 ? `${process.pid}` : `${process.pid}-h${instances}`;
    void this.removeStale();
  }

  // ── events ────────────────────────────────────────────────────────────────

  onEvent(e: EngineEvent): void {
    switch (e.type) {
      case 'data': {
        const log = this.logs.get(e.sessionId);
        if (!log) return;
        const ref = log.peers.ref(e.peerId, e.remote, e.local);
        log.record.append(e.dir, ref, e.ts, e.bytes);
        this.opts.onAppend?.(e.sessionId);
        return;
      }
      case 'session.opened':
      case 'session.updated':
        this.learn(e.info);
        return;
      case 'session.status':
        this.note(e.sessionId, 'info', e.ts, statusNote(e.status), undefined, e.remote);
        return;
      case 'peer.joined':
        this.note(e.sessionId, 'info', e.ts, { kind: 'peer.joined' }, e.peer.peerId, e.peer.remote, e.peer.local);
        return;
      case 'peer.left':
        this.note(e.sessionId, 'info', e.ts, { kind: 'peer.left', reason: e.reason, ...(e.why ? { why: e.why } : {}) }, e.peerId, e.remote);
        return;
      case 'error':
        this.note(
          e.sessionId,
          'error',
          e.ts,
          { kind: 'error', code: e.code, message: e.message, ...(e.why ? { why: e.why } : {}), ...(e.sysCode ? { sysCode: e.sysCode } : {}) },
          e.peerId,
          e.remote,
        );
        return;
      case 'session.readPaused':
        this.note(e.sessionId, 'info', e.ts, { kind: 'paused', paused: e.paused });
        return;
      case 'session.removed': {
        const log = this.logs.get(e.sessionId);
        if (!log) return;
        this.logs.delete(e.sessionId);
        const p = log.record.remove();
        this.removing.add(p);
        void p.finally(() => this.removing.delete(p));
        return;
      }
      default:
        return;
    }
  }

  private learn(info: SessionInfo): void {
    let log = this.logs.get(info.sessionId);
    if (!log) {
      const id = info.sessionId;
      if (!this.dirMade) {
        try {
          ensurePrivateDir(this.dir);
          this.dirMade = true;
        } catch {
          // the record's first write fails the same way and reports it on the session
        }
      }
      log = {
        id,
        name: info.name,
        transport: info.kind === 'udp' ? 'udp' : 'tcp',
        encoding: info.config.rxEncoding,
        record: new SessionRecord(
          this.dir,
          `${id}-${this.tag}`,
          this.limit,
          (paused) => this.opts.onPressure?.(id, paused),
          (e) => {
            const code = (e as NodeJS.ErrnoException).code;
            const where = (e as NodeJS.ErrnoException).path ?? this.dir;
            const why = say('record.writeFailed', { name: log?.name ?? id, where, detail: e.message });
            this.opts.onFailure?.(id, why, code);
          },
        ),
        peers: new PeerTable(),
      };
      this.logs.set(id, log);
      // what happened while the session opened (its status log) starts the log
      for (const h of info.statusLog) this.note(id, 'info', h.ts, statusNote(h));
    }
    log.name = info.name;
    log.encoding = info.config.rxEncoding;
  }

  private note(
    sessionId: string,
    dir: 'info' | 'error',
    ts: number,
    note: LogNote,
    peerId?: string,
    remote?: { address: string; port: number; family: 'IPv4' | 'IPv6' },
    local?: { address: string; port: number; family: 'IPv4' | 'IPv6' },
  ): void {
    const log = this.logs.get(sessionId);
    if (!log) return;
    const ref = remote ? log.peers.ref(peerId, remote, local) : 0;
    log.record.append(dir, ref, ts, encodeNote(note));
    this.opts.onAppend?.(sessionId);
  }

  // ── facts ─────────────────────────────────────────────────────────────────

  has(sessionId: string): boolean {
    return this.logs.has(sessionId);
  }

  logOf(sessionId: string): SessionLog {
    const log = this.logs.get(sessionId);
    if (!log) throw new WbError('SESSION_NOT_FOUND', say('session.notFound', { id: sessionId }));
    return log;
  }

  bounds(sessionId: string): LogBounds {
    const r = this.logOf(sessionId).record;
    return { firstSeq: r.firstSeq, lastSeq: r.lastSeq };
  }

  /** What session.list and friends report about the record. */
  extras(sessionId: string): { spill?: ReturnType<SessionRecord['stats']>; log?: LogBounds } {
    const log = this.logs.get(sessionId);
    if (!log) return {};
    return { spill: log.record.stats(), log: { firstSeq: log.record.firstSeq, lastSeq: log.record.lastSeq } };
  }

  configure(limitBytes: number): { limitBytes: number } {
    this.limit = limitBytes;
    for (const log of this.logs.values()) log.record.setLimit(limitBytes);
    return { limitBytes };
  }

  clear(sessionId: string): LogBounds {
    const log = this.logOf(sessionId);
    log.record.clearView();
    this.opts.onAppend?.(sessionId);
    return this.bounds(sessionId);
  }

  // ── rows ──────────────────────────────────────────────────────────────────

  private toRow(log: SessionLog, r: RecentRow, text: string): LogRow {
    const peer = log.peers.get(r.peerRef);
    const row: LogRow = { seq: r.seq, ts: r.ts, dir: r.dir, size: 0, text };
    if (peer?.peerId !== undefined) row.peerId = peer.peerId;
    if (peer) row.remote = peer.remote;
    if (r.dir === 'rx' || r.dir === 'tx') {
      row.size = r.size;
      row.bytes = r.payload;
    } else {
      const note = decodeNote(r.payload);
      if (note) row.note = note;
      row.text = noteText(note, peer?.key ?? '');
    }
    return row;
  }

  /** Decode `rows` (the first `skip` are lookback only) into LogRows. */
  private present(log: SessionLog, rows: RecentRow[], skip: number): LogRow[] {
    const dec = new RowDecoder(log.encoding);
    // streams whose first shown row needs nothing carried into it skip their lookback rows
    const seen = new Set<number>();
    const clean = new Set<number>();
    for (let i = skip; i < rows.length; i++) {
      const r = rows[i] as RecentRow;
      const k = streamOf(r);
      if (seen.has(k)) continue;
      seen.add(k);
      if (dec.startsClean(r)) clean.add(k);
    }
    const out: LogRow[] = [];
    rows.forEach((r, i) => {
      if (i < skip) {
        if (!clean.has(streamOf(r)) && seen.has(streamOf(r))) dec.text(r);
        return;
      }
      out.push(this.toRow(log, r, dec.text(r)));
    });
    return out;
  }


  /** The live tail for a client that has seen up to `after`. */
  tail(sessionId: string, after: number, max: number): { rows: LogRow[]; skipped: number } & LogBounds {
    const log = this.logOf(sessionId);
    const rec = log.record;
    const from = Math.max(after, rec.firstSeq - 1);
    const shownFrom = Math.max(from + 1, rec.lastSeq - max + 1);
    // the rows shown, with a few before them so a character split into the first one decodes whole
    const window = rec.tail(shownFrom - 1 - DECODE_LOOKBACK, max + DECODE_LOOKBACK);
    // messages are cut to TAIL_ROW_BYTES; notes (info/error) never, their whole JSON is what the row says
    const cut = window.map((r) => cutRow(r, TAIL_ROW_BYTES, false));
    const rows = this.present(log, cut, cut.filter((r) => r.seq < shownFrom).length);
    return { rows, skipped: Math.max(0, rec.lastSeq - from - rows.length), firstSeq: rec.firstSeq, lastSeq: rec.lastSeq };
  }

  async read(args: { sessionId: string; fromSeq?: number; seqs?: number[]; count: number; byteLimit: number }): Promise<LogReadResult> {
    const log = this.logOf(args.sessionId);
    const rec = log.record;
    const first = rec.firstSeq;
    let rows: LogRow[];
    if (args.seqs) {
      const wanted = [...new Set(args.seqs)].filter((s) => s >= first && s <= rec.lastSeq).sort((a, b) => a - b);
      rows = [];
      let budget = READ_MAX_BYTES;
      // contiguous runs read together, each with its lookback
      for (let i = 0; i < wanted.length && budget > 0; ) {
        let j = i;
        while (j + 1 < wanted.length && (wanted[j + 1] as number) - (wanted[j] as number) <= DECODE_LOOKBACK) j++;
        const from = wanted[i] as number;
        const to = wanted[j] as number;
        const lookFrom = Math.max(rec.oldestSeq, from - DECODE_LOOKBACK);
        const raw = await rec.rows(lookFrom, to, args.byteLimit);
        const set = new Set(wanted.slice(i, j + 1));
        for (const r of this.present(log, raw, from - lookFrom)) {
          if (!set.has(r.seq)) continue;
          rows.push(r);
          budget -= r.bytes?.length ?? 0;
        }
        i = j + 1;
      }
    } else {
      const last = rec.lastSeq;
      const from = Math.max(first, args.fromSeq ?? last - args.count + 1);
      // never more than ~4 MiB of payload: fewer rows when each carries a lot
      const count = Math.max(1, Math.min(args.count, Math.floor(READ_MAX_BYTES / Math.max(1, args.byteLimit))));
      const to = Math.min(last, from + count - 1);
      const lookFrom = Math.max(rec.oldestSeq, from - DECODE_LOOKBACK);
      const raw = await rec.rows(lookFrom, to, args.byteLimit);
      rows = this.present(log, raw, Math.min(raw.length, from - lookFrom));
    }
    return { firstSeq: rec.firstSeq, lastSeq: rec.lastSeq, rows };
  }

  /** `log.search`: a page of matching seqs, scanned in slices of a few ms so sockets keep running. */
  search(args: { sessionId: string; filter: LogFilter; fromSeq?: number; maxMatches: number; budgetMs: number }): Promise<LogSearchResult> {
    return searchRecord(this.logOf(args.sessionId), args);
  }

  /**
   * The whole record's messages (rx/tx, from the oldest row still on disk,
   * whatever a view was cleared to) as the export writers want them, up to
   * the last row now.
   */
  exportSource(sessionId: string): { records: number; droppedRecords: number; read(): AsyncGenerator<ExportMessage> } {
    const log = this.logOf(sessionId);
    const rec = log.record;
    const to = rec.lastSeq;
    const stats = rec.stats();
    return {
      records: stats.records,
      droppedRecords: stats.droppedRecords,
      read: async function* () {
        const dec = new RowDecoder(log.encoding);
        for await (const batch of rec.scan(rec.oldestSeq, to)) {
          for (const r of batch) {
            if (r.dir !== 'rx' && r.dir !== 'tx') continue;
            const peer: PeerEntry | undefined = log.peers.get(r.peerRef);
            const remote = peer?.remote ?? { address: '0.0.0.0', port: 0, family: 'IPv4' as const };
            yield {
              ts: r.ts,
              dir: r.dir,
              transport: log.transport,
              local: peer?.local ?? unspecified(remote.family),
              remote,
              ...(peer?.peerId !== undefined ? { peerId: peer.peerId } : {}),
              bytes: r.payload,
              text: dec.text({ ...r, size: r.payload.length }),
            };
          }
        }
      },
    };
  }

  // ── lifecycle ─────────────────────────────────────────────────────────────

  /** Wait until a session's record is on disk (tests). */
  async sync(sessionId: string): Promise<void> {
    await this.logOf(sessionId).record.sync();
  }

  /** Record files of earlier runs whose process is gone (a crash leaves them behind). */
  private async removeStale(): Promise<void> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch {
      return;
    }
    for (const n of names) {
      const m = /^.+?-(\d+)(?:-h\d+)?\.\d+\.log$/.exec(n);
      const pid = m ? Number(m[1]) : NaN;
      if (!Number.isSafeInteger(pid) || pid === process.pid || alive(pid)) continue;
      await fsp.rm(join(this.dir, n), { force: true }).catch(() => undefined);
    }
  }

  async dispose(): Promise<void> {
    const all = [...this.logs.values()];
    this.logs.clear();
    await Promise.all([...all.map((l) => l.record.remove()), ...this.removing]);
    if (this.dirMade) {
      await fsp.rmdir(this.dir).catch(() => undefined);
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
