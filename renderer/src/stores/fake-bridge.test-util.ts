/**
 * A scriptable Bridge for store tests: canned answers per command, events and
 * states pushed by hand; and FakeLog, an in-memory engine record answering the
 * log commands by their contract.
 */
import { parseHex } from '../../../shared/codec/hex';
import { err, logCommands, LOG_ROW_BYTES_DEFAULT, ok } from '../../../shared/protocol';
import type {
  CommandInput,
  CommandName,
  CommandResults,
  Endpoint,
  LogBounds,
  LogDir,
  LogNote,
  LogReadResult,
  LogRow,
  LogSearchResult,
  LogTailEvent,
  NetEvent,
  Result,
} from '../../../shared/protocol';
import type { Bridge, ConnectionState } from '../bridge/types';

/** A canned answer, or a promise of one (to hold a request pending). */
type Handler<C extends CommandName> = (args: CommandInput<C>) => Result<CommandResults[C]> | Promise<Result<CommandResults[C]>>;

export class FakeBridge implements Bridge {
  readonly kind = 'ws' as const;
  fileUrl(folder: 'exports' | 'captures', name: string): string {
    return `/files/${folder}/${name}`;
  }
  readonly calls: { cmd: CommandName; args: unknown }[] = [];
  private handlers = new Map<CommandName, (args: unknown) => Result<unknown> | Promise<Result<unknown>>>();
  private eventCbs = new Set<(events: NetEvent[]) => void>();
  private stateCbs = new Set<(s: ConnectionState) => void>();

  on<C extends CommandName>(cmd: C, h: Handler<C>): this {
    this.handlers.set(cmd, h as (args: unknown) => Result<unknown> | Promise<Result<unknown>>);
    return this;
  }

  request<C extends CommandName>(cmd: C, args: CommandInput<C>): Promise<Result<CommandResults[C]>> {
    this.calls.push({ cmd, args });
    const h = this.handlers.get(cmd);
    const r = h ? h(args) : err('UNKNOWN_COMMAND', `no fake answer for ${cmd}`);
    return Promise.resolve(r as Result<CommandResults[C]> | Promise<Result<CommandResults[C]>>);
  }

  onEvents(cb: (events: NetEvent[]) => void): () => void {
    this.eventCbs.add(cb);
    return () => this.eventCbs.delete(cb);
  }

  onConnection(cb: (state: ConnectionState) => void): () => void {
    this.stateCbs.add(cb);
    return () => this.stateCbs.delete(cb);
  }

  emit(events: NetEvent[]): void {
    for (const cb of this.eventCbs) cb(events);
  }

  setState(s: ConnectionState): void {
    for (const cb of this.stateCbs) cb(s);
  }

  callsOf(cmd: CommandName): unknown[] {
    return this.calls.filter((c) => c.cmd === cmd).map((c) => c.args);
  }
}

/** A row as the fake engine stores it: whole bytes. */
export interface FakeRowInput {
  dir: LogDir;
  /** rx/tx payload (a string is UTF-8 encoded) */
  bytes?: Uint8Array | string;
  /** info/error: the English sentence */
  text?: string;
  note?: LogNote;
  remote?: Endpoint;
  peerId?: string;
  ts?: number;
}

interface FakeSessionLog {
  rows: LogRow[];
  firstSeq: number;
  /** the newest seq a tail event has carried to the client */
  tailed: number;
}

const enc = new TextEncoder();
const utf8 = (b: Uint8Array): string => new TextDecoder().decode(b);

/** What the engine compares a peer filter with: `addr:port`, IPv6 in brackets. */
const peerKeyOf = (ep: Endpoint): string => (ep.family === 'IPv6' ? `[${ep.address}]:${ep.port}` : `${ep.address}:${ep.port}`);

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

/**
 * A fake engine record behind a FakeBridge: every session's rows in memory
 * (whole bytes), and `log.read`, `log.search`, `log.clear` answered by the
 * contract of shared/protocol/log.ts — arguments parsed by its schemas,
 * rows truncated to `byteLimit` and decoded from the truncated bytes, answers
 * capped at `answerLimitBytes` (≥ 1 row), searches that scan at most
 * `scanPerCall` rows per call and continue from `nextSeq`. `tail()` makes the
 * `log.tail` event the hub would send to this client next.
 */
export class FakeLog {
  private logs = new Map<string, FakeSessionLog>();
  /** the session's receive decoder (tests change it to check re-decoding) */
  decode: (bytes: Uint8Array) => string = utf8;
  /** rows one log.search call scans before its "time budget" runs out */
  scanPerCall = 1000;
  /** an answer of log.read stops growing past this many bytes */
  answerLimitBytes = 4 * 1024 * 1024;
  /** while true, log.read answers wait for releaseReads() */
  holdReads = false;
  private held: (() => void)[] = [];

  constructor(private readonly bridge: FakeBridge) {
    bridge.on('log.read', (a) => this.gate(() => this.read(a)));
    bridge.on('log.search', (a) => this.search(a));
    bridge.on('log.clear', (a) => this.clear(a));
  }

