/**
 * scripts/checksums.mjs, which the release workflow runs over every installer: one
 * `<sha256>  <name>` line per file, sorted, in the format `sha256sum -c` reads; large files
 * hashed whole; sub-folders and the list itself left out; an empty folder is an error.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, '../../scripts/checksums.mjs');
const SHA256SUM = '/usr/bin/sha256sum';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'wirebench-checksums-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function checksums(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT, ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('scripts/checksums.mjs', () => {
  it('lists the SHA-256 of every file, sorted by name, and skips folders and the list itself', async () => {
    const dir = tempDir();
    const files: Record<string, Buffer> = {
      'Wirebench-0.1.0-win-x64.exe': randomBytes(3 * 1024 * 1024 + 17), // many stream chunks
      'Wirebench-0.1.0-linux-arm64.deb': Buffer.from('deb'),
      'Wirebench 0.1.0 mac x64.dmg': Buffer.alloc(0),
    };
    for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
    mkdirSync(join(dir, 'unpacked'));
    writeFileSync(join(dir, 'SHA256SUMS.txt'), 'stale\n');

    const r = await checksums(dir);
    expect(r.code).toBe(0);
    const expected = Object.keys(files)
      .sort()
      .map((name) => `${sha(files[name]!)}  ${name}`);
    expect(readFileSync(join(dir, 'SHA256SUMS.txt'), 'utf8')).toBe(`${expected.join('\n')}\n`);
    expect(r.stdout).toContain('3 file(s)');
  });

  it.skipIf(!existsSync(SHA256SUM))('writes what sha256sum -c verifies, and what it rejects once a file changes', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.AppImage'), randomBytes(1000));
    writeFileSync(join(dir, 'b c.deb'), 'x');
    expect((await checksums(dir)).code).toBe(0);
    const ok = await run(SHA256SUM, ['-c', 'SHA256SUMS.txt'], { cwd: dir });
    expect(ok.stdout).toBe('a.AppImage: OK\nb c.deb: OK\n');

    writeFileSync(join(dir, 'b c.deb'), 'y');
    await expect(run(SHA256SUM, ['-c', 'SHA256SUMS.txt'], { cwd: dir })).rejects.toMatchObject({ stdout: expect.stringContaining('b c.deb: FAILED') });
  });

  it('writes to another name with --out and leaves that file out of the list', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.exe'), 'x');
    const r = await checksums(dir, '--out', 'checksums.sha256');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'checksums.sha256'), 'utf8')).toBe(`${sha(Buffer.from('x'))}  x.exe\n`);
    expect(existsSync(join(dir, 'SHA256SUMS.txt'))).toBe(false);
  });

  it('fails on a folder with no files, and without a folder', async () => {
    const empty = tempDir();
    mkdirSync(join(empty, 'only-a-folder'));
    const r = await checksums(empty);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no files to checksum');
    expect(existsSync(join(empty, 'SHA256SUMS.txt'))).toBe(false);

    const none = await checksums();
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('usage:');
  });
});
