// `npm run icons`: every icon Wirebench ships, rendered from the one source, build/icon.svg.
//
//   build/icon.png           1024×1024, the macOS grid (tile 824 on 1024)  electron-builder's fallback
//   build/icon.icns          16…1024 (with @2x), the macOS grid             mac.icon
//   build/icon.ico           16, 24, 32, 48, 64, 128, 256, cut to the tile  win.icon, NSIS
//   build/icons/NxN.png      16…512, cut to the tile                        linux.icon (hicolor + desktop entry);
//                                                                           512x512.png is also the Linux window icon
//
// Each size is rendered from the vector (no downscaling of a big bitmap), so 16 px stays sharp.
// Small icons and the Windows/Linux sets are cut to the tile ("tile" framing): there every pixel counts, and
// those desktops draw no margin of their own. macOS expects the margin of its grid ("mac" framing).
//
// Usage: node scripts/icons.mjs [--out <dir>]   (default: build/, next to the source)
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Resvg } from '@resvg/resvg-js';
import { IconIcns, IconIco } from '@shockpkg/icon-encoder';

const BUILD_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'build');
const SOURCE = join(BUILD_DIR, 'icon.svg');

/** The source's viewBox for each framing: the whole canvas, or the tile (100…924) with an 8-unit margin. */
const FRAMING = { mac: '0 0 1024 1024', tile: '92 92 840 840' };

const PNG_SIZE = 1024;
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
/** ICNS entries as iconutil writes them: [type, pixel size]; ic11…ic14 are the @2x of 16…256. */
const ICNS_TYPES = [
  ['ic12', 64],
  ['ic07', 128],
  ['ic13', 256],
  ['ic08', 256],
  ['ic04', 16],
  ['ic14', 512],
  ['ic09', 512],
  ['ic05', 32],
  ['ic10', 1024],
  ['ic11', 32],
];

/** Renders the source at `size`×`size` with the given framing; returns PNG bytes. */
function render(svg, size, framing) {
  const framed = svg.replace(/viewBox="[^"]*"/, `viewBox="${FRAMING[framing]}"`);
  const image = new Resvg(framed, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render();
  if (image.width !== size || image.height !== size) {
    throw new Error(`build/icon.svg must be square: rendered ${image.width}×${image.height} for ${size}`);
  }
  return image.asPng();
}

/** Writes every icon into `outDir`; returns the written paths relative to it. */
async function generate(outDir) {
  const svg = await readFile(SOURCE, 'utf8');
  if (!/viewBox="0 0 1024 1024"/.test(svg)) throw new Error('build/icon.svg must have viewBox="0 0 1024 1024"');
  const cache = new Map();
  const png = (size, framing) => {
    const key = `${framing}:${size}`;
    if (!cache.has(key)) cache.set(key, render(svg, size, framing));
    return cache.get(key);
  };
  const files = new Map();

  files.set('icon.png', png(PNG_SIZE, 'mac'));

  const icns = new IconIcns();
  icns.toc = true;
  for (const [type, size] of ICNS_TYPES) await icns.addFromPng(png(size, 'mac'), [type]);
  files.set('icon.icns', icns.encode());

  const ico = new IconIco();
  // the encoder writes BMP entries below 256 px (what every reader takes) and PNG at 256
  for (const size of ICO_SIZES) await ico.addFromPng(png(size, 'tile'));
  files.set('icon.ico', ico.encode());

  for (const size of LINUX_SIZES) files.set(`icons/${size}x${size}.png`, png(size, 'tile'));

  await mkdir(join(outDir, 'icons'), { recursive: true });
  for (const [name, bytes] of files) await writeFile(join(outDir, name), bytes);
  return [...files.keys()];
}

const { values } = parseArgs({ options: { out: { type: 'string', default: BUILD_DIR } } });
const outDir = resolve(values.out);
const written = await generate(outDir);
console.log(`icons: wrote ${written.length} files to ${outDir}: ${written.join(', ')}`);
