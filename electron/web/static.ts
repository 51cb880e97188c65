/**
 * Static files of the built renderer (out/renderer) for serve mode: correct
 * MIME types, security headers, no path traversal, no directory listings.
 */
import { createReadStream, promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

const mimeType = (file: string): string => MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';

/** The content of the CSP meta tag of an HTML document, if it has one. */
export function cspFromHtml(html: string): string | undefined {
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    if (!/http-equiv\s*=\s*["']?content-security-policy["']?/i.test(tag)) continue;
    const m = /\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag);
    const value = m?.[1] ?? m?.[2];
    if (value !== undefined) return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();
  }
  return undefined;
}

export function securityHeaders(csp: string): Record<string, string> {
  // frame-ancestors only works as a header (browsers ignore it in a meta tag)
  const policy = /frame-ancestors/.test(csp) ? csp : `${csp.replace(/;\s*$/, '')}; frame-ancestors 'none'`;
  return {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(`${text}\n`, 'utf8');
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

/**
 * The file a request path names inside `root`, or an HTTP status explaining
 * why there is none. Works on the raw path: `..`, encoded slashes,
 * backslashes, NUL bytes and dot-files are refused before touching the disk.
 */
function resolveStaticPath(root: string, rawUrl: string): { file: string } | { status: number; reason: string } {
  const rawPath = rawUrl.split('?')[0]?.split('#')[0] ?? '/';
  if (!rawPath.startsWith('/')) return { status: 400, reason: 'Bad request path' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { status: 400, reason: 'Bad request path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 400, reason: 'Bad request path' };
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return { status: 403, reason: 'Path traversal is not allowed' };
  if (segments.some((s) => s.startsWith('.'))) return { status: 404, reason: 'Not found' };
  const rel = segments.length === 0 ? 'index.html' : segments.join('/');
  const base = resolve(root);
  const file = resolve(join(base, rel));
  if (file !== base && !file.startsWith(base + sep)) return { status: 403, reason: 'Path traversal is not allowed' };
  return { file };
}

export interface StaticOptions {
  root: string;
  /** real path of root, to refuse symlinks that lead outside it */
  realRoot: string;
  headers: Record<string, string>;
}

export async function serveStatic(req: IncomingMessage, res: ServerResponse, opts: StaticOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'Method not allowed', { ...opts.headers, Allow: 'GET, HEAD' });
    return;
  }
  const target = resolveStaticPath(opts.root, req.url ?? '/');
  if ('status' in target) {
    sendText(res, target.status, target.reason, opts.headers);
    return;
  }
  let size: number;
  try {
    const real = await fsp.realpath(target.file);
    if (real !== opts.realRoot && !real.startsWith(opts.realRoot + sep)) {
      sendText(res, 403, 'Path traversal is not allowed', opts.headers);
      return;
    }
    const st = await fsp.stat(real);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    sendText(res, 404, 'Not found', opts.headers);
    return;
  }
  res.writeHead(200, {
    ...opts.headers,
    'Content-Type': mimeType(target.file),
    'Content-Length': String(size),
    // hashed asset names change with every build; index.html must be revalidated
    'Cache-Control': target.file.endsWith('.html') ? 'no-cache' : 'public, max-age=3600',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(target.file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
