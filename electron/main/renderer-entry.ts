/**
 * Where the window's page comes from, and which URLs count as that page.
 *
 * `npm run dev` (electron-vite) sets ELECTRON_RENDERER_URL to its dev server.
 * Only an unpackaged app honours it: in a packaged app the variable changes
 * nothing, so the window loads the bundled file and the IPC sender check
 * accepts that file only. Pure (no electron import), so it is unit-tested.
 */
import { pathToFileURL } from 'node:url';

export type RendererEntry =
  /** `ignored`: why a set ELECTRON_RENDERER_URL was not used (for a log line). */
  | { kind: 'file'; url: string; ignored?: string }
  | { kind: 'dev-server'; url: string };

export interface RendererEntryInput {
  isPackaged: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Absolute path of the built renderer/index.html. */
  builtFile: string;
}

const DEV_URL_VAR = 'ELECTRON_RENDERER_URL';

export function rendererEntry({ isPackaged, env, builtFile }: RendererEntryInput): RendererEntry {
  const file = pathToFileURL(builtFile).toString();
  const dev = env[DEV_URL_VAR];
  if (!dev) return { kind: 'file', url: file };
  if (isPackaged) return { kind: 'file', url: file, ignored: `${DEV_URL_VAR} is ignored in a packaged app` };
  const parsed = parseUrl(dev);
  // a dev server is http(s); anything else (file:, javascript:, junk) is not one
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    return { kind: 'file', url: file, ignored: `${DEV_URL_VAR} is not an http(s) URL` };
  }
  return { kind: 'dev-server', url: parsed.href };
}

/**
 * Whether `url` is our page: the very file for a bundled page (any query or
 * hash), or the dev server's origin in development.
 */
export function isEntryUrl(entry: RendererEntry, url: string): boolean {
  const u = parseUrl(url);
  const base = parseUrl(entry.url);
  if (!u || !base) return false;
  if (entry.kind === 'file') {
    return u.protocol === 'file:' && u.host === base.host && u.pathname === base.pathname;
  }
  return u.origin === base.origin;
}

function parseUrl(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}
