/**
 * Constants that the serve-mode server, the Electron window and the renderer
 * must agree on: one copy each.
 */

/** The renderer's Content-Security-Policy, exactly as its `<meta>` tag says it (serve.test.ts checks index.html). */
export const CSP_META =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

/** The same policy as an HTTP header, plus frame-ancestors (which browsers ignore in a meta tag). */
export const CSP_HEADER = `${CSP_META}; frame-ancestors 'none'`;

/** The WebSocket endpoint of serve mode. */
export const WS_PATH = '/ws';

/** Prefix of the WebSocket subprotocol that carries the token: `wirebench.token.<token>`. */
export const TOKEN_PROTOCOL_PREFIX = 'wirebench.token.';

export const TOKEN_MIN_LENGTH = 16;
export const TOKEN_MAX_LENGTH = 256;
/** A well-formed token: 16–256 of A–Z a–z 0–9 _ - (URL- and subprotocol-safe). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,256}$/;
