/**
 * The send panel's settings of each session in localStorage, so a reload or
 * a restart of the engine gives them back. Session ids are not stable across
 * engine restarts, so the key is the session's identity as the user sees it:
 * kind, name and local/remote endpoint (plus a number when several live
 * sessions share one), e.g. `wirebench.send.v1:tcp-server|PLC|0.0.0.0|502`.
 */
import type { SendSettings, SessionConfig, SessionInfo } from '../../../shared/protocol';

export const SEND_KEY_PREFIX = 'wirebench.send.v1:';
/** entries kept; the least recently saved go first */
export const SEND_KEEP = 64;

export interface StoredSend {
  savedAt: number;
  send: unknown;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function endpoint(c: SessionConfig): string[] {
  if (c.kind === 'tcp-client') return [c.host, String(c.port)];
  if (c.kind === 'tcp-server') return [c.host, String(c.port)];
  return [c.family, c.bindAddress ?? '', String(c.bindPort)];
}

const base = (c: SessionConfig): string => [c.kind, c.name ?? '', ...endpoint(c)].map(encodeURIComponent).join('|');

/** The stable key of a session among the live ones (sorted by creation). */
export function sendKeyOf(info: SessionInfo, live: readonly SessionInfo[]): string {
  const sig = base(info.config);
  const earlier = live.filter((s) => s.createdAt < info.createdAt || (s.createdAt === info.createdAt && s.sessionId < info.sessionId));
  const n = earlier.filter((s) => base(s.config) === sig).length;
  return SEND_KEY_PREFIX + sig + (n > 0 ? `#${n + 1}` : '');
}

export function readSend(key: string): StoredSend | null {
  try {
    const raw = storage()?.getItem(key);
    if (!raw) return null;
    const v: unknown = JSON.parse(raw);
    if (!v || typeof v !== 'object' || typeof (v as StoredSend).savedAt !== 'number') return null;
    return v as StoredSend;
  } catch {
    return null;
  }
}

/** Saves one session's settings; false when storage is full or disabled (they still apply for this run). */
export function writeSend(key: string, send: SendSettings, savedAt = Date.now()): boolean {
  const s = storage();
  if (!s) return false;
  const value = JSON.stringify({ savedAt, send } satisfies StoredSend);
  try {
    s.setItem(key, value);
    return true;
  } catch {
    prune(Math.floor(SEND_KEEP / 2));
    try {
      s.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  }
}

/** Keeps the `keep` most recently saved entries. */
export function prune(keep = SEND_KEEP): void {
  const s = storage();
  if (!s) return;
  const entries: { key: string; at: number }[] = [];
  for (let i = 0; i < s.length; i++) {
    const key = s.key(i);
    if (key?.startsWith(SEND_KEY_PREFIX)) entries.push({ key, at: readSend(key)?.savedAt ?? 0 });
  }
  if (entries.length <= keep) return;
  entries.sort((a, b) => b.at - a.at);
  for (const e of entries.slice(keep)) s.removeItem(e.key);
}
