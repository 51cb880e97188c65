import { describe, expect, it } from 'vitest';
import { EXTERNAL_HOSTS, externalLink, forLog, userGuideUrl } from './external-links';

describe('externalLink: which URLs may open in the system browser', () => {
  it('holds the repository host only', () => {
    expect(EXTERNAL_HOSTS).toEqual(['github.com']);
  });

  it('allows https links to an allow-listed host, normalised', () => {
    expect(externalLink('https://github.com/')).toEqual({ ok: true, url: 'https://github.com/' });
    expect(externalLink('https://github.com/owner/repo/releases?q=1#x')).toEqual({
      ok: true,
      url: 'https://github.com/owner/repo/releases?q=1#x',
    });
    expect(externalLink('HTTPS://GitHub.COM/a')).toEqual({ ok: true, url: 'https://github.com/a' });
    expect(externalLink('https://github.com:443/a')).toEqual({ ok: true, url: 'https://github.com/a' });
  });

  it.each([
    ['http://github.com/', /https/],
    ['file:///etc/passwd', /https/],
    ['javascript:alert(1)', /https/],
    ['smb://github.com/share', /https/],
    ['ms-settings:', /https/],
    ['https://evil.example/', /allow-list/],
    ['https://github.com.evil.example/', /allow-list/],
    ['https://evil.example/https://github.com/', /allow-list/],
    ['https://api.github.com/', /allow-list/],
    ['https://xn--github-8ya.com/', /allow-list/],
    ['https://github.com@evil.example/', /credentials/],
    ['https://user:pass@github.com/', /credentials/],
    ['https://github.com:8443/', /port/],
    ['not a url', /not a URL/],
    ['', /not a URL/],
  ])('refuses %s', (url, reason) => {
    const d = externalLink(url);
    expect(d.ok).toBe(false);
    expect(!d.ok && d.reason).toMatch(reason);
  });

  it('uses the list it is given', () => {
    expect(externalLink('https://docs.example/x', ['docs.example']).ok).toBe(true);
    expect(externalLink('https://github.com/', []).ok).toBe(false);
  });

  it('shortens long URLs for the log', () => {
    expect(forLog('https://a/')).toBe('https://a/');
    expect(forLog(`https://a/${'x'.repeat(1000)}`)).toHaveLength(201);
  });
});

describe('userGuideUrl', () => {
  it('points at this version\'s guide in the GitHub repository package.json names', () => {
    const want = 'https://github.com/acme/wirebench/blob/v1.2.3/docs/user-guide.md';
    for (const repository of ['acme/wirebench', 'github:acme/wirebench', 'https://github.com/acme/wirebench', 'git+https://github.com/acme/wirebench.git', 'git@github.com:acme/wirebench.git', { url: 'https://github.com/acme/wirebench.git' }]) {
      expect(userGuideUrl({ version: '1.2.3', repository }), JSON.stringify(repository)).toBe(want);
    }
    expect(externalLink(want)).toEqual({ ok: true, url: want });
    expect(userGuideUrl({ repository: 'acme/wirebench' })).toBe('https://github.com/acme/wirebench/blob/HEAD/docs/user-guide.md');
  });

  it('gives none without a GitHub repository', () => {
    expect(userGuideUrl({ version: '1.0.0' })).toBeNull();
    expect(userGuideUrl({ repository: 'https://gitlab.com/acme/wirebench' })).toBeNull();
    expect(userGuideUrl({ repository: { url: '' } })).toBeNull();
    expect(userGuideUrl({ repository: 'https://github.com/acme/wirebench/../../evil' })).toBeNull();
  });
});
