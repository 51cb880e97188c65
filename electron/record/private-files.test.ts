/** Captured traffic can hold credentials: every folder Wirebench writes is 0700 and every file 0600. */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { CaptureInfo, ExportInfo, NetEvent, Result, SessionInfo } from '../../shared/protocol';
import { Backend } from '../backend';
import { poll as until } from '../../test/fixtures/net-helpers';

let backend: Backend | undefined;
let root: string | undefined;

afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
  if (root) rmSync(root, { recursive: true, force: true });
});


async function ok<T>(cmd: string, args: unknown): Promise<T> {
  const r = (await backend!.handle(cmd, args)) as Result<T>;
  if (!r.ok) throw new Error(`${cmd}: ${r.message}`);
  return r.data;
}

const mode = (p: string): number => statSync(p).mode & 0o777;

it.skipIf(process.platform === 'win32')('data folder, record, captures and exports are private to the user', async () => {
  root = mkdtempSync(join(tmpdir(), 'wb-private-'));
  const dataDir = join(root, 'data');
  backend = new Backend({ dataDir });
  const events: NetEvent[] = [];
  backend.attach({ send: (b) => events.push(...b), backlog: () => 0 });
  const info = await ok<SessionInfo>('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 } });
  await ok<CaptureInfo>('capture.start', { sessionId: info.sessionId, perPeer: false });
  const sock = createConnection({ host: '127.0.0.1', port: info.local!.port });
  await new Promise((r) => sock.once('connect', r));
  sock.write('user=alice password=secret\n');
  await until(() => backend!.manager.info(info.sessionId).counters.rxBytes > 0);
  await ok<CaptureInfo>('capture.stop', { sessionId: info.sessionId });
  const started = await ok<ExportInfo>('export.start', { sessionId: info.sessionId, format: 'csv' });
  await until(() => events.some((e) => e.type === 'export.progress' && e.export.exportId === started.exportId && e.export.done));
  await backend.records.sync(info.sessionId);
  sock.destroy();

  expect(mode(dataDir)).toBe(0o700);
  for (const sub of ['spill', 'captures', 'exports']) {
    const dir = join(dataDir, sub);
    expect(mode(dir), sub).toBe(0o700);
    const files = readdirSync(dir);
    expect(files.length, sub).toBeGreaterThan(0);
    for (const f of files) expect(mode(join(dir, f)), `${sub}/${f}`).toBe(0o600);
  }
});
