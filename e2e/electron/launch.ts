/**
 * The Electron project's one way in: find the Electron binary without downloading it, and
 * launch the built app (out/main/index.js) with `_electron.launch`, in English, with a
 * user-data folder of its own. Where the binary is absent (installed with
 * ELECTRON_SKIP_BINARY_DOWNLOAD) every spec skips with the reason printed, unless
 * WIREBENCH_REQUIRE_ELECTRON=1 (set by .github/workflows/ci.yml), where that is an error.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'out/main/index.js');
/** The sandboxed preload the app's window uses (electron.vite.config.mts builds it). */
export const PRELOAD = join(ROOT, 'out/preload/index.cjs');

/**
 * Where the Electron binary is, without require('electron'): that require downloads the
 * binary when it is missing, which a test run must never do.
 */
function electronBinary(): { path: string; reason?: undefined } | { path?: undefined; reason: string } {
  const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { reason: 'the Electron binary was not downloaded (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)' };
  }
  const rel = readFileSync(pathFile, 'utf8').trim();
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const path = override ? join(override, rel) : join(dir, 'dist', rel);
  return existsSync(path) ? { path } : { reason: `the Electron binary is not at ${path}` };
}

const binary = electronBinary();

/** Why the Electron specs skip here, or undefined where they run. */
export const SKIP_REASON: string | undefined = binary.reason && `skipped: ${binary.reason}`;

if (SKIP_REASON) {
  if (process.env['WIREBENCH_REQUIRE_ELECTRON'] === '1') {
    throw new Error(`[electron e2e] WIREBENCH_REQUIRE_ELECTRON=1 but ${binary.reason}`);
  }
  console.log(`[electron e2e] ${SKIP_REASON}`);
}

export interface LaunchedApp {
  app: ElectronApplication;
  /** The app's window, with its first screen shown. */
  page: Page;
  /** Closes the sessions, quits the app and removes its user-data folder. */
  close(): Promise<void>;
}

/**
 * Call inside a `test.describe`: it skips the group (with the reason) where there is no
 * binary, launches the app once before the group's tests and closes it after them. The
 * answer reads the running app when a test asks for it.
 */
export function useLaunchedApp(): LaunchedApp {
  test.skip(SKIP_REASON !== undefined, SKIP_REASON ?? '');
  let launched: LaunchedApp | undefined;
  test.beforeAll(async () => {
    launched = await launchApp();
  });
  test.afterAll(async () => {
    await launched?.close();
  });
  const running = (): LaunchedApp => {
    if (!launched) throw new Error('the app is not running (its launch failed)');
    return launched;
  };
  return {
    get app() {
      return running().app;
    },
    get page() {
      return running().page;
    },
    close: () => running().close(),
  };
}

/** Variables that would change what the app loads or how Electron starts. */
const DROPPED_ENV = ['ELECTRON_RENDERER_URL', 'ELECTRON_RUN_AS_NODE', 'WIREBENCH_DEBUG'];

export async function launchApp(): Promise<LaunchedApp> {
  if (!binary.path) throw new Error(`cannot launch: ${binary.reason}`);
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm run e2e does)`);
  const userData = mkdtempSync(join(tmpdir(), 'wirebench-electron-e2e-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !DROPPED_ENV.includes(k)) env[k] = v;
  env['LANG'] = 'en_US.UTF-8';
  env['LANGUAGE'] = 'en_US';

  const app = await electron.launch({
    executablePath: binary.path,
    // --lang sets navigator.language (the UI language) on every OS; a fresh user-data folder
    // means no remembered workspace, window state or settings from another run
    args: [MAIN, '--lang=en-US', `--user-data-dir=${userData}`],
    env,
  });
  const page = await app.firstWindow();
  await expect(page.getByRole('button', { name: 'New session' }).first()).toBeVisible({ timeout: 30_000 });

  const close = async (): Promise<void> => {
    const proc = app.process();
    const exited = new Promise<void>((res) => {
      if (proc.exitCode !== null || proc.signalCode !== null) res();
      else proc.once('exit', () => res());
    });
    // no open session, so quitting asks nothing
    await page
      .evaluate(async () => {
        const api = (globalThis as unknown as { wirebench?: WirebenchLike }).wirebench;
        const list = await api?.request('session.list', {});
        for (const s of list?.ok && Array.isArray(list.data) ? list.data : []) await api?.request('session.close', { sessionId: s.sessionId });
      })
      .catch(() => undefined);
    // app.close() waits for the process to end; should the app hang on quit, end it
    const closed = app.close().then(
      () => true,
      () => false,
    );
    const ended = await Promise.race([closed, exited.then(() => true), new Promise<boolean>((res) => setTimeout(() => res(false), 20_000).unref())]);
    if (!ended && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
    rmSync(userData, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  return { app, page, close };
}

/** What the specs use of `window.wirebench` (shared/protocol/ipc.ts PreloadApi), loosely typed for page.evaluate. */
export interface WirebenchLike {
  request(cmd: string, args: unknown): Promise<{ ok: boolean; code?: string; data?: Array<{ sessionId: string }> }>;
  onEvents(cb: (events: unknown[]) => void): () => void;
  platform: string;
}
