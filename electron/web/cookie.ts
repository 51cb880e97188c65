/**
 * The access token as a cookie, as Jupyter does: the first visit with
 * `?token=` is answered with a redirect to the same page without it and an
 * HttpOnly, SameSite=Strict cookie, so bookmarks and new tabs work and the
 * token leaves the address bar. Cookies are per host, not per port, so the
 * cookie's name carries the port: two servers on one machine keep theirs.
 */
import type { IncomingMessage } from 'node:http';
import { isValidToken, tokensEqual } from './token';

/** A year: the cookie lives as long as the token it holds (a new token makes it useless). */
const MAX_AGE_S = 365 * 24 * 3600;
/** POST here to drop this browser's cookie ("Forget this browser"). */
export const FORGET_PATH = '/forget';

export const cookieName = (port: number): string => `wirebench_token_${port}`;

/** The token in the request's cookie for this server, if any. */
export function tokenFromCookie(req: IncomingMessage, port: number): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  const name = cookieName(port);
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return isValidToken(value) ? value : undefined;
  }
  return undefined;
}

export const setCookie = (port: number, token: string): string =>
  `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${MAX_AGE_S}`;

export const clearCookie = (port: number): string => `${cookieName(port)}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;

/**
 * A page request carrying the right `?token=`: where to redirect (the same
 * URL without the token), or undefined when the request is not one.
 */
export function tokenExchange(req: IncomingMessage, expected: string): string | undefined {
  if (req.method !== 'GET') return undefined;
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  if (q < 0) return undefined;
  const params = new URLSearchParams(raw.slice(q + 1));
  const given = params.get('token');
  if (given === null || !tokensEqual(expected, given)) return undefined;
  params.delete('token');
  const rest = params.toString();
  return raw.slice(0, q) + (rest ? `?${rest}` : '');
}
