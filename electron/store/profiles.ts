/**
 * Saved profiles and the last workspace, kept as JSON files in the data
 * directory through `conf` (atomic writes): `profiles.json` holds the user's
 * profiles by name, `workspace.json` the last workspace. Pure Node.
 *
 * Everything read back is validated again with `profileSchema`, so a file
 * edited by hand can never hand the engine a bad config: a broken profile is
 * left out of the list and `get` names the field that is wrong.
 *
 * The built-in examples (shared/rules/examples.ts) are offered as read-only
 * profiles: one TCP server each on 127.0.0.1 (SMTP on 2525, HTTP on 8080, or
 * the next free port above when that one is taken: `nextFreePort`).
 */
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf, { type Options } from 'conf';
import {
  PROFILE_VERSION,
  say,
  WbError,
  type Reason,
  type Profile,
  type ProfileSummary,
  tcpServerConfigSchema,
  profileSchema,
} from '../../shared/protocol';
import { EXAMPLE_PROFILES, type ExampleProfileId } from '../../shared/rules/examples';
import { checkProfile, fromJson, parseProfileJson, profileFileName, toJson } from './profile-json';

const EXAMPLE_PORTS: Record<ExampleProfileId, number> = { smtp: 2525, http: 8080, ftp: 2121, redis: 6380, device: 5025, modbus: 1502 };

/** The examples' names and descriptions as Reasons, by profile name. */
const BUILTIN_WHY = new Map<string, { nameWhy: Reason; descriptionWhy: Reason }>(
  EXAMPLE_PROFILES.map((ex) => [ex.name, { nameWhy: ex.nameWhy, descriptionWhy: ex.descriptionWhy }]),
);

/** The examples as profiles (built once). */
export const BUILTIN_PROFILES: readonly Profile[] = EXAMPLE_PROFILES.map((ex) =>
  profileSchema.parse({
    wirebench: 'profile',
    version: PROFILE_VERSION,
    name: ex.name,
    description: ex.description,
    sessions: [
      {
        config: tcpServerConfigSchema.parse({
          kind: 'tcp-server',
          name: ex.name,
          host: '127.0.0.1',
          port: EXAMPLE_PORTS[ex.id],
          // 8080 and 2525 are often taken: the example then listens on the next free port and says so
          nextFreePort: true,
          framing: ex.framing,
        }),
        rules: ex.rules,
      },
    ],
  }),
);

const sameName = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
const builtin = (name: string): Profile | undefined => BUILTIN_PROFILES.find((p) => sameName(p.name, name));

const summary = (p: Profile, isBuiltin: boolean): ProfileSummary => ({
  name: p.name,
  ...(p.description !== undefined ? { description: p.description } : {}),
  ...(p.savedAt !== undefined ? { savedAt: p.savedAt } : {}),
  sessions: p.sessions.length,
  builtin: isBuiltin,
  ...(isBuiltin ? BUILTIN_WHY.get(p.name) : {}),
});

type ProfilesFile = { profiles: Record<string, unknown> };
type WorkspaceFile = { workspace: unknown };

type StoreOp = 'profile.openFailed' | 'profile.readFailed' | 'profile.saveFailed' | 'profile.workspaceFailed';

function storeFailed(op: StoreOp, path: string, e: unknown): WbError {
  const sysCode = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  const detail = e instanceof Error ? e.message : String(e);
  return new WbError('WRITE_FAILED', say(op, { path, detail }), sysCode ? { sysCode } : undefined);
}

/** Told when a damaged file was set aside: the file, where it went, and why. */
export type SetAsideListener = (file: string, movedTo: string, reason: string) => void;

/**
 * A file that is no longer JSON (a crash mid-write by another tool, a bad hand
 * edit) must not lock the user out of profiles: it is renamed to
 * `<name>.json.broken-<time>` (kept for the user) and the store starts afresh.
 */
function setAside(path: string, why: unknown, tell: SetAsideListener): void {
  const movedTo = `${path}.broken-${Date.now()}`;
  try {
    renameSync(path, movedTo);
  } catch {
    return; // already gone: nothing to keep
  }
  tell(path, movedTo, why instanceof Error ? why.message : String(why));
}

/** A file that does not parse: bad JSON (SyntaxError), or nested too deeply for the parser (RangeError). */
const isParseError = (e: unknown): boolean => e instanceof SyntaxError || e instanceof RangeError;

function openConf<T extends Record<string, unknown>>(options: Options<T>, path: string, tell: SetAsideListener): Conf<T> {
  try {
    return new Conf<T>(options);
  } catch (e) {
    if (!isParseError(e)) throw storeFailed('profile.openFailed', path, e);
    setAside(path, e, tell);
    try {
      return new Conf<T>(options);
    } catch (again) {
      throw storeFailed('profile.openFailed', path, again);
    }
  }
}

