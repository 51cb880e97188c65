/**
 * Data at rest stays private to the user: captured traffic can hold
 * credentials. Folders Wirebench writes are 0700, files 0600 (POSIX; Windows
 * ignores the modes and relies on the profile folder's ACLs).
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';

const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Create `dir` (and missing parents) as 0700, and tighten it to 0700 if it already exists. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform !== 'win32') chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Like ensurePrivateDir, for fs.promises callers. */
export async function ensurePrivateDirAsync(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform !== 'win32') await chmod(dir, PRIVATE_DIR_MODE);
}
