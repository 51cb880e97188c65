/**
 * Exports and captures written where the desktop app's save dialog said:
 * the file is streamed there while the record is read (never assembled in
 * memory first), a file the dialog agreed to replace is replaced, and
 * per-peer capture files go beside the chosen one.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportInfo } from '../../shared/protocol';
import { runExport } from './exporter';
import type { ExportMessage } from './export/message';
import { connect, exportDone, makeBackend, openSession, rxBytesReached, rxMessagesReached, type TestBackend } from './recorder.test-util';

const local = { address: '127.0.0.1', port: 5000, family: 'IPv4' as const };
const remote = { address: '127.0.0.1', port: 40000, family: 'IPv4' as const };

describe('an export to a chosen file', () => {
  let dir: string;
  let t: TestBackend | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wb-dest-'));
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reaches the disk while the record is still being read: streamed, never held whole', async () => {
    const path = join(dir, 'chosen.jsonl');
    const payload = new Uint8Array(4096).fill(0x41);
    const MESSAGES = 4000; // 16 MiB of payload, over 32 MiB of JSON Lines
    let yielded = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let sizeAtGate = -1;
    const source = {
      async *read(): AsyncGenerator<ExportMessage> {
        for (let i = 0; i < MESSAGES; i++) {
          if (i === MESSAGES / 2) {
            // half-way: what is on the disk already?
            await new Promise<void>((r) => {
              const poll = (): void => {
                const size = existsSync(path) ? statSync(path).size : 0;
                if (size > 0) {
                  sizeAtGate = size;
                  r();
                } else setImmediate(poll);
              };
              poll();
            });
            await gate;
          }
          yielded += 1;
          yield { ts: 1_700_000_000_000 + i, dir: 'rx', transport: 'tcp', local, remote, peerId: 'p1', bytes: payload };
        }
      },
    };
    const info: ExportInfo = { exportId: 'x1', sessionId: 's1', format: 'jsonl', path, name: 'chosen.jsonl', records: 0, totalRecords: MESSAGES, bytes: 0, done: false };
    const progress: ExportInfo[] = [];
    const job = runExport({ info, snapshot: source, options: {}, overwrite: true, progressMs: 0, cancelled: () => false, onProgress: (p) => progress.push(p) });
    await new Promise<void>((r) => {
      const wait = (): void => (sizeAtGate >= 0 ? r() : void setImmediate(wait));
      wait();
    });
    expect(yielded).toBe(MESSAGES / 2);
    release();
    const end = await job;
    expect(end).toMatchObject({ done: true, records: MESSAGES });
    expect(end.error).toBeUndefined();
    const text = readFileSync(path, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(MESSAGES);
    expect(end.bytes).toBe(statSync(path).size);
    // when half the messages had been read, the file held them, at most a stream buffer short, and nothing more
    const firstHalf = Buffer.byteLength(lines.slice(0, MESSAGES / 2).join('\n')) + 1;
    expect(sizeAtGate).toBeLessThanOrEqual(firstHalf);
    expect(sizeAtGate).toBeGreaterThan(firstHalf - 1024 * 1024);
    expect(sizeAtGate).toBeLessThan(end.bytes / 2 + 1024 * 1024);
    // progress came out as it went, not only at the end
    expect(progress.filter((p) => !p.done && p.records > 0 && p.records < MESSAGES).length).toBeGreaterThan(0);
  });

  it('Recorder.startExport writes the session to the chosen path, replacing the file the dialog agreed to replace', async () => {
    t = makeBackend();
    const s = await openSession(t, { kind: 'tcp-server', host: '127.0.0.1', port: 0, name: 'Dest', framing: { kind: 'delimiter', delimiter: new Uint8Array([0x0a]) } });
    const c = await connect(s.local?.port ?? 0);
    let all = '';
    for (let i = 0; i < 300; i++) all += `row ${i}\n`;
    c.write(all);
    await rxMessagesReached(t, s.sessionId, 300);
    c.destroy();
    const path = join(dir, 'my log.txt');
    writeFileSync(path, 'an older file, much longer than nothing '.repeat(10_000));
    const start = await t.backend.recorder.startExport(s.sessionId, 'txt-text', 'utc', 'en', path);
    expect(start).toMatchObject({ path, name: 'my log.txt', format: 'txt-text', done: false });
    const end = (await exportDone(t, start.exportId)).export;
    expect(end.error).toBeUndefined();
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('an older file');
    expect(text).toContain('row 0');
    expect(text).toContain('row 299');
    // nothing went to the data folder's exports
    expect(existsSync(join(t.dataDir, 'exports'))).toBe(false);
  });

  it('suggests the file name the data folder would get', async () => {
    t = makeBackend();
    const s = await openSession(t, { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0, name: 'Probe A' });
    expect(t.backend.recorder.suggestedName(s.sessionId, { export: 'txt-hexdump' })).toMatch(/^Probe_A-\d{8}-\d{6}-hexdump\.txt$/);
    expect(t.backend.recorder.suggestedName(s.sessionId, { export: 'pcapng' })).toMatch(/^Probe_A-\d{8}-\d{6}\.pcapng$/);
    expect(t.backend.recorder.suggestedName(s.sessionId, { capture: t.backend.recorder.captureFormat(s.sessionId) })).toMatch(/\.pcapng$/);
  });
});

describe('a capture to a chosen file', () => {
  let dir: string;
  let t: TestBackend | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wb-dest-'));
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the session-wide file exactly there, and per-client files beside it', async () => {
    t = makeBackend();
    const s = await openSession(t, { kind: 'tcp-server', host: '127.0.0.1', port: 0, name: 'Cap' });
    const whole = join(dir, 'whole.bin');
    writeFileSync(whole, 'old content to be replaced');
    const started = await t.backend.recorder.startCapture(s.sessionId, false, undefined, undefined, whole);
    expect(started.files).toEqual([expect.objectContaining({ path: whole, name: 'whole.bin' })]);
    const c = await connect(s.local?.port ?? 0);
    c.write('hello capture');
    await rxBytesReached(t, s.sessionId, 13);
    const stopped = await t.backend.recorder.stopCapture(s.sessionId);
    expect(stopped.files[0]?.bytes).toBe(13);
    expect(readFileSync(whole, 'utf8')).toBe('hello capture');

    const peers = join(dir, 'peers.bin');
    await t.backend.recorder.startCapture(s.sessionId, true, undefined, undefined, peers);
    c.write('per peer');
    await rxBytesReached(t, s.sessionId, 21);
    const perPeer = await t.backend.recorder.stopCapture(s.sessionId);
    c.destroy();
    expect(perPeer.files).toHaveLength(1);
    expect(perPeer.files[0]?.path.startsWith(join(dir, 'peers-127.0.0.1_'))).toBe(true);
    expect(readFileSync(perPeer.files[0]?.path ?? '', 'utf8')).toBe('per peer');
    expect(readdirSync(join(t.dataDir))).not.toContain('captures');
  });
});
