import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeSourcePosition, formatEscapes, parseEscapes, type EscapeSegment } from './escapes';
import { lineEndingBytes, lineEndingText } from './line-ending';
import { CodecError } from './types';
import { thrown } from './thrown.test-util';

const text = (t: string): EscapeSegment => ({ kind: 'text', text: t });
const bytes = (...b: number[]): EscapeSegment => ({ kind: 'bytes', bytes: Uint8Array.from(b) });

describe('parseEscapes', () => {
  it('leaves plain text alone', () => {
    expect(parseEscapes('hello 中文')).toEqual([text('hello 中文')]);
    expect(parseEscapes('')).toEqual([]);
  });

  it('turns \\r \\n \\t \\0 \\\\ into characters and merges them with the text around', () => {
    expect(parseEscapes('a\\r\\nb\\tc\\0d\\\\e')).toEqual([text('a\r\nb\tc\0d\\e')]);
    expect(parseEscapes('\\012')).toEqual([text('\x0012')]);
  });

  it('turns \\uHHHH into a character, surrogate pairs included', () => {
    expect(parseEscapes('\\u4E2D\\u6587')).toEqual([text('中文')]);
    expect(parseEscapes('\\uD83D\\uDE00!')).toEqual([text('😀!')]);
  });

  it('turns \\xHH into raw bytes, merged when adjacent', () => {
    expect(parseEscapes('\\xFF\\x00\\x7f')).toEqual([bytes(0xff, 0x00, 0x7f)]);
    expect(parseEscapes('A\\x01\\x02B\\r\\x03')).toEqual([text('A'), bytes(1, 2), text('B\r'), bytes(3)]);
  });

  it('reports an unknown escape at its backslash', () => {
    const e = thrown(CodecError, () => parseEscapes('abcd\\q'));
    expect(e.code).toBe('BAD_ESCAPE');
    expect(e.message).toMatch(/^Unknown escape \\q at position 5: /);
    expect(e).toMatchObject({ position: 5, char: '\\q' });
  });

  it('reports incomplete \\x and \\u escapes', () => {
    expect(thrown(CodecError, () => parseEscapes('ab\\x4'))).toMatchObject({ position: 3, char: '\\x4' });
    expect(thrown(CodecError, () => parseEscapes('ab\\x4'))).toHaveProperty(
      'message',
      'Incomplete escape \\x4 at position 3: \\x needs two hex digits (like \\x0D)',
    );
    expect(thrown(CodecError, () => parseEscapes('\\xZZ'))).toMatchObject({ position: 1, char: '\\xZZ' });
    expect(thrown(CodecError, () => parseEscapes('x\\u12'))).toMatchObject({ position: 2, char: '\\u12' });
    expect(thrown(CodecError, () => parseEscapes('\\u12G4'))).toMatchObject({ position: 1 });
  });

  it('reports a trailing backslash', () => {
    const e = thrown(CodecError, () => parseEscapes('abc\\'));
    expect(e).toMatchObject({ code: 'BAD_ESCAPE', position: 4, char: '\\' });
    expect(e.message).toContain('Lone backslash at position 4');
  });

  it('counts positions in code points', () => {
    expect(thrown(CodecError, () => parseEscapes('😀😀\\q'))).toMatchObject({ position: 3, char: '\\q' });
    expect(thrown(CodecError, () => parseEscapes('a\\😀'))).toMatchObject({ position: 2, char: '\\😀' });
  });

  it('is the identity on text without backslashes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }).filter((s) => !s.includes('\\')), (s) => {
        expect(parseEscapes(s)).toEqual(s === '' ? [] : [text(s)]);
      }),
    );
  });

  it('never leaves two neighbouring segments of the same kind', () => {
    const piece = fc.oneof(
      fc.constantFrom('\\r', '\\n', '\\t', '\\0', '\\\\', '\\x41', '\\xff', '\\u4e2d', 'ab', '中'),
      fc.string({ maxLength: 3 }).map((s) => s.replaceAll('\\', '/')),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
        const segs = parseEscapes(pieces.join(''));
        for (let i = 1; i < segs.length; i++) expect(segs[i]!.kind).not.toBe(segs[i - 1]!.kind);
      }),
    );
  });
});

describe('escapeSourcePosition', () => {
  const input = 'ab\\u4E2Dc\\xFFd😀\\re';
  // segments: text 'ab中c' | bytes FF | text 'd😀\re'
  it('maps literal characters one to one', () => {
    expect(escapeSourcePosition(input, 0, 0)).toBe(1);
    expect(escapeSourcePosition(input, 0, 3)).toBe(9); // 'c'
    expect(escapeSourcePosition(input, 2, 0)).toBe(14); // 'd'
    expect(escapeSourcePosition(input, 2, 1)).toBe(15); // '😀'
    expect(escapeSourcePosition(input, 2, 4)).toBe(18); // 'e'
  });
  it('maps an escaped character to its backslash', () => {
    expect(escapeSourcePosition(input, 0, 2)).toBe(3); // \u4E2D
    expect(escapeSourcePosition(input, 2, 3)).toBe(16); // \r
  });
});

describe('line endings', () => {
  it('gives the bytes and text of each ending', () => {
    expect(lineEndingBytes('none')).toEqual(new Uint8Array(0));
    expect(lineEndingBytes('cr')).toEqual(Uint8Array.of(0x0d));
    expect(lineEndingBytes('lf')).toEqual(Uint8Array.of(0x0a));
    expect(lineEndingBytes('crlf')).toEqual(Uint8Array.of(0x0d, 0x0a));
    expect(lineEndingText('crlf')).toBe('\r\n');
  });
  it('returns a fresh array each time', () => {
    const a = lineEndingBytes('crlf');
    a[0] = 0;
    expect(lineEndingBytes('crlf')[0]).toBe(0x0d);
  });
});

describe('formatEscapes', () => {
  it('writes bytes so that parseEscapes reads the same bytes back', () => {
    expect(formatEscapes(Uint8Array.of(13, 10, 65, 0x1b, 0, 0x31, 92, 9, 0xff))).toBe('\\r\\nA\\x1B\\01\\\\\\t\\xFF');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const back = parseEscapes(formatEscapes(bytes)).flatMap((s) => (s.kind === 'bytes' ? [...s.bytes] : [...new TextEncoder().encode(s.text)]));
        expect(back).toEqual([...bytes]);
      }),
    );
  });
});
