/**
 * The architecture's import allowlist (eslint.layers.js) really is enforced:
 * a virtual file posing as each layer imports a layer it may use (no
 * finding) and one it may not (a boundaries finding). The files need not
 * exist; the imported modules are real ones of this repo.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** [layer, an allowed import, a forbidden import] — paths as seen from lint-fixtures/<layer>/probe.ts */
const CASES: [string, string, string][] = [
  ['codec', '../../shared/protocol/reason-format', '../../shared/protocol/schemas'],
  ['protocol', '../../shared/codec/hex', '../../electron/net/manager'],
  ['protocol', '../../shared/protocol/rule-template', '../../shared/rules/examples'],
  ['rules', '../../shared/protocol/schemas', '../../renderer/src/log/format'],
  ['net', '../../shared/protocol/schemas', '../../electron/hub/hub'],
  ['net', '../../shared/codec/hex', '../../electron/store/profiles'],
  ['store', '../../shared/protocol/profiles', '../../electron/net/manager'],
  ['record', '../../electron/net/text-codec', '../../electron/hub/hub'],
  ['commands', '../../electron/record/records', '../../electron/web/server'],
  ['hub', '../../shared/protocol/events', '../../electron/net/manager'],
  ['main', '../../electron/backend', '../../electron/web/server'],
  ['preload', '../../shared/protocol/ipc', '../../shared/protocol/schemas'],
  ['web', '../../electron/backend', '../../electron/main/window'],
  ['renderer', '../../shared/protocol/format', '../../electron/net/manager'],
];

async function findings(layer: string, from: string): Promise<string[]> {
  const code = `import * as m from '${from}';\nexport const used = m;\n`;
  const [result] = await eslint.lintText(code, { filePath: resolve(root, `lint-fixtures/${layer}/probe.ts`) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

describe('the layer allowlist of docs/architecture.md', () => {
  it.each(CASES)('%s may import %s and not %s', async (layer, allowed, forbidden) => {
    expect(await findings(layer, allowed)).toEqual([]);
    const bad = await findings(layer, forbidden);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/no policy allowing/i);
  });
});
