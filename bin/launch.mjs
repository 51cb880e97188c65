/**
 * Shared by the launchers (`wirebench-serve`, `wirebench`): builds the app
 * when the build is missing or older than the sources, then runs one of the
 * plain-Node entries of out/main with the given arguments, forwarding
 * signals and the exit code.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
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

function needsBuild(entryJs) {
  if (!existsSync(entryJs) || !existsSync(indexHtml)) return 'the build is missing';
  // installed without sources (a packaged copy): trust the build
  if (!SOURCE_DIRS.some((d) => existsSync(join(root, d)))) return null;
  const built = statSync(entryJs).mtimeMs;
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

/** Run out/main/<entry> with `args`; `label` prefixes the launcher's own messages. */
export function launch(entry, label, args) {
  const entryJs = join(root, 'out', 'main', entry);
  const reason = needsBuild(entryJs);
  if (reason) {
    console.error(`${label}: building first (${reason})…`);
    const build = spawnSync('npx', ['electron-vite', 'build'], {
      cwd: root,
      stdio: 'inherit',
      shell: process.platform === 'win32',
    });
    if (build.error) {
      console.error(`${label}: could not run the build: ${build.error.message}`);
      process.exit(1);
    }
    if (build.status !== 0) {
      console.error(`${label}: the build failed; see the messages above.`);
      process.exit(build.status ?? 1);
    }
    if (!existsSync(entryJs)) {
      console.error(`${label}: the build did not produce ${entryJs}`);
      process.exit(1);
    }
  }

  const child = spawn(process.execPath, [entryJs, ...args], { stdio: 'inherit' });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));
  child.on('error', (e) => {
    console.error(`${label}: could not start ${entryJs}: ${e.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (code !== null) process.exit(code);
    // the child died of a signal: report it the shell way
    const numbers = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1, SIGKILL: 9 };
    process.exit(128 + (numbers[signal] ?? 1));
  });
}
