/**
 * The window's Content-Security-Policy header: the renderer's own meta-tag
 * policy (renderer/index.html) plus frame-ancestors, which only works as a
 * header. csp.test.ts keeps the two in step.
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
