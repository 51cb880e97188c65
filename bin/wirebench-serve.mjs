#!/usr/bin/env node
/**
 * `wirebench-serve` / `npm run serve`: builds the app when the build is
 * missing or older than the sources, then runs out/main/serve.js with the
 * same arguments, forwarding signals and the exit code (bin/launch.mjs).
 */
import { launch } from './launch.mjs';

launch('serve.js', 'wirebench-serve', process.argv.slice(2));
