/**
 * The engine's front door: a Map of sessions, fanning their events into one
 * sink. Every public method throws only WbError (anything unexpected becomes
 * INTERNAL); nothing escapes into the event loop.
 *
 * open(): the session is created and its first start attempt awaited while its
 * events are held back. On success `session.opened` is emitted (its info
 * already carries the status log), followed by the held events other than
 * `session.status`. On failure the session is removed again, the held events
 * are dropped and open() throws: no `session.opened` and no `session.removed`
 * is ever emitted for a session that did not open.
 *
 * Names are distinct (session-names.ts): a name another session shows gets
 * the first free " (2)", " (3)"… when opened or renamed.
 *
 * Automation lives here too: reply rules (run by each session), periodic
 * sends and sequences (scheduler.ts) and file transfers (transfer.ts).
 * Stopping a session ends its schedules and fails its transfers; closing it
 * forgets them.
 */
import type { ScheduleInfo, TransferInfo } from '../../shared/protocol/automation';
import { WbError } from '../../shared/protocol/errors';
import { say } from '../../shared/protocol/reason-format';
import type { EngineEvent, EventSink } from '../../shared/protocol/events';
import type { SendReport, SessionInfo } from '../../shared/protocol/model';
import type { UdpStats } from '../../shared/protocol/udp';
import type { PeerHitLog, RuleSet, RuleStat } from '../../shared/protocol/rules';
import type { SendPayload, SendTarget, SessionConfig, SessionOptions } from '../../shared/protocol/schemas';
import { asWbError } from './errors';
import { encodePayload } from './payload';
import { distinctName } from './session-names';
import { Scheduler, type PeriodicArgs, type SequenceArgs } from './scheduler';
import type { RawSource, RawTap, SessionBase } from './session-base';
import { describeOption } from './session-io';
import { Transfers, type TransferBegin } from './transfer';
import { TcpClientSession } from './session-tcp-client';
import { TcpServerSession } from './session-tcp-server';
import { UdpSession } from './session-udp';

type Session = TcpClientSession | TcpServerSession | UdpSession;
type Mode = 'hold' | 'live' | 'dead';

interface Entry {
  session: Session;
  mode: Mode;
  held: EngineEvent[];
}

async function guard<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asWbError(e);
  }
}

function guardSync<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw asWbError(e);
  }
}

export interface SessionManagerOptions {
  now?: () => number;
  /** the data folder: TLS key logs and the generated machine certificate live in its `tls/` */
  dataDir?: string;
}

export class SessionManager {
  private readonly entries = new Map<string, Entry>();
  private readonly sink: EventSink;
  private readonly now: () => number;
  private readonly dataDir: string | undefined;
  private nextId = 1;
  private readonly scheduler: Scheduler;
  private readonly transfers: Transfers;

  constructor(sink: EventSink, opts?: SessionManagerOptions) {
    this.sink = sink;
    this.now = opts?.now ?? Date.now;
    this.dataDir = opts?.dataDir;
    const host = {
      check: (id: string): void => this.checkRunning(id),
      send: (id: string, bytes: Uint8Array, target: SendTarget) => this.entry(id).session.send(bytes, target),
      emit: (ev: EngineEvent): void => this.emit(ev),
      now: (): number => this.now(),
    };
    this.scheduler = new Scheduler(host);
    this.transfers = new Transfers(host);
  }

  /** Automation needs a session that can send now. */
  private checkRunning(id: string): void {
    const { session } = this.entry(id);
    if (!session.isRunning) throw new WbError('NOT_CONNECTED', say('session.stoppedStartFirst'));
  }

  private emit(ev: EngineEvent): void {
    try {
      this.sink(ev);
    } catch {
      // a faulty sink must never break the engine
    }
  }

  private rawTap: RawTap | undefined;

  /** Receive every chunk as it came off a socket, before framing (raw capture). */
  setRawTap(tap: RawTap | undefined): void {
    this.rawTap = tap;
  }

  private entry(id: string): Entry {
    const e = this.entries.get(id);
    if (!e || e.mode === 'dead') throw new WbError('SESSION_NOT_FOUND', say('session.notFound', { id }));
    return e;
  }

  private create(id: string, config: SessionConfig, entryRef: { current?: Entry }): Session {
    const ctx = {
      now: this.now,
      dataDir: this.dataDir,
      tap: (sessionId: string, bytes: Uint8Array, source: RawSource): void =>
        this.rawTap?.(sessionId, bytes, source),
      emit: (ev: EngineEvent): void => {
        const e = entryRef.current;
        if (!e || e.mode === 'dead') return;
        if (e.mode === 'hold') e.held.push(ev);
        else this.emit(ev);
      },
    };
    switch (config.kind) {
      case 'tcp-client':
        return new TcpClientSession(id, config, ctx);
      case 'tcp-server':
        return new TcpServerSession(id, config, ctx);
      case 'udp':
        return new UdpSession(id, config, ctx);
    }
  }