/** Run a read or write of a conf file; a file found damaged is set aside and the call tried once more. */
function withRecovery<R>(path: string, fn: () => R, tell: SetAsideListener): R {
  try {
    return fn();
  } catch (e) {
    if (!isParseError(e)) throw e;
    setAside(path, e, tell);
    return fn();
  }
}

/** A copy without a prototype, so a profile named `__proto__` or `constructor` is an ordinary key. */
function ownEntries(value: unknown): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) out[k] = v;
  }
  return out;
}

export class ProfileStore {
  private readonly profiles: Conf<ProfilesFile>;
  private readonly workspace: Conf<WorkspaceFile>;

  constructor(
    dataDir: string,
    private readonly tell: SetAsideListener = () => undefined,
  ) {
    const common = {
      cwd: dataDir,
      projectName: 'wirebench',
      accessPropertiesByDotNotation: false,
      serialize: (v: unknown) => toJson(v, '\t'),
      deserialize: (text: string) => fromJson(text) as never,
      configFileMode: 0o600,
    };
    this.profiles = openConf<ProfilesFile>({ ...common, configName: 'profiles' }, join(dataDir, 'profiles.json'), tell);
    this.workspace = openConf<WorkspaceFile>({ ...common, configName: 'workspace' }, join(dataDir, 'workspace.json'), tell);
  }

  /** Where the profiles live (for messages and tests). */
  get path(): string {
    return this.profiles.path;
  }

  private readAll(): Record<string, unknown> {
    let all: unknown;
    try {
      all = withRecovery(this.profiles.path, () => this.profiles.get('profiles'), this.tell);
    } catch (e) {
      throw storeFailed('profile.readFailed', this.profiles.path, e);
    }
    return ownEntries(all);
  }

  private writeAll(all: Record<string, unknown>): void {
    try {
      withRecovery(this.profiles.path, () => this.profiles.set('profiles', all), this.tell);
    } catch (e) {
      throw storeFailed('profile.saveFailed', this.profiles.path, e);
    }
  }

  /** The built-in examples first, then the user's profiles by name. Broken entries are left out. */
  list(): ProfileSummary[] {
    const mine: ProfileSummary[] = [];
    for (const value of Object.values(this.readAll())) {
      const parsed = profileSchema.safeParse(value);
      if (parsed.success) mine.push(summary(parsed.data, false));
    }
    mine.sort((a, b) => a.name.localeCompare(b.name));
    return [...BUILTIN_PROFILES.map((p) => summary(p, true)), ...mine];
  }

  get(name: string): Profile {
    const b = builtin(name);
    if (b) return b;
    const all = this.readAll();
    const key = name.trim();
    const value = Object.hasOwn(all, key) ? all[key] : undefined;
    if (value === undefined) throw new WbError('INVALID_ARGUMENT', say('profile.notFound', { name }), { field: 'name' });
    return checkProfile(value, { kind: 'saved', name });
  }

  /** Save or overwrite (by name). A built-in example's name is refused. */
  save(profile: Profile): ProfileSummary {
    const p = checkProfile(profile);
    if (builtin(p.name)) {
      throw new WbError('INVALID_ARGUMENT', say('profile.builtinName', { name: p.name }), { field: 'name' });
    }
    const stored: Profile = { ...p, savedAt: Date.now() };
    const all = this.readAll();
    all[stored.name] = stored;
    this.writeAll(all);
    return summary(stored, false);
  }

  delete(name: string): void {
    if (builtin(name)) throw new WbError('INVALID_ARGUMENT', say('profile.builtinDelete', { name }), { field: 'name' });
    const all = this.readAll();
    const key = name.trim();
    if (!Object.hasOwn(all, key)) throw new WbError('INVALID_ARGUMENT', say('profile.notFound', { name }), { field: 'name' });
    delete all[key];
    this.writeAll(all);
  }

  /** Validate a profile file's text and save it; a bad file changes nothing. */
  import(json: string): ProfileSummary {
    return this.save(parseProfileJson(json));
  }

  /** The JSON text of a profile and a file name for it. */
  export(name: string): { json: string; fileName: string } {
    const p = this.get(name);
    return { json: `${toJson(p, 2)}\n`, fileName: profileFileName(p.name) };
  }

  /** The last workspace, or null when none was saved (or it no longer validates). */
  getWorkspace(): Profile | null {
    let value: unknown;
    try {
      value = withRecovery(this.workspace.path, () => this.workspace.get('workspace'), this.tell);
    } catch {
      return null;
    }
    if (value === undefined || value === null) return null;
    const parsed = profileSchema.safeParse(value);
    return parsed.success ? parsed.data : null;
  }

  saveWorkspace(profile: Profile): void {
    const p = checkProfile(profile, { kind: 'workspace' });
    try {
      withRecovery(this.workspace.path, () => this.workspace.set('workspace', { ...p, savedAt: Date.now() }), this.tell);
    } catch (e) {
      throw storeFailed('profile.workspaceFailed', this.workspace.path, e);
    }
  }
}
