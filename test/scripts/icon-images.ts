/**
 * Reads the images inside the icon files scripts/icons.mjs writes (PNG, ICO with
 * BMP or PNG entries, ICNS with PNG or ARGB entries), so tests check sizes and
 * pixels rather than trusting the encoders.
 */
import { PNG } from 'pngjs';

export interface IconImage {
  width: number;
  height: number;
  /** Straight (not premultiplied) RGBA, row by row from the top. */
  rgba: Uint8Array;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function decodePng(bytes: Buffer): IconImage {
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
}

/** A 32-bit BMP inside an ICO: BITMAPINFOHEADER, BGRA rows from the bottom, then the AND mask. */
function decodeIcoBmp(bytes: Buffer): IconImage {
  const width = bytes.readInt32LE(4);
  const height = bytes.readInt32LE(8) / 2;
  const bpp = bytes.readUInt16LE(14);
  if (bpp !== 32) throw new Error(`ICO bitmap with ${bpp} bits per pixel`);
  const start = bytes.readUInt32LE(0);
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = start + (height - 1 - y) * width * 4;
    for (let x = 0; x < width; x++) {
      const s = row + x * 4;
      const d = (y * width + x) * 4;
      rgba.set([bytes[s + 2]!, bytes[s + 1]!, bytes[s]!, bytes[s + 3]!], d);
    }
  }
  return { width, height, rgba };
}

/** An ICNS ARGB entry: 'ARGB', then the A, R, G and B planes, PackBits-compressed (ICNS variant). */
function decodeIcnsArgb(bytes: Buffer, size: number): IconImage {
  if (bytes.subarray(0, 4).toString('latin1') !== 'ARGB') throw new Error('ICNS ARGB entry without its header');
  const planes = new Uint8Array(size * size * 4);
  let out = 0;
  for (let i = 4; i < bytes.length && out < planes.length; ) {
    const n = bytes[i++]!;
    if (n < 128) {
      planes.set(bytes.subarray(i, i + n + 1), out);
      out += n + 1;
      i += n + 1;
    } else {
      planes.fill(bytes[i++]!, out, out + n - 125);
      out += n - 125;
    }
  }
  if (out !== planes.length) throw new Error(`ICNS ARGB entry decodes to ${out} bytes, not ${planes.length}`);
  const px = size * size;
  const rgba = new Uint8Array(px * 4);
  for (let p = 0; p < px; p++) rgba.set([planes[px + p]!, planes[2 * px + p]!, planes[3 * px + p]!, planes[p]!], p * 4);
  return { width: size, height: size, rgba };
}

/** The pixel size of each ICNS type scripts/icons.mjs writes (ic11…ic14 are the @2x of 16…256). */
export const ICNS_TYPE_SIZES: Readonly<Record<string, number>> = {
  ic04: 16, ic05: 32, ic07: 128, ic08: 256, ic09: 512, ic10: 1024, ic11: 32, ic12: 64, ic13: 256, ic14: 512,
};

/** Every image in an icon file, by key: `png`, `ico:<w>x<h>` or `icns:<type>`. */
export function iconImages(bytes: Buffer): Map<string, IconImage> {
  const images = new Map<string, IconImage>();
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    images.set('png', decodePng(bytes));
  } else if (bytes.readUInt16LE(0) === 0 && bytes.readUInt16LE(2) === 1) {
    const count = bytes.readUInt16LE(4);
    for (let i = 0; i < count; i++) {
      const dir = 6 + i * 16;
      const width = bytes[dir] || 256;
      const height = bytes[dir + 1] || 256;
      const data = bytes.subarray(bytes.readUInt32LE(dir + 12), bytes.readUInt32LE(dir + 12) + bytes.readUInt32LE(dir + 8));
      const image = data.subarray(0, 8).equals(PNG_SIGNATURE) ? decodePng(data) : decodeIcoBmp(data);
      if (image.width !== width || image.height !== height) throw new Error(`ICO entry ${width}x${height} holds ${image.width}x${image.height}`);
      images.set(`ico:${width}x${height}`, image);
    }
  } else if (bytes.subarray(0, 4).toString('latin1') === 'icns') {
    if (bytes.readUInt32BE(4) !== bytes.length) throw new Error('ICNS length field does not match the file');
    for (let at = 8; at < bytes.length; ) {
      const type = bytes.subarray(at, at + 4).toString('latin1');
      const length = bytes.readUInt32BE(at + 4);
      const data = bytes.subarray(at + 8, at + length);
      at += length;
      if (type === 'TOC ') continue;
      const size = ICNS_TYPE_SIZES[type];
      if (size === undefined) throw new Error(`unexpected ICNS type ${type}`);
      images.set(`icns:${type}`, data.subarray(0, 8).equals(PNG_SIGNATURE) ? decodePng(data) : decodeIcnsArgb(data, size));
    }
  } else {
    throw new Error('not a PNG, ICO or ICNS file');
  }
  return images;
}

/**
 * How far two renders of the same size differ: the largest and the mean difference of their premultiplied
 * channels (0–255). Premultiplied, so the colour of an almost transparent edge pixel does not count.
 */
export function pixelDistance(a: IconImage, b: IconImage): { max: number; mean: number } {
  if (a.width !== b.width || a.height !== b.height) return { max: 255, mean: 255 };
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.rgba.length; i += 4) {
    for (let c = 0; c < 4; c++) {
      const pa = c === 3 ? a.rgba[i + 3]! : (a.rgba[i + c]! * a.rgba[i + 3]!) / 255;
      const pb = c === 3 ? b.rgba[i + 3]! : (b.rgba[i + c]! * b.rgba[i + 3]!) / 255;
      const d = Math.abs(pa - pb);
      max = Math.max(max, d);
      sum += d;
    }
  }
  return { max, mean: sum / a.rgba.length };
}
