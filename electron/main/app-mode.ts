/**
 * Production defaults: what a packaged build allows. DevTools are for
 * development, or for a packaged app started with `--debug` or
 * WIREBENCH_DEBUG=1. Pure (no electron import), so it is unit-tested.
 */

export interface AppModeInput {
  isPackaged: boolean;
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

export interface AppMode {
  isPackaged: boolean;
  /** `--debug` on the command line or WIREBENCH_DEBUG=1. */
  debug: boolean;
  /** DevTools can open (menu entry, webPreferences.devTools). */
  devTools: boolean;
}

const DEBUG_FLAG = '--debug';
const DEBUG_VAR = 'WIREBENCH_DEBUG';

export function appMode({ isPackaged, argv, env }: AppModeInput): AppMode {
  const debug = argv.includes(DEBUG_FLAG) || env[DEBUG_VAR] === '1';
  return { isPackaged, debug, devTools: devToolsAllowed(isPackaged, debug) };
}

export function devToolsAllowed(isPackaged: boolean, debug: boolean): boolean {
  return !isPackaged || debug;
}