  /** Append rows to a session's record; returns them with their seqs. */
  append(sessionId: string, ...inputs: FakeRowInput[]): LogRow[] {
    const log = this.logOf(sessionId);
    return inputs.map((r) => {
      const bytes = typeof r.bytes === 'string' ? enc.encode(r.bytes) : r.bytes;
      const row: LogRow = {
        seq: log.rows.length + 1,
        ts: r.ts ?? 1_700_000_000_000 + log.rows.length,
        dir: r.dir,
        ...(r.peerId ? { peerId: r.peerId } : {}),
        ...(r.remote ? { remote: r.remote } : {}),
        size: bytes?.length ?? 0,
        ...(bytes ? { bytes } : {}),
        text: bytes ? '' : (r.text ?? ''),
        ...(r.note ? { note: r.note } : {}),
      };
      log.rows.push(row);
      return row;
    });
  }

  bounds(sessionId: string): LogBounds {
    const log = this.logOf(sessionId);
    return { firstSeq: log.firstSeq, lastSeq: log.rows.length };
  }

  /** The next `log.tail` event for this client: the newest ≤ maxRows rows since the previous tail. */
  tail(sessionId: string, maxRows = 64): LogTailEvent {
    const log = this.logOf(sessionId);
    const from = Math.max(log.tailed + 1, log.firstSeq);
    const last = log.rows.length;
    const fresh = Math.max(0, last - from + 1);
    const start = Math.max(from, last - maxRows + 1);
    const rows: LogRow[] = [];
    for (let s = start; s <= last; s++) rows.push(this.view(log.rows[s - 1] as LogRow, LOG_ROW_BYTES_DEFAULT));
    log.tailed = last;
    return { type: 'log.tail', ts: Date.now(), sessionId, rows, skipped: fresh - rows.length, ...this.bounds(sessionId) };
  }

  /** Emit the next tail event through the bridge. */
  emitTail(sessionId: string, maxRows = 64): LogTailEvent {
    const ev = this.tail(sessionId, maxRows);
    this.bridge.emit([ev]);
    return ev;
  }

  releaseReads(): void {
    const held = this.held;
    this.held = [];
    for (const go of held) go();
  }

  private gate<T>(answer: () => T): T | Promise<T> {
    if (!this.holdReads) return answer();
    return new Promise<T>((resolve) => this.held.push(() => resolve(answer())));
  }

  private logOf(sessionId: string): FakeSessionLog {
    let log = this.logs.get(sessionId);
    if (!log) {
      log = { rows: [], firstSeq: 1, tailed: 0 };
      this.logs.set(sessionId, log);
    }
    return log;
  }

  /** A stored row as a client gets it: at most `byteLimit` bytes, text decoded from those. */
  private view(row: LogRow, byteLimit: number): LogRow {
    if (!row.bytes) return { ...row };
    const bytes = row.bytes.slice(0, byteLimit);
    return { ...row, bytes, text: this.decode(bytes) };
  }

  private read(input: CommandInput<'log.read'>): Result<LogReadResult> {
    const parsed = logCommands['log.read'].args.safeParse(input);
    if (!parsed.success) return err('INVALID_ARGUMENT', parsed.error.message);
    const a = parsed.data;
    const log = this.logOf(a.sessionId);
    const last = log.rows.length;
    let seqs: number[];
    if (a.seqs) seqs = [...new Set(a.seqs)].sort((x, y) => x - y);
    else {
      const from = a.fromSeq ?? Math.max(1, last - a.count + 1);
      seqs = [];
      for (let s = from; s < from + a.count; s++) seqs.push(s);
    }
    const rows: LogRow[] = [];
    let bytes = 0;
    for (const s of seqs) {
      if (s < log.firstSeq || s > last) continue;
      if (rows.length >= a.count || (rows.length > 0 && bytes >= this.answerLimitBytes)) break;
      const row = this.view(log.rows[s - 1] as LogRow, a.byteLimit);
      bytes += (row.bytes?.length ?? 0) + row.text.length * 2;
      rows.push(row);
    }
    return ok({ rows, ...this.bounds(a.sessionId) });
  }

  private search(input: CommandInput<'log.search'>): Result<LogSearchResult> {
    const parsed = logCommands['log.search'].args.safeParse(input);
    if (!parsed.success) return err('INVALID_ARGUMENT', parsed.error.message);
    const a = parsed.data;
    const f = a.filter;
    let needle: Uint8Array | null = null;
    if (f.mode === 'hex' && f.query.trim() !== '') {
      try {
        needle = parseHex(f.query);
      } catch (e) {
        return err('BAD_HEX', e instanceof Error ? e.message : String(e));
      }
    }
    const text = f.query.trim().toLowerCase();
    const match = (row: LogRow): boolean => {
      if (f.dirs && !f.dirs.includes(row.dir)) return false;
      if (f.peer !== undefined && (!row.remote || peerKeyOf(row.remote) !== f.peer)) return false;
      if (needle) return !!row.bytes && containsBytes(row.bytes, needle);
      if (text !== '') return (row.bytes ? this.decode(row.bytes) : row.text).toLowerCase().includes(text);
      return true;
    };
    const log = this.logOf(a.sessionId);
    const last = log.rows.length;
    let s = Math.max(a.fromSeq ?? log.firstSeq, log.firstSeq);
    const seqs: number[] = [];
    let scanned = 0;
    while (s <= last && scanned < this.scanPerCall && seqs.length < a.maxMatches) {
      if (match(log.rows[s - 1] as LogRow)) seqs.push(s);
      scanned++;
      s++;
    }
    return ok({ seqs, nextSeq: s, done: s > last, scanned, ...this.bounds(a.sessionId) });
  }

  private clear(input: CommandInput<'log.clear'>): Result<LogBounds> {
    const log = this.logOf(input.sessionId);
    log.firstSeq = log.rows.length + 1;
    return ok(this.bounds(input.sessionId));
  }
}
