import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createDecoder, decodeText, encodeText, isSupportedEncoding } from './text-codec';
import { formatHex } from '../../shared/codec/hex';
import { CodecError } from '../../shared/codec/types';
import { ENCODINGS, type Encoding } from '../../shared/protocol/encodings';
import { thrown } from '../../shared/codec/thrown.test-util';

const hex = (b: Uint8Array): string => formatHex(b);
const fromHex = (s: string): Uint8Array => Uint8Array.from(s.split(' ').filter(Boolean).map((x) => parseInt(x, 16)));

/** Decode `bytes` in pieces cut at `cuts` (each taken modulo length + 1) with one streaming decoder. */
function decodeSplit(bytes: Uint8Array, e: Encoding, cuts: number[]): string {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const d = createDecoder(e);
  let text = '';
  let from = 0;
  for (const p of [...points, bytes.length]) {
    text += d.write(bytes.subarray(from, p));
    from = p;
  }
  return text + d.end();
}

/** Known byte values, each checked both ways. */
const KNOWN: Array<[Encoding, string, string]> = [
  ['utf-8', '中文', 'E4 B8 AD E6 96 87'],
  ['utf-8', 'A😀', '41 F0 9F 98 80'],
  ['gbk', '中文', 'D6 D0 CE C4'],
  ['gbk', 'A€', '41 80'], // iconv-lite's GBK (the WHATWG table) maps € to 0x80
  ['gb18030', '中文', 'D6 D0 CE C4'],
  ['gb18030', '😀', '94 39 FC 36'],
  ['gb18030', '한', '83 36 84 33'],
  ['big5', '中文', 'A4 A4 A4 E5'],
  ['shift_jis', '中文', '92 86 95 B6'],
  ['shift_jis', 'ｱ', 'B1'],
  ['euc-kr', '한국', 'C7 D1 B1 B9'],
  ['utf-16le', '中A', '2D 4E 41 00'],
  ['utf-16le', '😀', '3D D8 00 DE'],
  ['utf-16be', '中A', '4E 2D 00 41'],
  ['utf-16be', '😀', 'D8 3D DE 00'],
  ['iso-8859-1', 'é©ÿ', 'E9 A9 FF'],
  ['ascii', 'Hi~\x7f', '48 69 7E 7F'],
];

describe('encodeText / decodeText', () => {
  it.each(KNOWN)('%s: %j ⇄ %s', (encoding, text, bytes) => {
    expect(hex(encodeText(text, encoding))).toBe(bytes);
    expect(decodeText(fromHex(bytes), encoding)).toBe(text);
  });

  it('covers every offered encoding', () => {
    expect(new Set(KNOWN.map(([e]) => e))).toEqual(new Set(ENCODINGS));
  });

  it('never adds a byte order mark', () => {
    expect(hex(encodeText('a', 'utf-16le'))).toBe('61 00');
    expect(hex(encodeText('a', 'utf-16be'))).toBe('00 61');
    expect(hex(encodeText('a', 'utf-8'))).toBe('61');
    expect(encodeText('', 'utf-16le').length).toBe(0);
  });

  it('keeps a BOM the user typed and a BOM that arrived', () => {
    expect(hex(encodeText('\uFEFFa', 'utf-8'))).toBe('EF BB BF 61');
    expect(decodeText(fromHex('EF BB BF 61'), 'utf-8')).toBe('\uFEFFa');
    expect(decodeText(fromHex('FF FE 61 00'), 'utf-16le')).toBe('\uFEFFa');
  });

  it('returns a Uint8Array', () => {
    expect(encodeText('x', 'gbk')).toBeInstanceOf(Uint8Array);
  });

  it('round-trips random text in the Unicode encodings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom<Encoding>('utf-8', 'utf-16le', 'utf-16be', 'gb18030'), (s, e) => {
        expect(decodeText(encodeText(s, e), e)).toBe(s);
      }),
      { numRuns: 200 },
    );
  });
});

