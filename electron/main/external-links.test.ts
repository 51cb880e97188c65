import { describe, expect, it } from 'vitest';
import { EXTERNAL_HOSTS, externalLink, forLog } from './external-links';

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
