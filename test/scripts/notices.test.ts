/**
 * scripts/notices.mjs run for real: on a small project tree made here (a
 * package-lock.json and the node_modules it names), then on this project.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const SCRIPT = join(root, 'scripts', 'notices.mjs');
const RULE = '='.repeat(78);

interface Entry {
  id: string;
  license: string;
  repository: string;
  text: string;
}

let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wb-notices-'));
  dirs.push(dir);
  return dir;
}

/** Writes `files` (path → content) under `dir`. */
async function writeTree(dir: string, files: Record<string, string | object>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
}

/** Runs the script; resolves with its exit code, output and the notices file's entries (when written). */
async function run(project: string, out: string): Promise<{ code: number; stdout: string; stderr: string; entries: Entry[] }> {
  const result = await promisify(execFile)(process.execPath, [SCRIPT, '--root', project, '--out', out]).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
  const text = await readFile(out, 'utf8').catch(() => '');
  const entries = text
    .split(`${RULE}\n`)
    .slice(1)
    .map((block) => {
      const [head, ...rest] = block.split(`\n${'-'.repeat(78)}\n`);
      const [id, license, repository] = head!.split('\n');
      return { id: id!, license: license!.replace('License: ', ''), repository: repository!.replace('Repository: ', ''), text: rest.join('').trim() };
    });
  return { ...result, entries };
}

const MIT_ALPHA = 'MIT License\r\n\r\nCopyright (c) 2020 Alpha Author   \r\n\r\nPermission is hereby granted...\r\n';

/** A project: alpha, beta (with a nested shared@2), gamma-native (optional, another platform), a dev tool. */
function fixture(): Record<string, string | object> {
  return {
    'package.json': { name: 'demo', productName: 'Demo App', version: '1.2.3' },
    'package-lock.json': {
      name: 'demo',
      version: '1.2.3',
      lockfileVersion: 3,
      packages: {
        '': {
          name: 'demo',
          version: '1.2.3',
          dependencies: { alpha: '^1.0.0', beta: '^1.0.0' },
          optionalDependencies: { 'gamma-native': '^1.0.0' },
          devDependencies: { devtool: '^1.0.0' },
        },
        'node_modules/alpha': {
          version: '1.0.0',
          dependencies: { shared: '^1.0.0' },
          peerDependencies: { 'peer-needed': '*', 'peer-optional': '*' },
          peerDependenciesMeta: { 'peer-optional': { optional: true } },
        },
        'node_modules/beta': { version: '1.1.0', dependencies: { shared: '^2.0.0', epsilon: '^1.0.0' } },
        'node_modules/beta/node_modules/shared': { version: '2.0.0' },
        'node_modules/shared': { version: '1.0.0' },
        'node_modules/epsilon': { version: '0.3.0' },
        'node_modules/peer-needed': { version: '4.0.0', peer: true },
        'node_modules/peer-optional': { version: '5.0.0', devOptional: true },
        'node_modules/gamma-native': { version: '1.0.0', optional: true, os: ['darwin'] },
        'node_modules/devtool': { version: '9.0.0', dev: true, dependencies: { shared: '^1.0.0' } },
      },
    },
    'node_modules/alpha/package.json': { name: 'alpha', version: '1.0.0', license: 'MIT', repository: 'github:alpha-org/alpha' },
    'node_modules/alpha/LICENSE': MIT_ALPHA,
    'node_modules/beta/package.json': {
      name: 'beta',
      version: '1.1.0',
      license: 'Apache-2.0',
      repository: { type: 'git', url: 'git+ssh://git@github.com/beta-org/beta.git' },
    },
    'node_modules/beta/LICENCE.md': 'Apache License, Version 2.0 (beta)',
    'node_modules/beta/NOTICE': 'Beta includes software by Beta Org.',
    'node_modules/beta/node_modules/shared/package.json': { name: 'shared', version: '2.0.0', license: 'ISC', repository: 'https://gitlab.com/s/shared' },
    'node_modules/beta/node_modules/shared/COPYING': 'ISC text, shared 2',
    'node_modules/shared/package.json': { name: 'shared', version: '1.0.0', license: 'ISC', repository: 'git://github.com/s/shared.git' },
    'node_modules/shared/LICENSE.txt': 'ISC text, shared 1',
    'node_modules/epsilon/package.json': { name: 'epsilon', version: '0.3.0', license: 'BSD-3-Clause', author: { name: 'Eps Ilon' } },
    'node_modules/epsilon/README.md': '# epsilon',
    'node_modules/peer-needed/package.json': { name: 'peer-needed', version: '4.0.0', licenses: [{ type: 'MIT' }, { type: 'GPL-2.0' }] },
    'node_modules/peer-needed/license': 'peer licence',
    'node_modules/peer-optional/package.json': { name: 'peer-optional', version: '5.0.0', license: 'Apache-2.0' },
    'node_modules/devtool/package.json': { name: 'devtool', version: '9.0.0', license: 'MIT' },
    'node_modules/devtool/LICENSE': 'dev tool licence',
  };
}

