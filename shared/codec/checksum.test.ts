import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { appendChecksum, CHECKSUM_LABELS, checksum, checksumBytes, checksumWidth, conventionalEndian } from './checksum';
import { CHECKSUM_KINDS, type ChecksumKind } from './types';

const CHECK = new TextEncoder().encode('123456789');

/** Bit-by-bit reference implementations, independent of the tables. */
function reference(kind: ChecksumKind, data: Uint8Array): number {
  const crc = (width: number, poly: number, init: number, refin: boolean, xorout: number): number => {
    const top = 2 ** (width - 1);
    const mask = 2 ** width - 1;
    const reflect = (v: number, bits: number): number => {
      let r = 0;
      for (let i = 0; i < bits; i++) if (Math.floor(v / 2 ** i) % 2) r += 2 ** (bits - 1 - i);
      return r;
    };
    let c = init;
    for (const raw of data) {
      const b = refin ? reflect(raw, 8) : raw;
      for (let i = 7; i >= 0; i--) {
        const bit = (b >> i) & 1;
        const msb = c >= top ? 1 : 0;
        c = (c * 2) % (mask + 1);
        if (msb ^ bit) c = Number((BigInt(c) ^ BigInt(poly)) & BigInt(mask));
      }
    }
    if (refin) c = reflect(c, width);
    return Number((BigInt(c) ^ BigInt(xorout)) & BigInt(mask));
  };
  const sum = data.reduce((a, b) => a + b, 0);
  switch (kind) {
    case 'sum8': return sum % 256;
    case 'sum8-2c': case 'lrc': return (256 - (sum % 256)) % 256;
    case 'xor8': return data.reduce((a, b) => a ^ b, 0);
    case 'crc8': return crc(8, 0x07, 0, false, 0);
    case 'crc16-modbus': return crc(16, 0x8005, 0xffff, true, 0);
    case 'crc16-ccitt-false': return crc(16, 0x1021, 0xffff, false, 0);
    case 'crc16-xmodem': return crc(16, 0x1021, 0, false, 0);
    case 'crc32': return crc(32, 0x04c11db7, 0xffffffff, true, 0xffffffff);
  }
}

describe('checksum', () => {
  it.each([
    ['sum8', 0xdd],
    ['sum8-2c', 0x23],
    ['lrc', 0x23],
    ['xor8', 0x31],
    ['crc8', 0xf4],
    ['crc16-modbus', 0x4b37],
    ['crc16-ccitt-false', 0x29b1],
    ['crc16-xmodem', 0x31c3],
    ['crc32', 0xcbf43926],
  ] as const)('%s of "123456789" is the published check value', (kind, check) => {
    expect(checksum(kind, CHECK)).toBe(check);
  });

  it('gives the initial value for no bytes', () => {
    expect(checksum('crc16-modbus', new Uint8Array(0))).toBe(0xffff);
    expect(checksum('crc32', new Uint8Array(0))).toBe(0);
    expect(checksum('sum8-2c', new Uint8Array(0))).toBe(0);
  });

  it('matches a bit-by-bit reference for random data', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CHECKSUM_KINDS), fc.uint8Array({ maxLength: 64 }), (kind, data) => {
        expect(checksum(kind, data)).toBe(reference(kind, data));
      }),
      { numRuns: 300 },
    );
  });

  it('LRC is sum8-2c by definition, and makes the byte sum zero', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
        const lrc = checksum('lrc', data);
        expect(lrc).toBe(checksum('sum8-2c', data));
        expect((checksum('sum8', data) + lrc) & 0xff).toBe(0);
      }),
    );
    // Modbus ASCII example: 01 03 00 00 00 0A → LRC F2
    expect(checksum('lrc', Uint8Array.of(0x01, 0x03, 0x00, 0x00, 0x00, 0x0a))).toBe(0xf2);
  });

  it('has a width and a label for every kind', () => {
    for (const kind of CHECKSUM_KINDS) {
      expect([1, 2, 4]).toContain(checksumWidth(kind));
      expect(CHECKSUM_LABELS[kind].length).toBeGreaterThan(0);
    }
    expect(CHECKSUM_LABELS['crc16-modbus']).toBe('CRC-16/MODBUS');
    expect(conventionalEndian('crc16-modbus')).toBe('le');
  });
});

describe('checksumBytes / appendChecksum', () => {
  it('serializes big- and little-endian', () => {
    expect(checksumBytes({ kind: 'crc16-modbus', endian: 'be' }, CHECK)).toEqual(Uint8Array.of(0x4b, 0x37));
    expect(checksumBytes({ kind: 'crc16-modbus', endian: 'le' }, CHECK)).toEqual(Uint8Array.of(0x37, 0x4b));
    expect(checksumBytes({ kind: 'crc32', endian: 'be' }, CHECK)).toEqual(Uint8Array.of(0xcb, 0xf4, 0x39, 0x26));
    expect(checksumBytes({ kind: 'crc32', endian: 'le' }, CHECK)).toEqual(Uint8Array.of(0x26, 0x39, 0xf4, 0xcb));
    expect(checksumBytes({ kind: 'crc8', endian: 'le' }, CHECK)).toEqual(Uint8Array.of(0xf4));
  });

  it('appends the Modbus RTU CRC low byte first', () => {
    // read holding registers: 01 03 00 00 00 0A → CRC C5 CD (sent low byte first)
    const frame = Uint8Array.of(0x01, 0x03, 0x00, 0x00, 0x00, 0x0a);
    expect(appendChecksum(frame, { kind: 'crc16-modbus', endian: 'le' })).toEqual(
      Uint8Array.of(0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xcd),
    );
    expect(frame.length).toBe(6);
  });

  it('a frame with its CRC-16/MODBUS (le) appended checks to zero', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
        expect(checksum('crc16-modbus', appendChecksum(data, { kind: 'crc16-modbus', endian: 'le' }))).toBe(0);
        expect(checksum('crc16-xmodem', appendChecksum(data, { kind: 'crc16-xmodem', endian: 'be' }))).toBe(0);
      }),
    );
  });
});
