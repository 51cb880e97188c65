/**
 * An unusable data folder: every command says the real cause (never "There is
 * no session"), the session itself says its log cannot be written, and the
 * newest rows are still shown from memory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { LogReadResult, NetEvent, Result, SessionInfo } from '../../shared/protocol';
import { Backend } from '../backend';
import { poll as until } from '../../test/fixtures/net-helpers';

let backend: Backend | undefined;
let root: string | undefined;

afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
  if (root) rmSync(root, { recursive: true, force: true });
});


it('a data folder that cannot be written is reported on the session and by every command', async () => {
  root = mkdtempSync(join(tmpdir(), 'wb-rec-err-'));
  const file = join(root, 'not-a-folder');
  writeFileSync(file, 'x');
  // a folder inside a file: ENOTDIR for every write, also for root (permissions would not stop root)
  backend = new Backend({ dataDir: join(file, 'data') });
  const events: NetEvent[] = [];
  backend.attach({ send: (b) => events.push(...b), backlog: () => 0 });

  const opened = (await backend.handle('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 } })) as Result<SessionInfo>;
  expect(opened.ok).toBe(true);
  const info = (opened as { data: SessionInfo }).data;
  const sock = createConnection({ host: '127.0.0.1', port: info.local!.port });
  await new Promise((r) => sock.once('connect', r));
  sock.write('hello\n');

  await until(() => events.some((e) => e.type === 'error' && e.sessionId === info.sessionId && /Could not write the log/.test(e.message)));
  const err = events.find((e) => e.type === 'error' && /Could not write the log/.test(e.message));
  expect(err).toMatchObject({ code: 'WRITE_FAILED', sysCode: 'ENOTDIR' });

  const list = (await backend.handle('session.list', {})) as Result<SessionInfo[]>;
  expect(list.ok && list.data[0]?.spill?.error).toMatch(/ENOTDIR/);

  for (const [cmd, args] of [
    ['capture.start', { sessionId: info.sessionId, perPeer: false }],
    ['export.start', { sessionId: info.sessionId, format: 'csv' }],
  ] as const) {
    const r = (await backend.handle(cmd, args)) as Result<unknown>;
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('WRITE_FAILED');
      expect(r.message).not.toMatch(/There is no session/);
      expect(r.message).toMatch(/ENOTDIR|not a directory/i);
    }
  }

  // the newest rows are still there to see
  await until(() => backend!.manager.info(info.sessionId).counters.rxBytes === 6);
  const read = (await backend.handle('log.read', { sessionId: info.sessionId, count: 20 })) as Result<LogReadResult>;
  expect(read.ok && read.data.rows.some((r) => r.dir === 'rx' && r.text === 'hello\n')).toBe(true);
  sock.destroy();
});
