/**
 * The composition root: builds the engine (SessionManager), the record store,
 * the recorder (capture, exports), the command dispatcher and the hub, and
 * wires the one path of a received byte:
 *
 *   socket → session → `data` event → record (disk + recent rows)
 *                                      └→ hub.touch → `log.tail` → transports
 *
 * Every other engine event is noted in the record where it belongs in the log
 * (status, peers, errors) and published to the clients. Both transports (IPC,
 * WebSocket) attach to this one object.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WbError, type EngineEvent, type NetEvent, type Result, type SessionInfo } from '../shared/protocol';
import type { Handlers } from './commands/context';
import { createDispatcher, type Dispatcher } from './commands/dispatch';
import { automationModule } from './commands/handlers-automation';
import { logModule } from './commands/handlers-log';
import { profilesModule } from './commands/handlers-profiles';
import { recordingModule } from './commands/handlers-recording';
import { sessionModule } from './commands/handlers-session';
import { tlsModule } from './commands/handlers-tls';
import { udpModule } from './commands/handlers-udp';
import { Hub, type HubClient, type HubOptions, type HubTransport } from './hub/hub';
import { SessionManager } from './net/manager';
import { Recorder } from './record/recorder';
import { RecordStore } from './record/records';
import { ensurePrivateDir } from './store/private';

export interface BackendOptions extends HubOptions {
  /** Folder for captures, exports, records and profiles (default: a temp folder). */
  dataDir?: string;
  /** each session's record size limit (default 1 GiB) */
  recordLimitBytes?: number;
  /** where capture files go (default `<dataDir>/captures`; the log CLI's --out) */
  captureDir?: string;
}

export class Backend {
  readonly manager: SessionManager;
  readonly records: RecordStore;
  readonly recorder: Recorder;
  readonly dataDir: string;
  private readonly hub: Hub;
  private readonly dispatch: Dispatcher;

  constructor(options: BackendOptions = {}) {
    const { dataDir, recordLimitBytes, captureDir, ...hubOptions } = options;
    this.dataDir = dataDir ?? join(tmpdir(), `wirebench-${process.pid}`);
    try {
      ensurePrivateDir(this.dataDir);
    } catch {
      // reported where it matters: by the record of each session and by capture/export/profile commands
    }
    this.records = new RecordStore({
      dataDir: this.dataDir,
      ...(recordLimitBytes !== undefined ? { limitBytes: recordLimitBytes } : {}),
      onAppend: (id) => this.hub.touch(id),
      onPressure: (id, paused) => this.manager.setReadPaused(id, paused),
      onFailure: (id, why, sysCode) => this.manager.reportError(id, new WbError('WRITE_FAILED', why, sysCode ? { sysCode } : undefined)),
    });
    this.hub = new Hub(this.records, hubOptions);
    this.manager = new SessionManager((e) => this.onEngineEvent(e), { dataDir: this.dataDir });
    this.recorder = new Recorder({ dataDir: this.dataDir, ...(captureDir ? { captureDir } : {}), records: this.records, emit: (e) => this.publish(e) });
    // capture files are written from the raw chunks, before framing, so they hold every received byte
    this.manager.setRawTap((id, bytes, source) => this.recorder.onRawRx(id, bytes, source));
    const ctx = {
      manager: this.manager,
      records: this.records,
      recorder: this.recorder,
      dataDir: this.dataDir,
      emit: (e: NetEvent) => this.publish(e),
    };
    const modules = [sessionModule(ctx, (id) => this.extras(id)), automationModule(ctx), recordingModule(ctx), profilesModule(ctx), logModule(ctx), tlsModule(ctx), udpModule(ctx)];
    this.dispatch = createDispatcher(Object.assign({}, ...modules.map((m) => m.handlers)) as Handlers);
  }

  /** What the record and the recorder add to a session's info. */
  private extras(id: string): Partial<SessionInfo> {
    const capture = this.recorder.captureInfo(id);
    return { ...this.records.extras(id), ...(capture ? { capture } : {}) };
  }

  private onEngineEvent(e: EngineEvent): void {
    try {
      this.records.onEvent(e);
      if (e.type === 'data') return;
      this.recorder.onEvent(e);
      if (e.type === 'session.opened' || e.type === 'session.updated') {
        this.publish({ ...e, info: { ...e.info, ...this.extras(e.sessionId) } });
      } else {
        this.publish(e);
      }
    } catch (err) {
      console.error('[wirebench] event routing failed', err);
    }
  }

  private publish(e: NetEvent): void {
    this.hub.publish(e);
  }

  /** Run one command: validate → dispatch → Result. Never throws. */
  handle(cmd: unknown, args: unknown): Promise<Result<unknown>> {
    return this.dispatch(cmd, args);
  }

  attach(transport: HubTransport): HubClient {
    return this.hub.attach(transport);
  }

  get clientCount(): number {
    return this.hub.clientCount;
  }

  async dispose(): Promise<void> {
    this.hub.dispose();
    await this.manager.closeAll();
    await this.recorder.dispose();
    await this.records.dispose();
  }
}