describe('refusing what an encoding cannot represent', () => {
  it.each<[Encoding, string, number, string, string]>([
    ['gbk', 'ab😀', 3, '😀', "The character '😀' (U+1F600) at position 3 cannot be encoded in GBK"],
    ['gbk', '中한', 2, '한', "The character '한' (U+D55C) at position 2 cannot be encoded in GBK"],
    ['ascii', 'café', 4, 'é', "The character 'é' (U+00E9) at position 4 cannot be encoded in ASCII"],
    ['iso-8859-1', 'a中', 2, '中', "The character '中' (U+4E2D) at position 2 cannot be encoded in ISO-8859-1 (Latin-1)"],
    ['shift_jis', '中한', 2, '한', "The character '한' (U+D55C) at position 2 cannot be encoded in Shift_JIS"],
    ['big5', '中😀', 2, '😀', "The character '😀' (U+1F600) at position 2 cannot be encoded in Big5"],
    ['euc-kr', '한😀', 2, '😀', "The character '😀' (U+1F600) at position 2 cannot be encoded in EUC-KR"],
  ])('%s refuses %j at %d', (encoding, text, position, char, message) => {
    const e = thrown(CodecError, () => encodeText(text, encoding));
    expect(e).toMatchObject({ code: 'UNENCODABLE', position, char, message });
  });

  it('counts positions in code points: emoji before the culprit count once', () => {
    expect(thrown(CodecError, () => encodeText('😀😀\uD800', 'utf-8'))).toMatchObject({ position: 3, char: '\uD800' });
    expect(thrown(CodecError, () => encodeText('😀😀한', 'gbk'))).toMatchObject({ position: 1, char: '😀' });
    expect(thrown(CodecError, () => encodeText('中中中é😀', 'gbk'))).toMatchObject({ position: 5, char: '😀' });
  });

  it('reports the first bad character even after a literal ?', () => {
    expect(thrown(CodecError, () => encodeText('??a😀', 'gbk'))).toMatchObject({ position: 4 });
    expect(thrown(CodecError, () => encodeText('\uFFFD\uD800', 'utf-8'))).toMatchObject({ position: 2 });
  });

  it('refuses lone surrogates in every encoding, UTF-16 included', () => {
    for (const e of ['utf-8', 'utf-16le', 'utf-16be', 'gb18030'] as const) {
      const err = thrown(CodecError, () => encodeText('ab\uD800c', e));
      expect(err).toMatchObject({ code: 'UNENCODABLE', position: 3, char: '\uD800' });
      expect(err.message).toContain('lone surrogate U+D800');
    }
  });

  it('never produces ? for a refused character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom(...ENCODINGS), (s, e) => {
        let bytes: Uint8Array;
        try {
          bytes = encodeText(s, e);
        } catch (err) {
          expect(err).toBeInstanceOf(CodecError);
          return;
        }
        // what is sent reads back as the same number of characters, with no substitutes
        const back = decodeText(bytes, e);
        const count = (t: string, c: string): number => t.split(c).length - 1;
        expect([...back].length).toBe([...s].length);
        expect(count(back, '?')).toBe(count(s, '?'));
        expect(count(back, '\uFFFD')).toBe(count(s, '\uFFFD'));
      }),
      { numRuns: 300 },
    );
  });

  it('sends a Shift_JIS look-alike mapping (¥ → 5C) instead of refusing it', () => {
    expect(hex(encodeText('¥100', 'shift_jis'))).toBe('5C 31 30 30');
    expect(thrown(CodecError, () => encodeText('¥한', 'shift_jis'))).toMatchObject({ position: 2, char: '한' });
  });

  it('finds a lone surrogate in UTF-16 after other characters', () => {
    expect(thrown(CodecError, () => encodeText('😀x\uDC00', 'utf-16le'))).toMatchObject({ position: 3 });
  });

  it('refuses an unknown encoding', () => {
    expect(isSupportedEncoding('gbk')).toBe(true);
    expect(isSupportedEncoding('koi8-r')).toBe(false);
    expect(thrown(CodecError, () => encodeText('a', 'koi8-r' as Encoding)).code).toBe('UNKNOWN_ENCODING');
    expect(thrown(CodecError, () => createDecoder('latin2' as Encoding)).code).toBe('UNKNOWN_ENCODING');
  });
});

