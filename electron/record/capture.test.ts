/**
 * Raw capture over real loopback sockets: every received byte lands in the
 * capture file, in order, whatever the UI's view keeps.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaptureInfo, SessionInfo } from '../../shared/protocol';
import { floodTcp as flood } from '../../test/fixtures/net-helpers';
import { connect, makeBackend, openSession, rxBytesReached, sleep, type TestBackend } from './recorder.test-util';
import { fileStamp, sanitizeName } from './capture';

const MB = 1024 * 1024;

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

describe('raw capture', () => {
  let t: TestBackend | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('names files after the session and the start time', () => {
    expect(sanitizeName('My server: 中文/..', 's1')).toBe('My_server');
    expect(sanitizeName('???', 's1')).toBe('s1');
    expect(fileStamp(new Date(2026, 0, 2, 3, 4, 5).getTime())).toBe('20260102-030405');
  });

  it('writes all 100 MB a client floods in, byte for byte, though the view keeps 100 rows', async () => {
    t = makeBackend();
    const s = await openSession(t, { kind: 'tcp-server', host: '127.0.0.1', port: 0, name: 'Flood test' });
    const started = await t.call('capture.start', { sessionId: s.sessionId });
    expect(started).toMatchObject({ active: true, perPeer: false, files: [{ bytes: 0 }] });
    const file = started.files[0];
    expect(file?.path).toBe(join(t.dataDir, 'captures', file?.name ?? ''));
    expect(file?.name).toMatch(/^Flood_test-\d{8}-\d{6}\.bin$/);

    const total = 100 * MB;
    const sentHash = await flood(s.local?.port ?? 0, total);
    await rxBytesReached(t, s.sessionId, total);
    const stopped = await t.call('capture.stop', { sessionId: s.sessionId });
    expect(stopped.active).toBe(false);
    expect(stopped.files[0]?.bytes).toBe(total);
    expect(statSync(file?.path ?? '').size).toBe(total);
    expect(await sha256File(file?.path ?? '')).toBe(sentHash);
    // the view (100 rows of the live tail) really did miss rows: the capture did not depend on it
    expect(t.view.droppedRows).toBeGreaterThan(0);
    expect(t.view.rows.length).toBeLessThanOrEqual(100);
    const updates = t.view.events.filter((e) => e.type === 'capture.updated');
    expect(updates.at(-1)).toMatchObject({ capture: { active: false, files: [{ bytes: total }] } });
  }, 180_000);

  it('writes one file per peer when asked, each with exactly its peer’s bytes', async () => {
    t = makeBackend();
    const s = await openSession(t, { kind: 'tcp-server', host: '127.0.0.1', port: 0, name: 'pp' });
    const started = await t.call('capture.start', { sessionId: s.sessionId, perPeer: true });
    expect(started.files).toEqual([]);
    const a = await connect(s.local?.port ?? 0);
    const b = await connect(s.local?.port ?? 0);
    const [portA, portB] = [a.localPort, b.localPort];
    const dataA = randomBytes(300_000);
    const dataB = randomBytes(200_000);
    // interleave the two peers' writes
    for (let i = 0; i < 10; i++) {
      a.write(dataA.subarray(i * 30_000, (i + 1) * 30_000));
      b.write(dataB.subarray(i * 20_000, (i + 1) * 20_000));
      await sleep(2);
    }
    await rxBytesReached(t, s.sessionId, dataA.length + dataB.length);
    const info: CaptureInfo = await t.call('capture.stop', { sessionId: s.sessionId });
    a.destroy();
    b.destroy();
    expect(info.files, JSON.stringify(info.files)).toHaveLength(2);
    const byPort = new Map(info.files.map((f) => [Number(/_(\d+)\.bin$/.exec(f.name)?.[1]), f]));
    const fa = byPort.get(portA ?? -1);
    const fb = byPort.get(portB ?? -1);
    expect(fa?.name).toMatch(/^pp-\d{8}-\d{6}-127\.0\.0\.1_\d+\.bin$/);
    expect(fa?.peerId).toBeTruthy();
    expect(fa?.bytes).toBe(dataA.length);
    expect(fb?.bytes).toBe(dataB.length);
    expect(await sha256File(fa?.path ?? '')).toBe(createHash('sha256').update(dataA).digest('hex'));
    expect(await sha256File(fb?.path ?? '')).toBe(createHash('sha256').update(dataB).digest('hex'));
  });

  it('holds every raw byte whatever the framing: dropped delimiters and a pending partial message included', async () => {
    t = makeBackend();
    const s = await openSession(t, {
      kind: 'tcp-server',
      host: '127.0.0.1',
      port: 0,
      // CRLF-delimited, delimiter dropped from the messages
      framing: { kind: 'delimiter', delimiter: new Uint8Array([0x0d, 0x0a]), keep: false },
    });
    await t.call('capture.start', { sessionId: s.sessionId, perPeer: false });
    // a re-syncing UI learns about the capture and the spill log from session.list
    const listed: SessionInfo[] = await t.call('session.list', {});
    expect(listed[0]?.capture?.active).toBe(true);
    expect(listed[0]?.spill?.limitBytes).toBeGreaterThan(0);
    const c = await connect(s.local?.port ?? 0);
    const sent = Buffer.from('HELO a\r\nMAIL FROM:<x@y>\r\npartial-without-end');
    c.write(sent);
    await rxBytesReached(t, s.sessionId, sent.length);
    const info: CaptureInfo = await t.call('capture.stop', { sessionId: s.sessionId });
    c.destroy();
    expect(info.files).toHaveLength(1);
    expect(info.files[0]?.bytes).toBe(sent.length);
    expect(await sha256File(info.files[0]?.path ?? '')).toBe(createHash('sha256').update(sent).digest('hex'));
  });

  it('refuses a second capture and an unknown session; stops by itself when the session goes', async () => {
    t = makeBackend();
    const s = await openSession(t, { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0 });
    await t.call('capture.start', { sessionId: s.sessionId });
    expect(await t.raw('capture.start', { sessionId: s.sessionId })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await t.raw('capture.start', { sessionId: 'nope' })).toMatchObject({ ok: false, code: 'SESSION_NOT_FOUND' });
    await t.call('session.close', { sessionId: s.sessionId });
    const last = await t.view.waitFor((e) => e.type === 'capture.updated' && !e.capture.active);
    expect(last).toMatchObject({ capture: { active: false } });
    const dir = join(t.dataDir, 'captures');
    expect(existsSync(dir) && readdirSync(dir).length).toBe(1);
  });
});
