/**
 * Profiles as JSON text (files on disk, imports, exports). Bytes inside a
 * profile (a framing delimiter, a raw send payload) are written as
 * `{"$hex": "0d0a"}` so the file stays readable and editable.
 */
import type { z } from 'zod';
import { describeIssue as describeIssues, profileSchema, say, WbError, type Profile, type Reason } from '../../shared/protocol';

const HEX_KEY = '$hex';

export function toJson(value: unknown, indent: string | number = 2): string {
  return JSON.stringify(
    value,
    function (this: unknown, key: string, v: unknown) {
      // the holder's own value: Buffer.toJSON has already run on `v`
      const raw: unknown = (this as Record<string, unknown>)[key];
      if (raw instanceof Uint8Array) return { [HEX_KEY]: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('hex') };
      return v;
    },
    indent,
  );
}

/** Parse JSON text, turning `{"$hex": "…"}` back into bytes. Throws SyntaxError on bad JSON. */
export function fromJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const hex = (v as Record<string, unknown>)[HEX_KEY];
      if (typeof hex === 'string' && Object.keys(v).length === 1 && /^(?:[0-9a-fA-F]{2})*$/.test(hex)) {
        return new Uint8Array(Buffer.from(hex, 'hex'));
      }
    }
    return v;
  });
}

/** "sessions.0.config.port: port must be between 1 and 65535" — the first issue, in words, with its Reason. */
function describeIssue(error: z.ZodError): { message: string; field?: string; why: Reason } {
  return describeIssues(error.issues, say('profile.invalidAnyway'));
}

/** Which profile a check is about: one sent with a command, a file, or a saved one by name. */
export type ProfileSource = { kind: 'this' | 'file' | 'workspace' } | { kind: 'saved'; name: string };

const NOT_PROFILE = { this: 'profile.notProfile', file: 'profile.fileNotProfile', workspace: 'profile.workspaceNotProfile' } as const;
const NOT_VALID = { this: 'profile.notValid', file: 'profile.fileNotValid', workspace: 'profile.workspaceNotValid' } as const;

function notProfile(src: ProfileSource): Reason {
  return src.kind === 'saved' ? say('profile.savedNotProfile', { name: src.name }) : say(NOT_PROFILE[src.kind]);
}

function notValid(src: ProfileSource, why: Reason): Reason {
  return src.kind === 'saved' ? say('profile.savedNotValid', { name: src.name, why }) : say(NOT_VALID[src.kind], { why });
}

/** Validate a parsed value as a profile, or throw INVALID_ARGUMENT naming the field. */
export function checkProfile(value: unknown, src: ProfileSource = { kind: 'this' }): Profile {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || (value as { wirebench?: unknown }).wirebench !== 'profile') {
    throw new WbError('INVALID_ARGUMENT', notProfile(src));
  }
  const parsed = profileSchema.safeParse(value);
  if (!parsed.success) {
    const { field, why } = describeIssue(parsed.error);
    throw new WbError('INVALID_ARGUMENT', notValid(src, why), field ? { field } : undefined);
  }
  return parsed.data;
}

/** Parse and validate a profile file's text. */
export function parseProfileJson(text: string): Profile {
  let value: unknown;
  try {
    value = fromJson(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new WbError('INVALID_ARGUMENT', say('profile.badJson', { detail }));
  }
  return checkProfile(value, { kind: 'file' });
}

/** A file name for a profile: `My_profile.wirebench.json`. */
export function profileFileName(name: string): string {
  const stem = name
    .normalize('NFKC')
    .replace(/[\\/:*?"<>|\x00-\x1f]+/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 80);
  return `${stem === '' ? 'profile' : stem}.wirebench.json`;
}
