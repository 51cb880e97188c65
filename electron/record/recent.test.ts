/** The newest rows in memory stay small whatever the messages, and a cut row still carries its last character. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { RowDecoder } from './decode';
import { RecentRows } from './recent';
import { cutRow, SessionRecord } from './session-record';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('64 rows of 1 MiB hold a few hundred KiB in memory, not 64 MiB', () => {
  const recent = new RecentRows();
  const big = new Uint8Array(1024 * 1024).fill(0x61);
  for (let s = 1; s <= 100; s++) recent.push(s, 'tx', 1, s, big, 0, big.length);
  expect(recent.heldBytes).toBeLessThan(512 * 1024);
  const row = recent.get(100)!;
  expect(row.size).toBe(big.length);
  expect(row.payload.length).toBeLessThan(big.length);
  expect(row.end?.length).toBe(16);
});

it('a large row is read whole from disk when more than memory holds is asked for', async () => {
  dir = mkdtempSync(join(tmpdir(), 'wb-recent-'));
  const rec = new SessionRecord(dir, 't');
  const big = new Uint8Array(200_000).map((_, i) => i & 0xff);
  rec.append('rx', 1, 1, big);
  const [whole] = await rec.rows(1, 1, 16 * 1024 * 1024);
  expect(Buffer.from(whole!.payload).equals(Buffer.from(big))).toBe(true);
  const [head] = await rec.rows(1, 1, 100);
  expect(Buffer.from(head!.payload).equals(Buffer.from(big.subarray(0, 100)))).toBe(true);
  expect(head!.size).toBe(big.length);
  await rec.remove();
});

it('a UTF-8 character split after a cut row still shows whole in the next row', () => {
  const dec = new RowDecoder('utf-8');
  const euro = Buffer.from('€', 'utf8'); // e2 82 ac
  const first = Buffer.concat([Buffer.alloc(5000, 0x61), euro.subarray(0, 2)]);
  const second = Buffer.concat([euro.subarray(2), Buffer.from(' end')]);
  const cut = cutRow({ seq: 1, dir: 'rx', peerRef: 1, ts: 0, payload: first, size: first.length }, 1024, false);
  expect(cut.payload.length).toBe(1024);
  expect(dec.text(cut)).toBe('a'.repeat(1024));
  expect(dec.text({ dir: 'rx', peerRef: 1, payload: second, size: second.length })).toBe('€ end');
});
