/**
 * A full disk (a 256 KiB tmpfs the test mounts; root only): the capture
 * reports the bytes that are on disk, the session says its log cannot be
 * written, and nothing crashes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { CaptureInfo, NetEvent, Result, SessionInfo } from '../../shared/protocol';
import { Backend } from '../backend';
import { poll as until } from '../../test/fixtures/net-helpers';

function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'wb-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

let backend: Backend | undefined;
let mountPoint: string | undefined;

afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
  if (mountPoint) {
    try {
      execFileSync('umount', [mountPoint], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    rmSync(mountPoint, { recursive: true, force: true });
    mountPoint = undefined;
  }
});


it.skipIf(!canMount())('on a full disk the capture size is what is on disk and the session says its log is not written', async () => {
  mountPoint = mkdtempSync(join(tmpdir(), 'wb-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint]);
  backend = new Backend({ dataDir: join(mountPoint, 'data') });
  const events: NetEvent[] = [];
  backend.attach({ send: (b) => events.push(...b), backlog: () => 0 });
  const opened = (await backend.handle('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 } })) as Result<SessionInfo>;
  if (!opened.ok) throw new Error(opened.message);
  const info = opened.data;
  const cap = (await backend.handle('capture.start', { sessionId: info.sessionId, perPeer: false })) as Result<CaptureInfo>;
  expect(cap.ok).toBe(true);

  const sock = createConnection({ host: '127.0.0.1', port: info.local!.port });
  await new Promise((r) => sock.once('connect', r));
  const total = 1024 * 1024;
  sock.write(Buffer.alloc(total, 0x41));
  await until(() => backend!.manager.info(info.sessionId).counters.rxBytes === total);
  const stopped = (await backend.handle('capture.stop', { sessionId: info.sessionId })) as Result<CaptureInfo>;
  if (!stopped.ok) throw new Error(stopped.message);
  const file = stopped.data.files[0]!;
  const onDisk = statSync(file.path).size;
  expect(onDisk).toBeLessThan(total);
  expect(file.bytes).toBe(onDisk);
  await until(() => events.some((e) => e.type === 'error' && e.code === 'WRITE_FAILED'));
  expect(events.some((e) => e.type === 'error' && e.sysCode === 'ENOSPC')).toBe(true);
  sock.destroy();
});
