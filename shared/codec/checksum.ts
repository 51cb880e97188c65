/**
 * Checksums that can be appended to a payload. Each CRC follows the
 * parameters of the RevEng catalogue entry named in {@link CHECKSUM_LABELS};
 * the "check" value is the checksum of the ASCII bytes "123456789".
 */
import type { ChecksumKind, ChecksumSpec, Endian } from './types';

export const CHECKSUM_LABELS: Record<ChecksumKind, string> = {
  sum8: 'SUM8 (sum mod 256)',
  'sum8-2c': "SUM8 two's complement",
  xor8: 'XOR8 (BCC)',
  lrc: 'LRC (Modbus ASCII)',
  crc8: 'CRC-8/SMBUS',
  'crc16-modbus': 'CRC-16/MODBUS',
  'crc16-ccitt-false': 'CRC-16/CCITT-FALSE',
  'crc16-xmodem': 'CRC-16/XMODEM',
  crc32: 'CRC-32',
};

const WIDTH: Record<ChecksumKind, 1 | 2 | 4> = {
  sum8: 1,
  'sum8-2c': 1,
  xor8: 1,
  lrc: 1,
  crc8: 1,
  'crc16-modbus': 2,
  'crc16-ccitt-false': 2,
  'crc16-xmodem': 2,
  crc32: 4,
};

/** Size of the checksum in bytes. */
export function checksumWidth(kind: ChecksumKind): 1 | 2 | 4 {
  return WIDTH[kind];
}

/**
 * The byte order the protocol using this checksum usually sends it in, as a
 * hint for the UI. Modbus RTU sends its CRC low byte first; the others are
 * most often seen high byte first. The user's choice always wins.
 */
export function conventionalEndian(kind: ChecksumKind): Endian {
  return kind === 'crc16-modbus' ? 'le' : 'be';
}

// ---- tables, built on first use -------------------------------------------

let crc8Table: Uint8Array | undefined;
let crc16ReflectedA001: Uint16Array | undefined; // poly 0x8005 reflected (MODBUS)
let crc16Normal1021: Uint16Array | undefined; // poly 0x1021 (CCITT-FALSE, XMODEM)
let crc32Table: Uint32Array | undefined; // poly 0x04C11DB7 reflected

function getCrc8Table(): Uint8Array {
  if (!crc8Table) {
    crc8Table = new Uint8Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
      crc8Table[n] = c;
    }
  }
  return crc8Table;
}

function getCrc16Reflected(): Uint16Array {
  if (!crc16ReflectedA001) {
    crc16ReflectedA001 = new Uint16Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
      crc16ReflectedA001[n] = c;
    }
  }
  return crc16ReflectedA001;
}

function getCrc16Normal(): Uint16Array {
  if (!crc16Normal1021) {
    crc16Normal1021 = new Uint16Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n << 8;
      for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
      crc16Normal1021[n] = c;
    }
  }
  return crc16Normal1021;
}

function getCrc32Table(): Uint32Array {
  if (!crc32Table) {
    crc32Table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
      crc32Table[n] = c >>> 0;
    }
  }
  return crc32Table;
}

// ---- the algorithms --------------------------------------------------------

function sum8(bytes: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i++) s = (s + bytes[i]!) & 0xff;
  return s;
}

function crc8(bytes: Uint8Array): number {
  const t = getCrc8Table();
  let c = 0;
  for (let i = 0; i < bytes.length; i++) c = t[c ^ bytes[i]!]!;
  return c;
}

/** Reflected CRC-16 (poly 0x8005, refin/refout), init 0xFFFF: CRC-16/MODBUS. */
function crc16Modbus(bytes: Uint8Array): number {
  const t = getCrc16Reflected();
  let c = 0xffff;
  for (let i = 0; i < bytes.length; i++) c = (c >>> 8) ^ t[(c ^ bytes[i]!) & 0xff]!;
  return c;
}

/** MSB-first CRC-16 with poly 0x1021: init 0xFFFF is CCITT-FALSE, init 0 is XMODEM. */
function crc16Ccitt(bytes: Uint8Array, init: number): number {
  const t = getCrc16Normal();
  let c = init;
  for (let i = 0; i < bytes.length; i++) c = ((c << 8) & 0xffff) ^ t[((c >>> 8) ^ bytes[i]!) & 0xff]!;
  return c;
}

/** CRC-32/ISO-HDLC (zlib, Ethernet, PNG). */
function crc32(bytes: Uint8Array): number {
  const t = getCrc32Table();
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = (c >>> 8) ^ t[(c ^ bytes[i]!) & 0xff]!;
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The checksum of `bytes` as an unsigned number (0–255, 0–65535 or
 * 0–4294967295 according to {@link checksumWidth}).
 *
 * Note on `lrc` and `sum8-2c`: the Modbus ASCII LRC is defined as the two's
 * complement of the 8-bit sum of the message bytes (taken before they are
 * turned into ASCII hex), which is exactly `sum8-2c`. They give the same
 * value for the same bytes; both names exist because users look for either.
 */
export function checksum(kind: ChecksumKind, bytes: Uint8Array): number {
  switch (kind) {
    case 'sum8':
      return sum8(bytes);
    case 'sum8-2c':
    case 'lrc':
      return -sum8(bytes) & 0xff;
    case 'xor8': {
      let x = 0;
      for (let i = 0; i < bytes.length; i++) x ^= bytes[i]!;
      return x;
    }
    case 'crc8':
      return crc8(bytes);
    case 'crc16-modbus':
      return crc16Modbus(bytes);
    case 'crc16-ccitt-false':
      return crc16Ccitt(bytes, 0xffff);
    case 'crc16-xmodem':
      return crc16Ccitt(bytes, 0x0000);
    case 'crc32':
      return crc32(bytes);
  }
}

/** The checksum of `data` serialized in `spec.endian` order (ignored for 1-byte sums). */
export function checksumBytes(spec: ChecksumSpec, data: Uint8Array): Uint8Array {
  const value = checksum(spec.kind, data);
  const width = checksumWidth(spec.kind);
  const out = new Uint8Array(width);
  for (let i = 0; i < width; i++) {
    const shift = 8 * (spec.endian === 'le' ? i : width - 1 - i);
    out[i] = (value >>> shift) & 0xff;
  }
  return out;
}

/** A new array: `data` followed by its checksum. */
export function appendChecksum(data: Uint8Array, spec: ChecksumSpec): Uint8Array {
  const sum = checksumBytes(spec, data);
  const out = new Uint8Array(data.length + sum.length);
  out.set(data, 0);
  out.set(sum, data.length);
  return out;
}
