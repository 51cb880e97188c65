// `node scripts/checksums.mjs <dir> [--out NAME]`: writes NAME (default SHA256SUMS.txt) into <dir>
// with the SHA-256 of every other file there, one `<hex>  <file name>` line each, sorted by name.
// That is the format `sha256sum -c` and `shasum -a 256 -c` read. Files are hashed as streams
// (installers are large). The release workflow runs it over all installers before the draft
// release is created; an empty folder is an error, so a release never goes out with no files.
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DEFAULT_OUT = 'SHA256SUMS.txt';

function sha256(path) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

function parseArgs(argv) {
  let dir;
  let out = DEFAULT_OUT;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') out = argv[++i] ?? '';
    else if (!dir) dir = a;
    else throw new Error(`unexpected argument: ${a}`);
  }
  if (!dir) throw new Error('usage: node scripts/checksums.mjs <dir> [--out SHA256SUMS.txt]');
  if (!out || /[\\/]/.test(out)) throw new Error(`--out must be a plain file name, got "${out}"`);
  return { dir, out };
}

async function main() {
  const { dir, out } = parseArgs(process.argv.slice(2));
  // a name with a newline would break the line format; no installer name has one
  const names = readdirSync(dir)
    .filter((name) => name !== out && statSync(join(dir, name)).isFile())
    .sort();
  const bad = names.find((name) => /[\r\n\\]/.test(name));
  if (bad !== undefined) throw new Error(`cannot list a file name with a newline or backslash: ${JSON.stringify(bad)}`);
  if (names.length === 0) throw new Error(`no files to checksum in ${dir}`);
  const lines = [];
  for (const name of names) lines.push(`${await sha256(join(dir, name))}  ${name}`);
  writeFileSync(join(dir, out), `${lines.join('\n')}\n`);
  console.log(lines.join('\n'));
  console.log(`checksums: ${names.length} file(s) → ${join(dir, out)}`);
}

main().catch((e) => {
  console.error(`checksums: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
