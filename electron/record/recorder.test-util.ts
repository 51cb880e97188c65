/** Helpers for the record / capture / export tests: a backend on a temp data dir, and what a small view of it sees. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandName, CommandResults, LogRow, NetEvent, Result, SessionConfigInput } from '../../shared/protocol';
import type { SessionInfo } from '../../shared/protocol/model';
import { Backend, type BackendOptions } from '../backend';
import { readLog, type ReadLogOptions } from '../../test/fixtures/log-helpers';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A hub client that keeps every event but the tails, and of the tails' rows
 * only the last `ring` (a tiny view). `droppedRows` counts the rows this view
 * never held or let go: those the hub skipped and those the ring pushed out.
 */
export class ViewClient {
  events: NetEvent[] = [];
  rows: LogRow[] = [];
  droppedRows = 0;
  tails = 0;
  private waiters: { test: (e: NetEvent) => boolean; resolve: (e: NetEvent) => void }[] = [];
  constructor(private readonly ring = 100) {}
  send(batch: NetEvent[]): void {
    for (const e of batch) {
      if (e.type === 'log.tail') {
        this.tails += 1;
        this.droppedRows += e.skipped;
        for (const r of e.rows) {
          this.rows.push(r);
          if (this.rows.length > this.ring) {
            this.rows.shift();
            this.droppedRows += 1;
          }
        }
      } else this.events.push(e);
      for (const w of this.waiters.filter((x) => x.test(e))) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  }
  backlog(): number {
    return 0;
  }
  /** The first event (from now on, or already seen) that passes `test` (tails are seen from now on only). */
  waitFor<T extends NetEvent>(test: (e: NetEvent) => e is T, ms?: number): Promise<T>;
  waitFor(test: (e: NetEvent) => boolean, ms?: number): Promise<NetEvent>;
  waitFor(test: (e: NetEvent) => boolean, ms = 60_000): Promise<NetEvent> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('timed out waiting for an event')), ms);
      this.waiters.push({ test, resolve: (e) => (clearTimeout(t), resolve(e)) });
    });
  }
}

export interface TestBackend {
  backend: Backend;
  dataDir: string;
  view: ViewClient;
  call<C extends CommandName>(cmd: C, args: unknown): Promise<CommandResults[C]>;
  raw(cmd: CommandName, args: unknown): Promise<Result<unknown>>;
  /** The session's log rows, read back with log.read. */
  read(sessionId: string, opts?: ReadLogOptions): Promise<LogRow[]>;
  close(): Promise<void>;
}

export function makeBackend(opts: BackendOptions = {}, dataDir = mkdtempSync(join(tmpdir(), 'wb-rec-'))): TestBackend {
  const backend = new Backend({ ...opts, dataDir });
  const view = new ViewClient();
  const client = backend.attach(view);
  let closed = false;
  return {
    backend,
    dataDir,
    view,
    async call(cmd, args) {
      const r = await backend.handle(cmd, args);
      if (!r.ok) throw new Error(`${cmd}: ${r.code} ${r.message}`);
      return r.data as CommandResults[typeof cmd];
    },
    raw: (cmd, args) => backend.handle(cmd, args),
    read: (sessionId, o) => readLog((cmd, args) => backend.handle(cmd, args), sessionId, o),
    async close() {
      if (closed) return;
      closed = true;
      client.detach();
      await backend.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function openSession(t: TestBackend, config: SessionConfigInput): Promise<SessionInfo> {
  return t.call('session.open', { config });
}

export async function connect(port: number, host = '127.0.0.1'): Promise<Socket> {
  const s = createConnection({ host, port });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('error', reject);
  });
  return s;
}

/** Wait until the session's counters say `rxBytes` (or more) arrived. */
export function rxBytesReached(t: TestBackend, sessionId: string, bytes: number, ms = 120_000): Promise<NetEvent> {
  return t.view.waitFor((e) => e.type === 'counters' && e.sessionId === sessionId && e.counters.rxBytes >= bytes, ms);
}

export function rxMessagesReached(t: TestBackend, sessionId: string, n: number, ms = 60_000): Promise<NetEvent> {
  return t.view.waitFor((e) => e.type === 'counters' && e.sessionId === sessionId && e.counters.rxMessages >= n, ms);
}

/** The final progress report of an export. */
export async function exportDone(t: TestBackend, exportId: string, ms = 60_000): Promise<Extract<NetEvent, { type: 'export.progress' }>> {
  return t.view.waitFor(
    (e): e is Extract<NetEvent, { type: 'export.progress' }> => e.type === 'export.progress' && e.export.exportId === exportId && e.export.done,
    ms,
  );
}
