/**
 * The serve-mode access token: whoever holds it controls sockets on this
 * machine, so it is random, long, URL- and subprotocol-safe, and compared in
 * constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import {
  TOKEN_MAX_LENGTH as MAX_TOKEN_LENGTH,
  TOKEN_MIN_LENGTH as MIN_TOKEN_LENGTH,
  TOKEN_PATTERN,
  TOKEN_PROTOCOL_PREFIX,
} from '../../shared/protocol/serve';

/** 24 random bytes as base64url: 32 characters, 192 bits. */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Why a user-chosen token is unusable, or null when it is fine. */
export function tokenProblem(token: string): string | null {
  if (token.length < MIN_TOKEN_LENGTH) {
    return `the token must be at least ${MIN_TOKEN_LENGTH} characters long (it has ${token.length})`;
  }
  if (token.length > MAX_TOKEN_LENGTH) {
    return `the token must be at most ${MAX_TOKEN_LENGTH} characters long`;
  }
  if (!TOKEN_PATTERN.test(token)) {
    return 'the token may only contain letters A–Z and a–z, digits 0–9, "_" and "-"';
  }
  return null;
}

export const isValidToken = (token: string): boolean => tokenProblem(token) === null;

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Constant-time comparison. Both sides are hashed first so neither the
 * content nor the length of the expected token leaks through timing.
 */
export function tokensEqual(expected: string, given: string): boolean {
  return timingSafeEqual(digest(expected), digest(given));
}

/** The token offered in a `Sec-WebSocket-Protocol` header value, if any. */
export function tokenFromProtocols(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const p = part.trim();
    if (p.startsWith(TOKEN_PROTOCOL_PREFIX)) return p.slice(TOKEN_PROTOCOL_PREFIX.length);
  }
  return undefined;
}
