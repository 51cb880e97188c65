/** Profiles on disk: save/list/get/delete, built-ins, import/export, the workspace. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WbError } from '../../shared/protocol';
import { fromJson, parseProfileJson, profileFileName, toJson } from './profile-json';
import { BUILTIN_PROFILES, ProfileStore } from './profiles';
import { thrown } from '../../shared/codec/thrown.test-util';
import { sampleProfile } from './profiles.test-util';

describe('ProfileStore', () => {
  let dir: string;
  let store: ProfileStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wb-prof-'));
    store = new ProfileStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the built-in examples first, read-only', () => {
    const list = store.list();
    expect(list.map((p) => [p.name, p.builtin])).toEqual([
      ['SMTP server', true],
      ['HTTP responder', true],
      ['FTP server (control channel)', true],
      ['Redis-like key store', true],
      ['Line-based device', true],
      ['Modbus TCP slave', true],
    ]);
    const smtp = store.get('SMTP server');
    expect(smtp.sessions[0]?.config).toMatchObject({ kind: 'tcp-server', host: '127.0.0.1', port: 2525 });
    expect(smtp.sessions[0]?.rules?.greeting).toBeDefined();
    expect(store.get('HTTP responder').sessions[0]?.config).toMatchObject({ port: 8080, framing: { kind: 'delimiter' } });
    expect(thrown(WbError, () => store.save({ ...sampleProfile(), name: 'smtp server' })).message).toMatch(/built-in example/);
    expect(thrown(WbError, () => store.delete('SMTP server')).message).toMatch(/built-in example/);
    expect(BUILTIN_PROFILES).toHaveLength(6);
  });

  it('saves, overwrites by name, gets, lists and deletes, bytes included', () => {
    const p = sampleProfile();
    const saved = store.save(p);
    expect(saved).toMatchObject({ name: 'Lab bench', sessions: 2, builtin: false, description: 'two sessions' });
    expect(saved.savedAt).toBeGreaterThan(0);
    const back = store.get('Lab bench');
    expect(back).toEqual({ ...p, savedAt: saved.savedAt });
    expect(back.sessions[0]?.config.framing).toEqual({ kind: 'delimiter', delimiter: new Uint8Array([13, 10]), keep: false });
    // on disk the bytes are readable hex
    expect(readFileSync(store.path, 'utf8')).toContain('"$hex": "0d0a"');

    store.save({ ...p, description: 'changed' });
    expect(store.list().filter((x) => !x.builtin)).toEqual([expect.objectContaining({ name: 'Lab bench', description: 'changed' })]);
    store.save(sampleProfile('A first'));
    expect(store.list().map((x) => x.name)).toEqual(['SMTP server', 'HTTP responder', 'FTP server (control channel)', 'Redis-like key store', 'Line-based device', 'Modbus TCP slave', 'A first', 'Lab bench']);
    store.delete('Lab bench');
    expect(thrown(WbError, () => store.get('Lab bench')).message).toBe("There is no profile named 'Lab bench'");
    expect(thrown(WbError, () => store.delete('Lab bench')).code).toBe('INVALID_ARGUMENT');
    // a second store on the same folder sees the same data
    expect(new ProfileStore(dir).list().map((x) => x.name)).toEqual(['SMTP server', 'HTTP responder', 'FTP server (control channel)', 'Redis-like key store', 'Line-based device', 'Modbus TCP slave', 'A first']);
  });

  it('a bad import names the field and changes nothing', () => {
    store.save(sampleProfile());
    const before = readFileSync(store.path, 'utf8');
    const bad = JSON.parse(store.export('Lab bench').json) as { name: string; sessions: { config: { port: number } }[] };
    bad.name = 'Imported';
    (bad.sessions[0] as { config: { port: number; kind: string } }).config = { kind: 'tcp-client', host: 'x', port: 70000 } as never;
    const e = thrown(WbError, () => store.import(JSON.stringify(bad)));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain('sessions.0.config.port: port must be between 1 and 65535');
    expect(e.detail?.field).toBe('sessions.0.config.port');
    expect(thrown(WbError, () => store.import('{ not json')).message).toMatch(/^The file is not valid JSON/);
    expect(thrown(WbError, () => store.import('{"name":"x"}')).message).toMatch(/not a Wirebench profile/);
    expect(readFileSync(store.path, 'utf8')).toBe(before);
    expect(store.list().map((x) => x.name)).not.toContain('Imported');
  });

  it('export then import gives back an equal profile', () => {
    store.save(sampleProfile());
    const out = store.export('Lab bench');
    expect(out.fileName).toBe('Lab bench.wirebench.json');
    expect(profileFileName('a/b:c')).toBe('a_b_c.wirebench.json');
    const original = store.get('Lab bench');
    store.delete('Lab bench');
    expect(store.import(out.json)).toMatchObject({ name: 'Lab bench', sessions: 2 });
    const again = store.get('Lab bench');
    expect({ ...again, savedAt: 0 }).toEqual({ ...original, savedAt: 0 });
    expect(parseProfileJson(toJson(original))).toEqual(original);
    expect(fromJson('{"a":{"$hex":"00ff"}}')).toEqual({ a: new Uint8Array([0, 255]) });
  });

  it('keeps the last workspace apart from the profiles', () => {
    expect(store.getWorkspace()).toBeNull();
    const ws = sampleProfile('workspace');
    store.saveWorkspace(ws);
    expect(store.getWorkspace()).toMatchObject({ ...ws, savedAt: expect.any(Number) });
    expect(store.list().some((p) => p.name === 'workspace')).toBe(false);
    expect(new ProfileStore(dir).getWorkspace()).toEqual(store.getWorkspace());
  });
});
