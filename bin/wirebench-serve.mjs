#!/usr/bin/env node
/**
 * `wirebench-serve` / `npm run serve`: builds the app when the build is
 * missing or older than the sources, then runs out/main/serve.js with the
 * same arguments, forwarding signals and the exit code.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const serveJs = join(root, 'out', 'main', 'serve.js');
const indexHtml = join(root, 'out', 'renderer', 'index.html');
const SOURCE_DIRS = ['electron', 'shared', 'renderer'];
const SOURCE_FILES = ['electron.vite.config.mts', 'package.json'];
const SKIP_DIRS = new Set(['node_modules', 'out', 'dist', '.git']);
const isTestFile = (name) => /\.(test|spec)(-util)?\.[cm]?[jt]s$/.test(name);

/** Newest modification time (ms) under a directory, test files aside. */
function newestIn(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) newest = Math.max(newest, newestIn(p));
    } else if (e.isFile() && !isTestFile(e.name)) {
      try {
        newest = Math.max(newest, statSync(p).mtimeMs);
      } catch {
        // vanished while we looked
      }
    }
  }
  return newest;
}

function needsBuild() {
  if (!existsSync(serveJs) || !existsSync(indexHtml)) return 'the build is missing';
  // installed without sources (a packaged copy): trust the build
  if (!SOURCE_DIRS.some((d) => existsSync(join(root, d)))) return null;
  const built = statSync(serveJs).mtimeMs;
  let newest = 0;
  for (const d of SOURCE_DIRS) newest = Math.max(newest, newestIn(join(root, d)));
  for (const f of SOURCE_FILES) {
    try {
      newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
    } catch {
      // optional
    }
  }
  return newest > built ? 'sources changed since the last build' : null;
}

const reason = needsBuild();
if (reason) {
  console.error(`wirebench-serve: building first (${reason})…`);
  const build = spawnSync('npx', ['electron-vite', 'build'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (build.error) {
    console.error(`wirebench-serve: could not run the build: ${build.error.message}`);
    process.exit(1);
  }
  if (build.status !== 0) {
    console.error('wirebench-serve: the build failed; see the messages above.');
    process.exit(build.status ?? 1);
  }
  if (!existsSync(serveJs)) {
    console.error(`wirebench-serve: the build did not produce ${serveJs}`);
    process.exit(1);
  }
}

const child = spawn(process.execPath, [serveJs, ...process.argv.slice(2)], { stdio: 'inherit' });
const forward = (signal) => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));
child.on('error', (e) => {
  console.error(`wirebench-serve: could not start ${serveJs}: ${e.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (code !== null) process.exit(code);
  // the child died of a signal: report it the shell way
  const numbers = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1, SIGKILL: 9 };
  process.exit(128 + (numbers[signal] ?? 1));
});
