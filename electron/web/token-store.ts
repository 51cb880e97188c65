/**
 * The serve-mode token outlives a restart: without --token, --token-file or
 * WIREBENCH_TOKEN, serve mode reuses the token kept in the data folder
 * (`serve-token`, mode 0600), so bookmarks and the browser's cookie keep
 * working. `--new-token` replaces it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../store/private';
import { isValidToken } from './token';

export const TOKEN_FILE = 'serve-token';

/** The kept token, or `fresh` (which is then kept) when there is none, it is damaged, or `renew` asks. */
export function keptToken(dataDir: string, fresh: string, renew: boolean): string {
  const path = join(dataDir, TOKEN_FILE);
  if (!renew) {
    try {
      const kept = readFileSync(path, 'utf8').trim();
      if (isValidToken(kept)) return kept;
    } catch {
      // none yet
    }
  }
  try {
    ensurePrivateDir(dataDir);
    writeFileSync(path, `${fresh}\n`, { mode: PRIVATE_FILE_MODE });
  } catch (e) {
    console.warn(`wirebench-serve: could not keep the token in ${path} (${e instanceof Error ? e.message : String(e)}); it changes at the next start`);
  }
  return fresh;
}
