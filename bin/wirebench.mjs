#!/usr/bin/env node
/**
 * `wirebench <command>`: `wirebench log <url>...` logs without a UI
 * (out/main/log.js), `wirebench serve` is `wirebench-serve`. Builds first when
 * needed (bin/launch.mjs).
 */
import { launch } from './launch.mjs';

const [command, ...args] = process.argv.slice(2);
const USAGE = `Usage: wirebench <command> [options]

Commands:
  log <url>...   log sessions to rotating capture files, no UI (wirebench log --help)
  serve          serve the UI to a browser (wirebench serve --help)
`;

if (command === 'log') launch('log.js', 'wirebench log', args);
else if (command === 'serve') launch('serve.js', 'wirebench serve', args);
else {
  process.stderr.write(command === undefined || command === '--help' || command === '-h' ? USAGE : `wirebench: unknown command '${command}'\n\n${USAGE}`);
  process.exit(command === '--help' || command === '-h' ? 0 : 2);
}
