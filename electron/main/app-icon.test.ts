import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PACKAGED_WINDOW_ICON, windowIconPath } from './app-icon';

const root = resolve(__dirname, '../..');
// where electron-vite puts the main bundle: __dirname of the running app in development
const mainDir = join(root, 'out', 'main');
const resourcesPath = '/opt/Wirebench/resources';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('windowIconPath: the icon each platform’s window shows', () => {
  it('Linux, packaged: the PNG that electron-builder copies into the resources folder', () => {
    expect(windowIconPath({ platform: 'linux', isPackaged: true, resourcesPath, mainDir })).toBe(join(resourcesPath, 'icon.png'));
  });

  it('Linux, packaged: electron-builder.yml copies build/icons/512x512.png to exactly that name', () => {
    const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
      linux?: { extraResources?: { from: string; to: string }[] };
    };
    const entry = config.linux?.extraResources?.find((e) => e.to === PACKAGED_WINDOW_ICON);
    expect(entry?.from).toBe('build/icons/512x512.png');
  });

  it('Linux, development: the repository’s 512 px PNG, which exists', () => {
    const icon = windowIconPath({ platform: 'linux', isPackaged: false, resourcesPath, mainDir });
    expect(icon).toBe(join(root, 'build', 'icons', '512x512.png'));
    expect(pngSize(icon!)).toEqual({ width: 512, height: 512 });
  });

  it('Windows: none when packaged (the exe’s icon), the repository’s .ico in development', () => {
    expect(windowIconPath({ platform: 'win32', isPackaged: true, resourcesPath, mainDir })).toBeUndefined();
    const icon = windowIconPath({ platform: 'win32', isPackaged: false, resourcesPath, mainDir });
    expect(icon).toBe(join(root, 'build', 'icon.ico'));
    // an ICO header: reserved 0, type 1 (icon)
    const head = readFileSync(icon!);
    expect([head.readUInt16LE(0), head.readUInt16LE(2)]).toEqual([0, 1]);
  });

  it('macOS: none (the Dock shows the bundle’s .icns)', () => {
    expect(windowIconPath({ platform: 'darwin', isPackaged: true, resourcesPath, mainDir })).toBeUndefined();
    expect(windowIconPath({ platform: 'darwin', isPackaged: false, resourcesPath, mainDir })).toBeUndefined();
  });

  it('other Unix desktops are treated like Linux', () => {
    expect(windowIconPath({ platform: 'freebsd', isPackaged: true, resourcesPath, mainDir })).toBe(join(resourcesPath, 'icon.png'));
  });
});
