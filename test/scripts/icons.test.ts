/**
 * The icon pipeline (scripts/icons.mjs) run for real into a temporary folder:
 * every size the installers and the window need comes out at its size, and the
 * icons committed under build/ are the render of the committed build/icon.svg.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ICNS_TYPE_SIZES, iconImages, pixelDistance, type IconImage } from './icon-images';

const root = resolve(__dirname, '../..');
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const linuxFiles = LINUX_SIZES.map((s) => `icons/${s}x${s}.png`);
const FILES = ['icon.png', 'icon.icns', 'icon.ico', ...linuxFiles];

let out = '';
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'wb-icons-'));
  await promisify(execFile)(process.execPath, [join(root, 'scripts', 'icons.mjs'), '--out', out]);
}, 60_000);
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

async function images(dir: string, file: string): Promise<Map<string, IconImage>> {
  return iconImages(await readFile(join(dir, file)));
}

/** [key, width] of every image in a file. */
function sizes(map: Map<string, IconImage>): [string, number, number][] {
  return [...map].map(([key, img]) => [key, img.width, img.height]);
}

/** Alpha at (x, y). */
const alpha = (img: IconImage, x: number, y: number): number => img.rgba[(y * img.width + x) * 4 + 3]!;

describe('npm run icons: one SVG, every size', () => {
  it('writes the 1024 px PNG', async () => {
    expect(sizes(await images(out, 'icon.png'))).toEqual([['png', 1024, 1024]]);
  });

  it('writes the Linux set, 16 to 512, named as electron-builder reads it, and nothing else', async () => {
    expect((await readdir(join(out, 'icons'))).sort()).toEqual(linuxFiles.map((f) => f.slice(6)).sort());
    for (const [i, file] of linuxFiles.entries()) {
      const s = LINUX_SIZES[i]!;
      expect(sizes(await images(out, file)), file).toEqual([['png', s, s]]);
    }
  });

  it('writes an ICO with 16, 24, 32, 48, 64, 128 and 256', async () => {
    const ico = await images(out, 'icon.ico');
    expect(sizes(ico)).toEqual(ICO_SIZES.map((s) => [`ico:${s}x${s}`, s, s]));
  });

  it('writes an ICNS with every macOS size, 16 to 1024, @2x included', async () => {
    const icns = await images(out, 'icon.icns');
    expect(new Set(icns.keys())).toEqual(new Set(Object.keys(ICNS_TYPE_SIZES).map((t) => `icns:${t}`)));
    for (const [key, img] of icns) {
      const s = ICNS_TYPE_SIZES[key.slice(5)]!;
      expect([img.width, img.height], key).toEqual([s, s]);
    }
  });

  it('puts the same pictures in the containers as in the PNGs (BMP, ARGB and PNG entries alike)', async () => {
    const ico = await images(out, 'icon.ico');
    for (const s of ICO_SIZES) {
      const png = (await images(out, `icons/${s}x${s}.png`)).get('png')!;
      expect(pixelDistance(ico.get(`ico:${s}x${s}`)!, png), `ico ${s}`).toEqual({ max: 0, mean: 0 });
    }
    const icns = await images(out, 'icon.icns');
    const same = (a: string, b: IconImage | undefined): void => {
      expect(pixelDistance(icns.get(`icns:${a}`)!, b!), a).toEqual({ max: 0, mean: 0 });
    };
    same('ic10', (await images(out, 'icon.png')).get('png'));
    same('ic05', icns.get('icns:ic11')); // ARGB and PNG of the same 32 px render
    same('ic08', icns.get('icns:ic13'));
    same('ic09', icns.get('icns:ic14'));
  });

  it('draws the icon in every image: an opaque tile with transparent rounded corners', async () => {
    for (const file of FILES) {
      for (const [key, img] of await images(out, file)) {
        const c = img.width / 2;
        expect(alpha(img, c, c), `${file} ${key} centre`).toBe(255);
        expect(alpha(img, 0, 0), `${file} ${key} corner`).toBe(0);
        expect(alpha(img, img.width - 1, img.height - 1), `${file} ${key} corner`).toBe(0);
      }
    }
  });
});

describe('the icons committed under build/', () => {
  it('are up to date with build/icon.svg (else run npm run icons)', async () => {
    expect((await readdir(join(root, 'build', 'icons'))).sort()).toEqual(linuxFiles.map((f) => f.slice(6)).sort());
    for (const file of FILES) {
      const committed = await images(join(root, 'build'), file);
      const fresh = await images(out, file);
      expect(sizes(committed), `build/${file}`).toEqual(sizes(fresh));
      for (const [key, img] of fresh) {
        // the same renderer gives the same pixels; the tolerance only absorbs another CPU's rounding
        const d = pixelDistance(committed.get(key)!, img);
        expect(d.max, `build/${file} ${key} is out of date: run npm run icons`).toBeLessThanOrEqual(8);
        expect(d.mean, `build/${file} ${key} is out of date: run npm run icons`).toBeLessThanOrEqual(0.5);
      }
    }
  });

  it('are the ones electron-builder.yml gives each platform', async () => {
    const config = parse(await readFile(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, { icon?: string }>;
    expect([config.mac?.icon, config.win?.icon, config.linux?.icon]).toEqual(['build/icon.icns', 'build/icon.ico', 'build/icons']);
    expect((await images(root, 'build/icon.icns')).size).toBe(Object.keys(ICNS_TYPE_SIZES).length);
    expect((await images(root, 'build/icon.ico')).size).toBe(ICO_SIZES.length);
  });
});
