// Third-party notices: the license of every package the app ships, for the About box. `npm run build` runs it
// after electron-vite, so the file lands at out/third-party-notices.txt, next to out/main/ (the About box reads
// `join(__dirname, '../third-party-notices.txt')`) and inside electron-builder's `files: out/**`.
//
// The packages are the production tree of package-lock.json, walked from the root's `dependencies` and
// `optionalDependencies` through each package's own and its required peers (which npm installs and the renderer's
// bundle may contain; optional peers such as TypeScript are not), resolved the way Node resolves them (nearest
// node_modules first). Optional packages of another platform, absent here, are skipped. For each: name@version, license id,
// repository, and the license text it ships (LICENSE*, LICENCE*, COPYING*, then NOTICE*); a package that ships no
// such file is listed with its package.json `license` field.
//
// Usage: node scripts/notices.mjs [--root <project dir>] [--out <file>]   (default: this project, out/third-party-notices.txt)
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const LICENSE_FILE = /^(licen[cs]e|copying)([-._].*)?$/i;
const NOTICE_FILE = /^notice([-._].*)?$/i;
const RULE = '='.repeat(78);

/** The lockfile key a dependency `name` of the package at `from` resolves to, or undefined. */
function resolveKey(packages, from, name) {
  for (let dir = from; ; ) {
    const key = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[key]) return key;
    if (!dir) return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

/** Lockfile keys of the production tree, in walk order. Throws when a required package is missing. */
function productionKeys(root, lock) {
  const packages = lock.packages ?? {};
  const top = packages[''];
  if (!top) throw new Error('package-lock.json has no root entry: lockfileVersion 2 or 3 is required');
  const seen = new Set();
  const queue = [['', top]];
  while (queue.length > 0) {
    const [from, entry] = queue.shift();
    const peerMeta = entry.peerDependenciesMeta ?? {};
    const edges = [
      ...Object.keys(entry.dependencies ?? {}).map((name) => [name, false]),
      ...Object.keys(entry.optionalDependencies ?? {}).map((name) => [name, true]),
      // a required peer is installed by npm and may be bundled with its dependent; an optional one is skipped
      ...Object.keys(entry.peerDependencies ?? {})
        .filter((name) => !peerMeta[name]?.optional)
        .map((name) => [name, false]),
    ];
    for (const [name, optional] of edges) {
      let key = resolveKey(packages, from, name);
      if (key !== undefined && packages[key].link) key = packages[key].resolved; // a workspace: its own folder
      const installed = key !== undefined && packages[key] !== undefined && existsSync(join(root, key, 'package.json'));
      if (!installed) {
        if (optional || packages[key]?.optional) continue; // another platform's build, not shipped from here
        throw new Error(`${name} (needed by ${from || 'the project'}) is not installed: run npm install`);
      }
      if (seen.has(key)) continue;
      seen.add(key);
      queue.push([key, packages[key]]);
    }
  }
  return [...seen];
}

function licenseId(pkg) {
  const { license, licenses } = pkg;
  if (typeof license === 'string') return license;
  if (license && typeof license.type === 'string') return license.type;
  if (Array.isArray(licenses)) return licenses.map((l) => l?.type ?? String(l)).join(' OR ');
  return 'UNKNOWN';
}

/** A browsable URL for package.json's `repository` (shorthand, git+https, git://, git+ssh), or its homepage. */
function repositoryUrl(pkg) {
  const raw = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (!raw) return pkg.homepage ?? '(none given)';
  const host = { github: 'github.com', gitlab: 'gitlab.com', bitbucket: 'bitbucket.org' };
  const short = /^(?:(github|gitlab|bitbucket):)?([\w.-]+\/[\w.-]+)$/.exec(raw);
  if (short) return `https://${host[short[1] ?? 'github']}/${short[2]}`;
  return raw
    .replace(/^git\+/, '')
    .replace(/^(?:ssh:\/\/)?git@([^:/]+)[:/]/, 'https://$1/')
    .replace(/^git:\/\//, 'https://')
    .replace(/\.git$/, '');
}

const clean = (text) =>
  text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .trim();

async function packageNotice(dir) {
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  const names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name).sort();
  const files = [...names.filter((n) => LICENSE_FILE.test(n)), ...names.filter((n) => NOTICE_FILE.test(n))];
  const id = licenseId(pkg);
  const texts = [];
  for (const name of files) texts.push(files.length > 1 ? `--- ${name} ---\n${clean(await readFile(join(dir, name), 'utf8'))}` : clean(await readFile(join(dir, name), 'utf8')));
  const author = typeof pkg.author === 'string' ? pkg.author : pkg.author?.name;
  const said = `"license": "${id}"${author ? `, "author": "${author}"` : ''}`;
  const text = texts.length > 0 ? texts.join('\n\n') : `The package ships no license file; its package.json says ${said}.`;
  return { name: pkg.name, version: pkg.version, id, repository: repositoryUrl(pkg), text, hasFile: texts.length > 0 };
}

/** The notices text for the project at `root`, and the packages in it. */
async function buildNotices(root) {
  const lockFile = join(root, 'package-lock.json');
  if (!existsSync(lockFile)) throw new Error(`no package-lock.json in ${root}`);
  const lock = JSON.parse(await readFile(lockFile, 'utf8'));
  const byId = new Map();
  for (const key of productionKeys(root, lock)) {
    const notice = await packageNotice(join(root, key));
    byId.set(`${notice.name}@${notice.version}`, notice);
  }
  const notices = [...byId.values()].sort((a, b) => (a.name === b.name ? (a.version < b.version ? -1 : 1) : a.name < b.name ? -1 : 1));
  const project = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const head = [
    `Third-party notices for ${project.productName ?? project.name} ${project.version}`,
    '',
    'This application includes the following open-source packages. Each is listed with its version, license,',
    'repository and the license text it ships.',
    '',
    `${notices.length} packages.`,
  ];
  const body = notices.map((n) =>
    [RULE, `${n.name}@${n.version}`, `License: ${n.id}`, `Repository: ${n.repository}`, '-'.repeat(78), n.text].join('\n'),
  );
  return { text: `${[head.join('\n'), ...body].join('\n\n')}\n`, notices };
}

const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { root: { type: 'string', default: projectDir }, out: { type: 'string' } } });
const root = resolve(values.root);
const out = resolve(values.out ?? join(root, 'out', 'third-party-notices.txt'));
try {
  const { text, notices } = await buildNotices(root);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, text);
  const bare = notices.filter((n) => !n.hasFile).map((n) => `${n.name}@${n.version}`);
  console.log(`notices: ${notices.length} packages → ${relative(process.cwd(), out) || out}`);
  if (bare.length > 0) console.log(`notices: no license file shipped by ${bare.join(', ')} (listed with their license field)`);
} catch (e) {
  console.error(`notices: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
