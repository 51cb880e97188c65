/** A damaged profiles or workspace file is set aside and the store keeps working, whatever the damage. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ProfileStore } from './profiles';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const damage: Record<string, string> = {
  'bad JSON': '{"profiles": {',
  // JSON.parse throws RangeError (not SyntaxError) on nesting this deep
  'nested too deeply': '['.repeat(200_000) + ']'.repeat(200_000),
};

for (const [what, text] of Object.entries(damage)) {
  it(`profiles.json with ${what} is set aside; listing, saving and the workspace still work`, () => {
    dir = mkdtempSync(join(tmpdir(), 'wb-damaged-'));
    writeFileSync(join(dir, 'profiles.json'), text);
    writeFileSync(join(dir, 'workspace.json'), text);
    const store = new ProfileStore(dir);
    expect(store.list().length).toBeGreaterThan(0); // the built-in examples
    expect(store.getWorkspace()).toBeNull();
    const set = readdirSync(dir).filter((n) => n.includes('.broken-'));
    expect(set.sort().map((n) => n.replace(/-\d+$/, ''))).toEqual(['profiles.json.broken', 'workspace.json.broken']);
  });
}
