import { describe, expect, it } from 'vitest';
import { codecErrorToWbError, encodePayload } from './payload';
import { formatHex } from '../../shared/codec/hex';
import { CodecError } from '../../shared/codec/types';
import { WbError } from '../../shared/protocol/errors';
import { MAX_SEND_BYTES, sendPayloadSchema, type SendPayloadInput } from '../../shared/protocol/schemas';
import { thrown } from '../../shared/codec/thrown.test-util';

/** Validate through the real schema (defaults applied), then encode. */
const encode = (input: SendPayloadInput): string => formatHex(encodePayload(sendPayloadSchema.parse(input)));

describe('encodePayload: text', () => {
  it('assembles escapes + GBK + CRLF + CRC-16/MODBUS little-endian', () => {
    expect(
      encode({
        kind: 'text',
        text: '读数\\x01\\x02',
        encoding: 'gbk',
        escapes: true,
        lineEnding: 'crlf',
        checksum: { kind: 'crc16-modbus', endian: 'le' },
      }),
    ).toBe('B6 C1 CA FD 01 02 0D 0A 43 4C');
  });

  it('sends \\xFF as the byte FF whatever the encoding, \\u00FF as a character', () => {
    expect(encode({ kind: 'text', text: '\\xFF\\u00FF', encoding: 'utf-8', escapes: true })).toBe('FF C3 BF');
    expect(encode({ kind: 'text', text: '\\xFF\\u00FF', encoding: 'iso-8859-1', escapes: true })).toBe('FF FF');
    expect(encode({ kind: 'text', text: '\\xFF', encoding: 'utf-16le', escapes: true })).toBe('FF');
  });

  it('sends backslashes literally when escapes are off', () => {
    expect(encode({ kind: 'text', text: 'a\\n', escapes: false })).toBe('61 5C 6E');
  });

  it('uses UTF-8, no escapes, no line ending and no checksum by default', () => {
    expect(encode({ kind: 'text', text: '中' })).toBe('E4 B8 AD');
  });

  it('encodes the line ending with the text encoding (UTF-16 has 16-bit CR LF)', () => {
    expect(encode({ kind: 'text', text: '中', encoding: 'utf-16le', lineEnding: 'crlf' })).toBe('2D 4E 0D 00 0A 00');
    expect(encode({ kind: 'text', text: 'A', encoding: 'utf-16be', lineEnding: 'lf' })).toBe('00 41 00 0A');
    expect(encode({ kind: 'text', text: 'A', encoding: 'shift_jis', lineEnding: 'cr' })).toBe('41 0D');
  });

  it('computes the checksum over the line ending too', () => {
    // CRC-32 of "AT\r\n" is 0x3C22F17B
    expect(encode({ kind: 'text', text: 'AT', lineEnding: 'crlf', checksum: { kind: 'crc32', endian: 'be' } })).toBe(
      '41 54 0D 0A 3C 22 F1 7B',
    );
  });

  it('an empty text with a line ending is just the line ending', () => {
    expect(encode({ kind: 'text', text: '', lineEnding: 'crlf' })).toBe('0D 0A');
    expect(encode({ kind: 'text', text: '' })).toBe('');
  });
});

describe('encodePayload: hex and bytes', () => {
  it('parses hex and appends the checksum (big-endian by default)', () => {
    expect(encode({ kind: 'hex', hex: '01 03 00 00 00 0A', checksum: { kind: 'crc16-modbus' } })).toBe(
      '01 03 00 00 00 0A CD C5',
    );
    expect(encode({ kind: 'hex', hex: '0x01,0x03,0x00,0x00,0x00,0x0A', checksum: { kind: 'crc16-modbus', endian: 'le' } })).toBe(
      '01 03 00 00 00 0A C5 CD',
    );
    expect(encode({ kind: 'hex', hex: '31 32 33', checksum: { kind: 'xor8', endian: 'le' } })).toBe('31 32 33 30');
  });

  it('passes bytes through untouched', () => {
    const bytes = Uint8Array.of(0, 255, 10);
    expect(encodePayload({ kind: 'bytes', bytes })).toBe(bytes);
  });
});

