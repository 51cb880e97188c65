/**
 * Profiles as JSON text (files on disk, imports, exports). Bytes inside a
 * profile (a framing delimiter, a raw send payload) are written as
 * `{"$hex": "0d0a"}` so the file stays readable and editable.
 */
import type { z } from 'zod';
import { profileSchema, WbError, type Profile } from '../../shared/protocol';

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

/** "sessions.0.config.port: port must be between 1 and 65535" — the first issue, in words. */
export function describeIssue(error: z.ZodError): { message: string; field?: string } {
  const issue = error.issues[0];
  if (!issue) return { message: 'the profile is not valid' };
  const field = issue.path.map(String).join('.');
  return field ? { message: `${field}: ${issue.message}`, field } : { message: issue.message };
}

/** Validate a parsed value as a profile, or throw INVALID_ARGUMENT naming the field. */
export function checkProfile(value: unknown, what = 'This profile'): Profile {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || (value as { wirebench?: unknown }).wirebench !== 'profile') {
    throw new WbError('INVALID_ARGUMENT', `${what} is not a Wirebench profile (it has no "wirebench": "profile" field)`);
  }
  const parsed = profileSchema.safeParse(value);
  if (!parsed.success) {
    const { message, field } = describeIssue(parsed.error);
    throw new WbError('INVALID_ARGUMENT', `${what} is not valid: ${message}`, field ? { field } : undefined);
  }
  return parsed.data;
}

/** Parse and validate a profile file's text. */
export function parseProfileJson(text: string): Profile {
  let value: unknown;
  try {
    value = fromJson(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new WbError('INVALID_ARGUMENT', `The file is not valid JSON: ${why}`);
  }
  return checkProfile(value, 'The file');
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