  /**
   * Create a session and start it. When the start fails the session is
   * removed and open() throws, unless `keepOnFailure`: then the session stays,
   * in state `error` with the reason in its status log, its config and rules
   * intact, ready to be started again (a TCP client whose device is off).
   */
  open(config: SessionConfig, opts: { keepOnFailure?: boolean } = {}): Promise<SessionInfo> {
    return guard(async () => {
      const id = `s${this.nextId++}`;
      if (config.name?.trim()) config = { ...config, name: distinctName(config.name, this.namesBut(id)) };
      const ref: { current?: Entry } = {};
      const session = this.create(id, config, ref);
      const entry: Entry = { session, mode: 'hold', held: [] };
      ref.current = entry;
      this.entries.set(id, entry);
      try {
        await session.start();
      } catch (e) {
        if (!opts.keepOnFailure || entry.mode === 'dead') {
          entry.mode = 'dead';
          entry.held = [];
          this.entries.delete(id);
          await session.stop().catch(() => undefined);
          throw e;
        }
        // kept: it is announced like any session, its failed start in its status log
      }
      if (entry.mode === 'dead') throw new WbError('SESSION_NOT_FOUND', say('session.closedWhileOpening', { id }));
      // an unnamed session shows where it connects or listens: a second one of its kind to the same place is
      // told apart (a server and a client on the same address differ by their kind, which the list shows)
      if (!config.name?.trim()) {
        const shown = session.shownName;
        const distinct = distinctName(shown, this.namesBut(id, config.kind));
        if (distinct !== shown) session.update({ name: distinct });
      }
      const held = entry.held;
      entry.held = [];
      entry.mode = 'live';
      const info = session.info();
      this.emit({ type: 'session.opened', ts: this.now(), sessionId: id, info });
      for (const ev of held) if (ev.type !== 'session.status') this.emit(ev);
      return info;
    });
  }

  start(id: string): Promise<SessionInfo> {
    return guard(async () => {
      const { session } = this.entry(id);
      if (session.isRunning) return session.info();
      await session.start();
      return session.info();
    });
  }

  stop(id: string): Promise<SessionInfo> {
    return guard(async () => {
      const { session } = this.entry(id);
      this.endAutomation(id, false);
      await session.stop();
      return session.info();
    });
  }

  close(id: string): Promise<void> {
    return guard(async () => {
      const entry = this.entry(id);
      this.endAutomation(id, true);
      await entry.session.stop(say('status.closed'));
      const wasLive = entry.mode === 'live';
      entry.mode = 'dead';
      this.entries.delete(id);
      if (wasLive) this.emit({ type: 'session.removed', ts: this.now(), sessionId: id });
    });
  }

  /** The names the other sessions (of `kind`, if given) show; those opening too, so two opened at once stay apart. */
  private namesBut(id: string, kind?: SessionConfig['kind']): Set<string> {
    const names = new Set<string>();
    for (const [other, e] of this.entries)
      if (other !== id && e.mode !== 'dead' && (!kind || e.session.config.kind === kind)) names.add(e.session.shownName.trim());
    return names;
  }

  list(): SessionInfo[] {
    return guardSync(() => [...this.entries.values()].filter((e) => e.mode === 'live').map((e) => e.session.info()));
  }

  info(id: string): SessionInfo {
    return guardSync(() => this.entry(id).session.info());
  }

  private updated(session: SessionBase): SessionInfo {
    const info = session.info();
    this.emit({ type: 'session.updated', ts: this.now(), sessionId: info.sessionId, info });
    return info;
  }

  update(id: string, options: SessionOptions): Promise<SessionInfo> {
    return guard(() => {
      const { session } = this.entry(id);
      if (options.name?.trim()) options = { ...options, name: distinctName(options.name, this.namesBut(id)) };
      if (!(session instanceof UdpSession))
        for (const key of ['recvBufferSize', 'sequence'] as const)
          if (options[key] !== undefined) throw describeOption(key, session.config.kind);
      session.update(options);
      return this.updated(session);
    });
  }

  resetCounters(id: string): SessionInfo {
    return guardSync(() => {
      const { session } = this.entry(id);
      session.resetCounters();
      return this.updated(session);
    });
  }

  send(id: string, payload: SendPayload, target: SendTarget): Promise<SendReport> {
    return guard(async () => {
      this.entry(id);
      const bytes = encodePayload(payload);
      return this.sendBytes(id, bytes, target);
    });
  }

