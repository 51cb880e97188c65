/**
 * How each session's log is shown (text/hex/both, word wrap), remembered in
 * localStorage across reloads. Keyed by session id and creation time, so a
 * session id the engine hands out again after a restart does not inherit the
 * view of an older session. Entries of sessions that are gone are dropped at
 * each re-sync; at most MAX_ENTRIES are kept (the least recently changed go).
 */
import { DISPLAY_MODES, type DisplayMode } from './types';

export const VIEW_PREFS_KEY = 'wirebench.logview.v1';
export const MAX_ENTRIES = 200;

export interface SessionView {
  mode: DisplayMode;
  wrap: boolean;
}

export const viewKey = (sessionId: string, createdAt: number): string => `${sessionId}@${createdAt}`;

function valid(v: unknown): v is SessionView {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return DISPLAY_MODES.includes(o['mode'] as DisplayMode) && typeof o['wrap'] === 'boolean';
}

export class ViewPrefs {
  private entries = new Map<string, SessionView>();

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null) {
    try {
      const raw: unknown = JSON.parse(storage?.getItem(VIEW_PREFS_KEY) ?? '{}');
      if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
        for (const [k, v] of Object.entries(raw)) if (valid(v)) this.entries.set(k, { mode: v.mode, wrap: v.wrap });
      }
    } catch {
      // unreadable: start empty
    }
  }

  get(key: string): SessionView | undefined {
    return this.entries.get(key);
  }

  set(key: string, view: SessionView): void {
    this.entries.delete(key);
    this.entries.set(key, { ...view });
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.save();
  }

  delete(key: string): void {
    if (this.entries.delete(key)) this.save();
  }

  /** Keep only these sessions' entries (the engine's list after a re-sync). */
  retain(keys: ReadonlySet<string>): void {
    let changed = false;
    for (const k of [...this.entries.keys()]) {
      if (keys.has(k)) continue;
      this.entries.delete(k);
      changed = true;
    }
    if (changed) this.save();
  }

  private save(): void {
    try {
      this.storage?.setItem(VIEW_PREFS_KEY, JSON.stringify(Object.fromEntries(this.entries)));
    } catch {
      // storage full or disabled: the views still apply for this run
    }
  }
}

export function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
