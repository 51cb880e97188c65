/**
 * Which links may leave the app for the system browser: https only, to a
 * host the app actually links to. The renderer has no external links yet, so
 * the list holds the project's repository host only. Everything else is
 * refused. Pure (no electron import), so it is unit-tested.
 */

/** Hosts the app links to (exact names, no subdomains). */
export const EXTERNAL_HOSTS: readonly string[] = ['github.com'];

export type ExternalDecision = { ok: true; url: string } | { ok: false; reason: string };

export function externalLink(raw: string, hosts: readonly string[] = EXTERNAL_HOSTS): ExternalDecision {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (u.protocol !== 'https:') return { ok: false, reason: `scheme ${u.protocol} is not https:` };
  if (u.username || u.password) return { ok: false, reason: 'the URL carries credentials' };
  if (u.port) return { ok: false, reason: `port ${u.port} is not the https default` };
  if (!hosts.includes(u.hostname)) return { ok: false, reason: `host ${u.hostname} is not on the allow-list` };
  return { ok: true, url: u.href };
}

/** A URL shortened for a log line (a page could pass megabytes). */
export function forLog(url: string): string {
  return url.length > 200 ? `${url.slice(0, 200)}…` : url;
}

/** What the user guide's address is made of: package.json's `repository` and `version`. */
export interface PackageFacts {
  version?: string;
  repository?: string | { url?: string };
}

/**
 * Help › User guide: the guide of this version in the project's GitHub
 * repository (`docs/user-guide.md` at the tag `v<version>`), or null when
 * package.json names no GitHub repository (then the menu says where the
 * guide is). The address still passes `externalLink` before it is opened.
 */
export function userGuideUrl(pkg: PackageFacts): string | null {
  const raw = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (!raw) return null;
  const m = /^(?:github:|(?:git\+)?https:\/\/github\.com\/|git@github\.com:)?([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(raw.trim());
  if (!m) return null;
  const ref = pkg.version ? `v${pkg.version}` : 'HEAD';
  return `https://github.com/${m[1]}/${m[2]}/blob/${ref}/docs/user-guide.md`;
}
