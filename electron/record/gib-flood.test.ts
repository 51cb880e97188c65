/**
 * The record is the log, whatever a view does: after a 1 GiB flood with a
 * live client attached (taking every tail, as an open UI does), the record
 * holds every byte the sender sent (sha256), and the counters are exact.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { LogReadResult, NetEvent, Result, SessionInfo } from '../../shared/protocol';
import { floodTcp } from '../../test/fixtures/net-helpers';
import { Backend } from '../backend';

const GiB = 1024 * 1024 * 1024;
let backend: Backend | undefined;
let dir: string | undefined;
afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function ok<T>(cmd: string, args: unknown): Promise<T> {
  const r = (await backend!.handle(cmd, args)) as Result<T>;
  if (!r.ok) throw new Error(`${cmd}: ${r.message}`);
  return r.data;
}

it('1 GiB into a session with a live view: the record hashes equal to the sender, counters exact', async () => {
  dir = mkdtempSync(join(tmpdir(), 'wb-gib-'));
  backend = new Backend({ dataDir: dir, recordLimitBytes: 2 * GiB });
  let tails = 0;
  backend.attach({
    send: (batch: NetEvent[]) => {
      for (const e of batch) if (e.type === 'log.tail') tails++;
    },
    backlog: () => 0,
  });
  const info = await ok<SessionInfo>('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 } });
  const sent = await floodTcp(info.local!.port, GiB);
  const end = Date.now() + 120_000;
  while (backend.manager.info(info.sessionId).counters.rxBytes < GiB && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  const counters = backend.manager.info(info.sessionId).counters;
  expect(counters.rxBytes).toBe(GiB);
  // the view was live all along, at a bounded rate
  expect(tails).toBeGreaterThan(0);

  // read the whole record back, page by page, hashing as it comes
  const hash = createHash('sha256');
  let rxRows = 0;
  let from = 1;
  for (;;) {
    const page = await ok<LogReadResult>('log.read', { sessionId: info.sessionId, fromSeq: from, count: 16, byteLimit: 256 * 1024 });
    for (const r of page.rows) {
      if (r.dir !== 'rx') continue;
      expect(r.bytes?.byteLength).toBe(r.size);
      hash.update(r.bytes!);
      rxRows++;
    }
    const last = page.rows[page.rows.length - 1];
    if (!last || last.seq >= page.lastSeq) break;
    from = last.seq + 1;
  }
  expect(rxRows).toBe(counters.rxMessages);
  expect(hash.digest('hex')).toBe(sent);
}, 600_000);
