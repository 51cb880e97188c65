/**
 * Addresses as users read them: an IPv4 client of a dual-stack (`::`) server
 * is 127.0.0.1:port, not [::ffff:127.0.0.1]:port; and what a server bound to
 * 0.0.0.0 records (and exports) has each connection's real local address.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Result, SessionInfo } from '../../shared/protocol';
import { Backend } from '../backend';

let backend: Backend | undefined;
let dir: string | undefined;
afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function serverWithClient(host: string): Promise<{ info: SessionInfo; done: () => void }> {
  dir = mkdtempSync(join(tmpdir(), 'wb-dual-'));
  backend = new Backend({ dataDir: dir });
  const r = (await backend.handle('session.open', { config: { kind: 'tcp-server', host, port: 0 } })) as Result<SessionInfo>;
  if (!r.ok) throw new Error(r.message);
  const sock = createConnection({ host: '127.0.0.1', port: r.data.local!.port });
  await new Promise((res) => sock.once('connect', res));
  sock.write('hello\n');
  const id = r.data.sessionId;
  const end = Date.now() + 10_000;
  while (backend.manager.info(id).counters.rxBytes < 6 && Date.now() < end) await new Promise((res) => setTimeout(res, 5));
  return { info: backend.manager.info(id), done: () => sock.destroy() };
}

it('an IPv4 client of a dual-stack server shows as its IPv4 address', async () => {
  const { info, done } = await serverWithClient('::');
  expect(info.peers[0]?.remote).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
  const rows = (await backend!.handle('log.read', { sessionId: info.sessionId, count: 10 })) as Result<{ rows: { dir: string; remote?: { address: string } }[] }>;
  expect(rows.ok && rows.data.rows.find((r) => r.dir === 'rx')?.remote?.address).toBe('127.0.0.1');
  done();
});

it('a server bound to 0.0.0.0 records each connection with its real local address (for pcapng)', async () => {
  const { info, done } = await serverWithClient('0.0.0.0');
  const records = [];
  for await (const rec of backend!.records.exportSource(info.sessionId).read()) records.push(rec);
  expect(records.length).toBeGreaterThan(0);
  expect(records[0]!.local).toMatchObject({ address: '127.0.0.1', port: info.local!.port });
  done();
});
