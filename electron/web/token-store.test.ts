/** Serve mode keeps its token across restarts (0600 in the data folder) unless told to make a new one. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { generateToken } from './token';
import { keptToken, TOKEN_FILE } from './token-store';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('keeps the first token, reuses it at the next start, and replaces it on request', () => {
  dir = mkdtempSync(join(tmpdir(), 'wb-token-'));
  const data = join(dir, 'data');
  const first = generateToken();
  expect(keptToken(data, first, false)).toBe(first);
  const file = join(data, TOKEN_FILE);
  expect(readFileSync(file, 'utf8').trim()).toBe(first);
  if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  // a restart without --token: the same token
  expect(keptToken(data, generateToken(), false)).toBe(first);
  // --new-token
  const second = generateToken();
  expect(keptToken(data, second, true)).toBe(second);
  expect(keptToken(data, generateToken(), false)).toBe(second);
  // a damaged file is replaced
  writeFileSync(file, 'bad token!');
  const third = generateToken();
  expect(keptToken(data, third, false)).toBe(third);
});
