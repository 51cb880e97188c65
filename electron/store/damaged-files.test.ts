/** A damaged profiles or workspace file is set aside and the store keeps working, whatever the damage. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { NetEvent } from '../../shared/protocol';
import { Backend } from '../backend';
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
    const told: { file: string; movedTo: string; reason: string }[] = [];
    const store = new ProfileStore(dir, (file, movedTo, reason) => told.push({ file, movedTo, reason }));
    expect(store.list().length).toBeGreaterThan(0); // the built-in examples
    expect(store.getWorkspace()).toBeNull();
    const set = readdirSync(dir).filter((n) => n.includes('.broken-'));
    expect(set.sort().map((n) => n.replace(/-\d+$/, ''))).toEqual(['profiles.json.broken', 'workspace.json.broken']);
    // the user is told which file went where, and why
    expect(told.map((t) => t.file).sort()).toEqual([join(dir, 'profiles.json'), join(dir, 'workspace.json')]);
    for (const t of told) {
      expect(set.map((n) => join(dir!, n))).toContain(t.movedTo);
      expect(t.reason).not.toBe('');
    }
  });
}

it('a set-aside file reaches every client as an app.notice event', async () => {
  dir = mkdtempSync(join(tmpdir(), 'wb-damaged-'));
  writeFileSync(join(dir, 'profiles.json'), '{"profiles": {');
  const backend = new Backend({ dataDir: dir });
  const events: NetEvent[] = [];
  backend.attach({ send: (b) => events.push(...b), backlog: () => 0 });
  try {
    const r = await backend.handle('profile.list', {});
    expect(r.ok).toBe(true);
    const until = Date.now() + 5000;
    while (!events.some((e) => e.type === 'app.notice') && Date.now() < until) await new Promise((res) => setTimeout(res, 5));
    const notice = events.find((e) => e.type === 'app.notice');
    expect(notice).toMatchObject({ notice: { code: 'FILE_SET_ASIDE', file: join(dir, 'profiles.json'), movedTo: expect.stringContaining('profiles.json.broken-') } });
  } finally {
    await backend.dispose();
  }
});