  sendBytes(id: string, bytes: Uint8Array, target: SendTarget): Promise<SendReport> {
    return guard(() => this.entry(id).session.send(bytes, target));
  }

  // ---------------------------------------------------------------- automation

  /** Replace a session's reply rules; emits session.updated and rules.stats. */
  setRules(id: string, rules: RuleSet): SessionInfo {
    return guardSync(() => {
      const { session } = this.entry(id);
      session.setRules(rules);
      return this.updated(session);
    });
  }

  ruleStats(id: string): RuleStat[] {
    return guardSync(() => this.entry(id).session.ruleStats());
  }

  ruleHits(id: string, peer?: string): PeerHitLog[] {
    return guardSync(() => this.entry(id).session.ruleHits(peer));
  }

  startPeriodic(args: PeriodicArgs): ScheduleInfo {
    return guardSync(() => this.scheduler.startPeriodic(args));
  }

  startSequence(args: SequenceArgs): ScheduleInfo {
    return guardSync(() => this.scheduler.startSequence(args));
  }

  stopSchedule(sessionId: string, scheduleId: string): ScheduleInfo {
    return guardSync(() => {
      this.entry(sessionId);
      return this.scheduler.stop(sessionId, scheduleId);
    });
  }

  /** Running and recently ended schedules of one session (or of all). */
  listSchedules(sessionId?: string): ScheduleInfo[] {
    return guardSync(() => {
      if (sessionId !== undefined) this.entry(sessionId);
      return this.scheduler.list(sessionId);
    });
  }

  beginTransfer(args: TransferBegin): TransferInfo {
    return guardSync(() => this.transfers.begin(args));
  }

  /** One chunk of a file; resolves after it was written to every target. */
  transferChunk(transferId: string, bytes: Uint8Array): Promise<TransferInfo> {
    return guard(() => this.transfers.chunk(transferId, bytes));
  }

  endTransfer(transferId: string): Promise<TransferInfo> {
    return guard(() => this.transfers.end(transferId));
  }

  cancelTransfer(transferId: string): TransferInfo {
    return guardSync(() => this.transfers.cancel(transferId));
  }

  private endAutomation(id: string, forget: boolean): void {
    const schedule = say('schedule.sessionStopped');
    const transfer = say('transfer.sessionStopped');
    if (forget) {
      this.scheduler.forgetSession(id, schedule);
      this.transfers.forgetSession(id, transfer);
    } else {
      this.scheduler.stopSession(id, schedule);
      this.transfers.stopSession(id, transfer);
    }
  }

  disconnectPeer(id: string, peerId: string): Promise<void> {
    return guard(() => this.entry(id).session.disconnectPeer(peerId));
  }

  multicast(id: string, action: 'join' | 'leave', group: string, iface?: string): SessionInfo {
    return guardSync(() => {
      const { session } = this.entry(id);
      if (!(session instanceof UdpSession))
        throw new WbError('INVALID_ARGUMENT', say('session.multicastUdpOnly'), { field: 'sessionId' });
      session.multicast(action, group, iface);
      return this.updated(session);
    });
  }

  /** A UDP session's per-source statistics, with the kernel's drop count read now. */
  async udpStats(id: string): Promise<UdpStats> {
    const { session } = this.entry(id);
    if (!(session instanceof UdpSession)) throw new WbError('INVALID_ARGUMENT', say('udp.statsUdpOnly'), { field: 'sessionId' });
    return session.stats();
  }

  /** Report a problem of one session's surroundings (its record, its files) as the session's error event. */
  reportError(id: string, err: WbError): void {
    const e = this.entries.get(id);
    if (!e || e.mode === 'dead') return;
    e.session.emitError(err);
  }

  /**
   * The engine's own limit: pause or resume reading one session's TCP sockets
   * while its record catches up on disk (UDP cannot be paused). Announced as
   * `session.readPaused`. Nothing a client does ever pauses a socket.
   */
  setReadPaused(id: string, paused: boolean): void {
    const e = this.entries.get(id);
    // UDP cannot be paused: its record simply catches up
    if (!e || e.mode === 'dead' || e.session instanceof UdpSession) return;
    try {
      e.session.setReadPaused(paused);
    } catch {
      // a socket that is going away cannot be paused; nothing to do
    }
    this.emit({ type: 'session.readPaused', ts: this.now(), sessionId: id, paused });
  }

  /** Close every session, socket, server and timer (app quit). */
  async closeAll(): Promise<void> {
    const ids = [...this.entries.keys()];
    await Promise.all(ids.map((id) => this.close(id).catch(() => undefined)));
    this.scheduler.dispose();
  }
}
