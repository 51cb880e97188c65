/**
 * Serve mode downloads: `GET /files/captures/<name>?token=…` and
 * `GET /files/exports/<name>?token=…` stream a capture or export file as an
 * attachment. The token is required (compared like the WebSocket token), the
 * name is one plain file name (no slashes, no `..`, no dot-files), and the
 * file's real path must stay inside its folder (no symlinks out).
 */
import { createReadStream, promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { sendText } from './static';
import { tokensEqual } from './token';

const FILES_PREFIX = '/files/';
const FOLDERS = new Set(['captures', 'exports']);
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/;

export interface FilesOptions {
  dataDir: string;
  token: string;
  /** the token from this server's cookie, if the browser sent it */
  cookieToken?: string;
  headers: Record<string, string>;
}

export const isFilesRequest = (url: string | undefined): boolean => (url ?? '').startsWith(FILES_PREFIX);

const MIME: Record<string, string> = {
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  pcapng: 'application/vnd.tcpdump.pcap',
};

/** Answer a `/files/…` request. */
export async function serveDataFile(req: IncomingMessage, res: ServerResponse, opts: FilesOptions): Promise<void> {
  const h = opts.headers;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'Method not allowed', { ...h, Allow: 'GET, HEAD' });
    return;
  }
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const token = (q >= 0 ? new URLSearchParams(raw.slice(q + 1)).get('token') : null) ?? opts.cookieToken ?? null;
  if (!token) {
    sendText(res, 401, 'Unauthorized: the access token is missing', h);
    return;
  }
  if (!tokensEqual(opts.token, token)) {
    sendText(res, 403, 'Forbidden: the access token is wrong', h);
    return;
  }
  const rest = path.slice(FILES_PREFIX.length).split('/');
  let name: string;
  try {
    name = decodeURIComponent(rest[1] ?? '');
  } catch {
    sendText(res, 400, 'Bad request path', h);
    return;
  }
  const folder = rest[0] ?? '';
  if (rest.length !== 2 || !FOLDERS.has(folder) || name.includes('..') || !SAFE_NAME.test(name)) {
    sendText(res, 403, 'Only files directly inside captures/ and exports/ can be downloaded', h);
    return;
  }
  let size: number;
  let real: string;
  try {
    const dir = await fsp.realpath(join(opts.dataDir, folder));
    real = await fsp.realpath(join(dir, name));
    if (!real.startsWith(dir + sep)) {
      sendText(res, 403, 'Only files directly inside captures/ and exports/ can be downloaded', h);
      return;
    }
    const st = await fsp.stat(real);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    sendText(res, 404, 'Not found', h);
    return;
  }
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  res.writeHead(200, {
    ...h,
    'Content-Type': MIME[ext] ?? 'application/octet-stream',
    'Content-Length': String(size),
    'Content-Disposition': `attachment; filename="${name}"`,
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  // a file still growing (an active capture) is sent as far as it was when asked
  const stream = createReadStream(real, { start: 0, end: size - 1 });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
