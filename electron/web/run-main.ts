/**
 * Runs a CLI's `main` when its file is the program being run (not when a test
 * imports it): the last-line guards that keep one bad event from ending the
 * host (the engine guards its own sockets), then the exit code of `main`.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function runAsMain(moduleUrl: string, name: string, main: (argv: string[]) => Promise<number>): void {
  const entry = process.argv[1];
  let isEntry = false;
  try {
    isEntry = !!entry && fileURLToPath(moduleUrl) === realpathSync(resolve(entry));
  } catch {
    isEntry = false;
  }
  if (!isEntry) return;
  process.on('uncaughtException', (e) => console.error(`[${name}] uncaught exception`, e));
  process.on('unhandledRejection', (reason) => console.error(`[${name}] unhandled rejection`, reason));
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`${name}: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exit(1);
    },
  );
}