describe('streaming decoder', () => {
  it('joins a GBK character split between chunks', () => {
    const d = createDecoder('gbk');
    expect(d.write(fromHex('41 D6'))).toBe('A');
    expect(d.write(fromHex('D0 CE'))).toBe('中');
    expect(d.write(fromHex('C4'))).toBe('文');
    expect(d.end()).toBe('');
  });

  it('joins a UTF-8 character split byte by byte', () => {
    const d = createDecoder('utf-8');
    const out = [...fromHex('F0 9F 98 80 E4 B8 AD')].map((x) => d.write(Uint8Array.of(x))).join('');
    expect(out + d.end()).toBe('😀中');
  });

  it('ends an unfinished character as U+FFFD and starts fresh', () => {
    const d = createDecoder('utf-8');
    expect(d.write(fromHex('41 E4 B8'))).toBe('A');
    expect(d.end()).toBe('\uFFFD');
    expect(d.write(fromHex('42'))).toBe('B');
  });

  it('keeps a GB18030 four-byte emoji split before its last byte (iconv-lite DBCS workaround)', () => {
    const d = createDecoder('gb18030');
    expect(d.write(fromHex('41 94 39 FC'))).toBe('A');
    expect(d.write(fromHex('36'))).toBe('😀');
    expect(d.write(fromHex('90 30 81'))).toBe('');
    expect(d.write(fromHex('30 42 43'))).toBe('𐀀BC');
    expect(d.end()).toBe('');
  });

  it('re-reads an invalid GB18030 sequence split across chunks without losing text', () => {
    const whole = fromHex('81 30 81 41 42 43');
    const expected = decodeText(whole, 'gb18030');
    const d = createDecoder('gb18030');
    expect(d.write(whole.subarray(0, 3)) + d.write(whole.subarray(3)) + d.end()).toBe(expected);
  });

  it('never ends a piece in half a surrogate pair', () => {
    const d = createDecoder('utf-16be');
    expect(d.write(fromHex('D8 3D'))).toBe('');
    expect(d.write(fromHex('DE 00 00 41'))).toBe('😀A');
    expect(d.write(fromHex('D8 3D'))).toBe('');
    expect(d.end()).toBe('\uD83D');
  });

  it('accepts views into a larger buffer', () => {
    const big = fromHex('00 00 D6 D0 00');
    expect(createDecoder('gbk').write(big.subarray(2, 4))).toBe('中');
  });

  it('decodes any split of any encodable text like a one-shot decode', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc.constantFrom(...ENCODINGS),
        fc.array(fc.nat(), { maxLength: 8 }),
        (s, e, cuts) => {
          let bytes: Uint8Array;
          try {
            bytes = encodeText(s, e);
          } catch {
            return; // not representable in this encoding
          }
          expect(decodeSplit(bytes, e, cuts)).toBe(decodeText(bytes, e));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decodes any split of arbitrary bytes exactly like a one-shot decode', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ENCODINGS), fc.uint8Array({ maxLength: 24 }), fc.array(fc.nat(), { maxLength: 6 }), (e, bytes, cuts) => {
        expect(decodeSplit(bytes, e, cuts)).toBe(decodeText(bytes, e));
      }),
      { numRuns: 1000 },
    );
  });

  it('decodes split GBK and UTF-8 of random CJK text', () => {
    const cjk = fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c)), maxLength: 30 });
    fc.assert(
      fc.property(cjk, fc.constantFrom<Encoding>('gbk', 'utf-8', 'gb18030'), fc.array(fc.nat(), { maxLength: 8 }), (s, e, cuts) => {
        const bytes = encodeText(s, e);
        expect(decodeSplit(bytes, e, cuts)).toBe(s);
      }),
      { numRuns: 200 },
    );
  });
});
