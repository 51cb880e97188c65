import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isEntryUrl, rendererEntry } from './renderer-entry';

const builtFile = '/opt/Wirebench/resources/app.asar/out/renderer/index.html';
const fileUrl = pathToFileURL(builtFile).toString();
const DEV = 'http://localhost:5173/';

describe('rendererEntry: where the window loads its page from', () => {
  it('loads the bundled file when ELECTRON_RENDERER_URL is not set', () => {
    expect(rendererEntry({ isPackaged: false, env: {}, builtFile })).toEqual({ kind: 'file', url: fileUrl });
    expect(rendererEntry({ isPackaged: true, env: {}, builtFile })).toEqual({ kind: 'file', url: fileUrl });
  });

  it('loads the dev server in an unpackaged app when ELECTRON_RENDERER_URL is set', () => {
    expect(rendererEntry({ isPackaged: false, env: { ELECTRON_RENDERER_URL: DEV }, builtFile })).toEqual({ kind: 'dev-server', url: DEV });
  });

  it('ignores ELECTRON_RENDERER_URL in a packaged app, and says so', () => {
    const entry = rendererEntry({ isPackaged: true, env: { ELECTRON_RENDERER_URL: 'https://evil.example/' }, builtFile });
    expect(entry.kind).toBe('file');
    expect(entry.url).toBe(fileUrl);
    expect(entry.kind === 'file' && entry.ignored).toMatch(/ignored in a packaged app/);
  });

  it('ignores an ELECTRON_RENDERER_URL that is not an http(s) URL, even in development', () => {
    for (const bad of ['file:///tmp/evil.html', 'javascript:alert(1)', 'not a url', 'data:text/html,<p>x']) {
      const entry = rendererEntry({ isPackaged: false, env: { ELECTRON_RENDERER_URL: bad }, builtFile });
      expect(entry).toMatchObject({ kind: 'file', url: fileUrl });
    }
  });

  it('treats an empty ELECTRON_RENDERER_URL as unset', () => {
    expect(rendererEntry({ isPackaged: false, env: { ELECTRON_RENDERER_URL: '' }, builtFile })).toEqual({ kind: 'file', url: fileUrl });
  });
});

describe('isEntryUrl: the IPC sender check and navigation guards accept only our page', () => {
  const packagedWithDevVar = rendererEntry({ isPackaged: true, env: { ELECTRON_RENDERER_URL: DEV }, builtFile });

  it('accepts the bundled file, with any query or hash', () => {
    expect(isEntryUrl(packagedWithDevVar, fileUrl)).toBe(true);
    expect(isEntryUrl(packagedWithDevVar, `${fileUrl}?x=1#/settings`)).toBe(true);
  });

  it('in a packaged app, refuses the dev server URL even though ELECTRON_RENDERER_URL names it', () => {
    expect(isEntryUrl(packagedWithDevVar, DEV)).toBe(false);
    expect(isEntryUrl(packagedWithDevVar, `${DEV}index.html`)).toBe(false);
  });

  it('refuses other files, other hosts and junk', () => {
    expect(isEntryUrl(packagedWithDevVar, pathToFileURL('/tmp/index.html').toString())).toBe(false);
    expect(isEntryUrl(packagedWithDevVar, fileUrl.replace('file:///', 'file://evil.host/'))).toBe(false);
    expect(isEntryUrl(packagedWithDevVar, 'https://github.com/')).toBe(false);
    expect(isEntryUrl(packagedWithDevVar, '')).toBe(false);
    expect(isEntryUrl(packagedWithDevVar, 'about:blank')).toBe(false);
  });

  it('in development, accepts the dev server origin only', () => {
    const dev = rendererEntry({ isPackaged: false, env: { ELECTRON_RENDERER_URL: DEV }, builtFile });
    expect(isEntryUrl(dev, 'http://localhost:5173/src/main.ts')).toBe(true);
    expect(isEntryUrl(dev, 'http://localhost:5174/')).toBe(false);
    expect(isEntryUrl(dev, 'https://localhost:5173/')).toBe(false);
    expect(isEntryUrl(dev, fileUrl)).toBe(false);
  });
});
