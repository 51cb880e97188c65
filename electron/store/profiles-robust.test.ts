/** Profiles on disk that went wrong (a damaged file) and names that are object keys elsewhere. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WbError } from '../../shared/protocol';
import { thrown } from '../../shared/codec/thrown.test-util';
import { ProfileStore } from './profiles';
import { sampleProfile } from './profiles.test-util';

describe('ProfileStore robustness', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wb-prof-rb-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a damaged profiles.json is set aside, not fatal: the store starts empty and saves again', () => {
    const path = new ProfileStore(dir).path;
    writeFileSync(path, '{"profiles": {"Lab bench": {"wirebench": "prof');
    const store = new ProfileStore(dir);
    expect(store.list().filter((p) => !p.builtin)).toEqual([]);
    store.save(sampleProfile());
    expect(store.list().map((p) => p.name)).toContain('Lab bench');
    // the damaged text is kept next to it for the user, never silently lost
    const aside = readdirSync(dir).filter((n) => n.startsWith('profiles.json.broken-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0] as string), 'utf8')).toBe('{"profiles": {"Lab bench": {"wirebench": "prof');
    expect(existsSync(path)).toBe(true);
  });

  it('a damaged workspace.json reads as no workspace and can be saved over', () => {
    writeFileSync(join(dir, 'workspace.json'), '\u0000\u0000garbage');
    const store = new ProfileStore(dir);
    expect(store.getWorkspace()).toBeNull();
    expect(store.list().length).toBeGreaterThan(0);
    store.saveWorkspace(sampleProfile('ws'));
    expect(new ProfileStore(dir).getWorkspace()?.name).toBe('ws');
  });

  it('names like __proto__ and constructor are ordinary profile names', () => {
    const store = new ProfileStore(dir);
    expect(thrown(WbError, () => store.get('constructor')).message).toBe("There is no profile named 'constructor'");
    expect(thrown(WbError, () => store.delete('toString')).message).toBe("There is no profile named 'toString'");
    store.save(sampleProfile('__proto__'));
    store.save(sampleProfile('constructor'));
    const again = new ProfileStore(dir);
    expect(again.list().filter((p) => !p.builtin).map((p) => p.name)).toEqual(['__proto__', 'constructor']);
    expect(again.get('__proto__').name).toBe('__proto__');
    again.delete('__proto__');
    expect(new ProfileStore(dir).list().filter((p) => !p.builtin).map((p) => p.name)).toEqual(['constructor']);
    expect(Object.prototype).not.toHaveProperty('wirebench');
  });
});