describe('encodePayload: errors in the user’s words', () => {
  it('BAD_HEX keeps position and char', () => {
    const e = thrown(WbError, () => encode({ kind: 'hex', hex: '01 0g' }));
    expect(e).toMatchObject({ code: 'BAD_HEX', message: "'g' at position 5 is not a hex digit", detail: { position: 5, char: 'g' } });
    expect(e.toResult()).toEqual({
      ok: false,
      code: 'BAD_HEX',
      message: e.message,
      detail: { position: 5, char: 'g' },
      why: { key: 'hex.notDigit', params: { char: 'g', pos: 5 } },
    });
  });

  it('BAD_ESCAPE keeps position and char', () => {
    const e = thrown(WbError, () => encode({ kind: 'text', text: 'abcd\\q', escapes: true }));
    expect(e).toMatchObject({ code: 'BAD_ESCAPE', detail: { position: 5, char: '\\q' } });
    expect(e.message).toMatch(/^Unknown escape \\q at position 5/);
  });

  it('UNENCODABLE without escapes points into the text', () => {
    const e = thrown(WbError, () => encode({ kind: 'text', text: '中文😀', encoding: 'gbk' }));
    expect(e).toMatchObject({
      code: 'UNENCODABLE',
      message: "The character '😀' (U+1F600) at position 3 cannot be encoded in GBK",
      detail: { position: 3, char: '😀' },
    });
  });

  it('UNENCODABLE with escapes points where the user typed the character', () => {
    // 'a' '\x01' 'b' '😀': the emoji is the 7th character typed
    const e = thrown(WbError, () => encode({ kind: 'text', text: 'a\\x01b😀', encoding: 'gbk', escapes: true }));
    expect(e).toMatchObject({ code: 'UNENCODABLE', detail: { position: 7, char: '😀' } });
    expect(e.message).toBe("The character '😀' (U+1F600) at position 7 cannot be encoded in GBK");
  });

  it('UNENCODABLE from a \\u escape points at its backslash', () => {
    const e = thrown(WbError, () => encode({ kind: 'text', text: 'ok\\n\\uD55C', encoding: 'shift_jis', escapes: true }));
    expect(e).toMatchObject({ code: 'UNENCODABLE', detail: { position: 5, char: '한' } });
    const pair = thrown(WbError, () => encode({ kind: 'text', text: '中\\x00\\uD83D\\uDE00', encoding: 'big5', escapes: true }));
    expect(pair).toMatchObject({ detail: { position: 6, char: '😀' } });
  });

  it('refuses a payload that grows past the send limit once encoded', () => {
    const text = '中'.repeat(Math.floor(MAX_SEND_BYTES / 3) + 1);
    const e = thrown(WbError, () => encode({ kind: 'text', text, encoding: 'utf-8' }));
    expect(e.code).toBe('PAYLOAD_TOO_LARGE');
    expect(e.message).toBe('The message is 16,777,218 bytes once encoded; Wirebench sends at most 16,777,216 bytes (16 MiB) at once');
  });
});

describe('codecErrorToWbError', () => {
  it('keeps code, message, position and char', () => {
    const w = codecErrorToWbError(new CodecError('BAD_HEX', 'bad', 3, 'z'));
    expect(w).toBeInstanceOf(WbError);
    expect(w).toMatchObject({ code: 'BAD_HEX', message: 'bad', detail: { position: 3, char: 'z' } });
  });
  it('leaves detail out when there is none', () => {
    expect(codecErrorToWbError(new CodecError('UNKNOWN_ENCODING', 'no')).detail).toBeUndefined();
  });
  it('passes a WbError through and wraps anything else as INTERNAL', () => {
    const w = new WbError('NOT_CONNECTED', 'x');
    expect(codecErrorToWbError(w)).toBe(w);
    expect(codecErrorToWbError(new TypeError('boom'))).toMatchObject({ code: 'INTERNAL', message: 'Could not prepare the payload: boom' });
  });
});