describe('notices.mjs: third-party notices from the installed production tree', () => {
  it('lists every production package once, sorted, and nothing else', async () => {
    const project = await tempDir();
    await writeTree(project, fixture());
    const out = join(project, 'out', 'third-party-notices.txt');
    const { code, stdout, entries } = await run(project, out);
    expect(code).toBe(0);
    expect(stdout).toContain('6 packages');
    // not the dev tool, not the optional peer, not the other platform's optional package;
    // both versions of shared (hoisted and nested), each once although two packages need shared@1
    expect(entries.map((e) => e.id)).toEqual(['alpha@1.0.0', 'beta@1.1.0', 'epsilon@0.3.0', 'peer-needed@4.0.0', 'shared@1.0.0', 'shared@2.0.0']);
    expect(await readFile(out, 'utf8')).toMatch(/^Third-party notices for Demo App 1\.2\.3\n[\s\S]*\n6 packages\.\n/);
  });

  it('gives each package its license id, a browsable repository URL and the license text it ships', async () => {
    const project = await tempDir();
    await writeTree(project, fixture());
    const { entries } = await run(project, join(project, 'notices.txt'));
    const byId = new Map(entries.map((e) => [e.id, e]));
    expect(byId.get('alpha@1.0.0')).toEqual({
      id: 'alpha@1.0.0',
      license: 'MIT',
      repository: 'https://github.com/alpha-org/alpha',
      // line endings and trailing blanks normalised, the words kept
      text: 'MIT License\n\nCopyright (c) 2020 Alpha Author\n\nPermission is hereby granted...',
    });
    // LICENCE.md and NOTICE both, each under its name
    expect(byId.get('beta@1.1.0')).toEqual({
      id: 'beta@1.1.0',
      license: 'Apache-2.0',
      repository: 'https://github.com/beta-org/beta',
      text: '--- LICENCE.md ---\nApache License, Version 2.0 (beta)\n\n--- NOTICE ---\nBeta includes software by Beta Org.',
    });
    expect(byId.get('shared@1.0.0')).toMatchObject({ license: 'ISC', repository: 'https://github.com/s/shared', text: 'ISC text, shared 1' });
    expect(byId.get('shared@2.0.0')).toMatchObject({ license: 'ISC', repository: 'https://gitlab.com/s/shared', text: 'ISC text, shared 2' });
    expect(byId.get('peer-needed@4.0.0')).toMatchObject({ license: 'MIT OR GPL-2.0', repository: '(none given)', text: 'peer licence' });
    // no license file: the license field (and the author) stand in for it
    expect(byId.get('epsilon@0.3.0')).toMatchObject({
      license: 'BSD-3-Clause',
      text: 'The package ships no license file; its package.json says "license": "BSD-3-Clause", "author": "Eps Ilon".',
    });
  });

  it('fails, writing nothing, when a required package is not installed', async () => {
    const project = await tempDir();
    const tree = fixture();
    delete tree['node_modules/epsilon/package.json'];
    delete tree['node_modules/epsilon/README.md'];
    await writeTree(project, tree);
    const out = join(project, 'notices.txt');
    const { code, stderr } = await run(project, out);
    expect(code).toBe(1);
    expect(stderr).toContain('epsilon (needed by node_modules/beta) is not installed: run npm install');
    await expect(readFile(out)).rejects.toThrow();
  });

  it('covers this project: every dependency in package.json, with its license text, and no devDependency', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const out = join(await tempDir(), 'notices.txt');
    const { code, entries } = await run(root, out);
    expect(code).toBe(0);
    const names = new Set(entries.map((e) => e.id.slice(0, e.id.lastIndexOf('@'))));
    for (const name of Object.keys(pkg.dependencies)) expect(names, name).toContain(name);
    for (const name of Object.keys(pkg.devDependencies)) expect(names, name).not.toContain(name);
    const vue = entries.find((e) => e.id.startsWith('vue@'));
    expect(vue?.license).toBe('MIT');
    expect(vue?.text).toMatch(/Copyright \(c\) .*Yuxi \(Evan\) You/);
  });
});
