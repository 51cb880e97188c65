// The Electronegativity gate: scan the built out/, fail on any finding or unparsed file.
// Usage: node .ci/electronegativity.mjs <sarif output path>
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import run from '@doyensec/electronegativity';

const sarif = process.argv[2];
rmSync(sarif, { force: true });
// out/ has no package.json to read the Electron version from; without one the scanner assumes 0.1.0
const electron = createRequire(resolve('package.json'))('electron/package.json').version;
const res = await run({
  input: resolve('out'),
  output: sarif,
  isSarif: true,
  isRelative: true,
  electronVersionOverride: electron,
  customScan: [],
  excludeFromScan: [],
  parserPlugins: [],
});
// the scanner writes the report with an unawaited fs.writeFile: read it once the event loop is idle
process.once('beforeExit', () => {
  let failed = false;
  for (const e of res.errors) {
    console.log(`electronegativity: could not parse ${e.file}, so it went unscanned: ${e.message}`);
    failed = true;
  }
  if (!existsSync(sarif)) {
    console.log(`electronegativity: FAILED, no SARIF report at ${sarif}`);
    process.exit(1);
  }
  const results = JSON.parse(readFileSync(sarif, 'utf8')).runs.flatMap((r) => r.results ?? []);
  for (const r of results) {
    const loc = r.locations?.[0]?.physicalLocation;
    console.log(`  ${r.ruleId} (${r.level}) out/${loc?.artifactLocation?.uri}:${loc?.region?.startLine}: ${r.message?.text}`);
  }
  if (results.length > 0 || failed) {
    console.log(`electronegativity: FAILED, ${results.length} finding(s) and ${res.errors.length} unparsed file(s) in out/; the gate allows none`);
    process.exit(1);
  }
  console.log(`electronegativity: 0 findings in out/ (Electron ${electron}, ${res.atomicChecks} atomic + ${res.globalChecks} global checks)`);
});
