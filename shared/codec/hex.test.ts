import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codePointPosition, formatHex, hexdump, parseHex } from './hex';
import { CodecError } from './types';
import { thrown } from './thrown.test-util';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('parseHex', () => {
  it.each([
    ['01 02', [1, 2]],
    ['0102', [1, 2]],
    ['0x01,0x02', [1, 2]],
    ['0X0A', [10]],
    ['0x0102', [1, 2]],
    ['aB cD\tEf\n10\r\n20', [0xab, 0xcd, 0xef, 0x10, 0x20]],
    ['  01   ,, 02  ', [1, 2]],
    ['de:ad;be-ef', [0xde, 0xad, 0xbe, 0xef]],
    ['00', [0]],
    ['', []],
    ['  \n ', []],
  ])('parses %j', (input, expected) => {
    expect(parseHex(input)).toEqual(bytes(...expected));
  });

  it('names the unpaired digit and where it is', () => {
    const e = thrown(CodecError, () => parseHex('01 02 3'));
    expect(e.code).toBe('BAD_HEX');
    expect(e.message).toBe("Hex digit '3' at position 7 has no partner: hex bytes need two digits");
    expect(e.position).toBe(7);
    expect(e.char).toBe('3');
  });

  it('does not pair digits across a separator', () => {
    const e = thrown(CodecError, () => parseHex('0 1'));
    expect(e.position).toBe(1);
    expect(e.char).toBe('0');
  });

  it('finds the odd digit inside a long group', () => {
    expect(thrown(CodecError, () => parseHex('12345')).position).toBe(5);
    expect(thrown(CodecError, () => parseHex('0x123')).position).toBe(5);
  });

  it('rejects a character that is not a hex digit', () => {
    const e = thrown(CodecError, () => parseHex('01 g2'));
    expect(e.message).toBe("'g' at position 4 is not a hex digit");
    expect(e).toMatchObject({ code: 'BAD_HEX', position: 4, char: 'g' });
  });

  it('counts positions in code points and reports the whole character', () => {
    const e = thrown(CodecError, () => parseHex('01😀02'));
    expect(e).toMatchObject({ position: 3, char: '😀' });
    const e2 = thrown(CodecError, () => parseHex('😀'));
    expect(e2).toMatchObject({ position: 1, char: '😀' });
  });

  it('rejects x outside a prefix and a bare prefix', () => {
    expect(thrown(CodecError, () => parseHex('01x2'))).toMatchObject({ position: 3, char: 'x' });
    expect(thrown(CodecError, () => parseHex('01 0x'))).toMatchObject({ position: 4, char: '0x' });
    expect(thrown(CodecError, () => parseHex('0x 01'))).toMatchObject({ position: 1 });
  });

  it('never truncates: the digit count decides', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{0,40}$/), (s) => {
        if (s.length % 2 === 0) expect(parseHex(s).length).toBe(s.length / 2);
        else expect(thrown(CodecError, () => parseHex(s)).position).toBe(s.length);
      }),
    );
  });
});

describe('formatHex', () => {
  it('defaults to upper case with spaces', () => {
    expect(formatHex(bytes(0xaa, 0xbb, 0x0c))).toBe('AA BB 0C');
  });
  it('takes a separator and lower case', () => {
    expect(formatHex(bytes(0xaa, 0x01), { separator: '', upper: false })).toBe('aa01');
    expect(formatHex(bytes(0xaa, 0x01), { separator: ', ' })).toBe('AA, 01');
    expect(formatHex(new Uint8Array(0))).toBe('');
  });
  it('round-trips through parseHex with any accepted separator', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.constantFrom('', ' ', ',', ', ', '\n', '\t', ':', '-', ';'),
        fc.boolean(),
        (data, separator, upper) => {
          expect(parseHex(formatHex(data, { separator, upper }))).toEqual(data);
        },
      ),
    );
  });
});

describe('hexdump', () => {
  it('dumps a full row and a padded last row', () => {
    const data = new TextEncoder().encode('Hello, World! This is Wirebench.\n\x00\x7f');
    expect(hexdump(data)).toBe(
      [
        '00000000  48 65 6c 6c 6f 2c 20 57  6f 72 6c 64 21 20 54 68  |Hello, World! Th|',
        '00000010  69 73 20 69 73 20 57 69  72 65 62 65 6e 63 68 2e  |is is Wirebench.|',
        '00000020  0a 00 7f                                          |...|',
      ].join('\n'),
    );
  });
  it('aligns the ASCII column on every row length', () => {
    for (let n = 1; n <= 40; n++) {
      const lines = hexdump(new Uint8Array(n)).split('\n');
      for (const line of lines) expect(line.indexOf('|')).toBe(8 + 2 + 48 + 2);
    }
  });
  it('applies the start offset and a custom width', () => {
    expect(hexdump(bytes(0x41, 0x42, 0x43), { offset: 0x100, width: 2 })).toBe(
      '00000100  41  42  |AB|\n00000102  43      |C|',
    );
  });
  it('shows every byte: the hex column parses back to the input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.integer({ min: 1, max: 20 }), (data, width) => {
        const dump = hexdump(data, { width });
        const back = dump === '' ? [] : dump.split('\n').map((line) => parseHex(line.slice(10, line.indexOf('|') - 2)));
        expect(Uint8Array.from(back.flatMap((row) => [...row]))).toEqual(data);
        for (const line of dump.split('\n').filter(Boolean)) expect(line.endsWith('|')).toBe(true);
      }),
    );
  });

  it('gives an empty string for no bytes and rejects a bad width', () => {
    expect(hexdump(new Uint8Array(0))).toBe('');
    expect(() => hexdump(bytes(1), { width: 0 })).toThrow(CodecError);
  });
});

describe('codePointPosition', () => {
  it('counts a surrogate pair once', () => {
    expect(codePointPosition('a😀b', 0)).toBe(1);
    expect(codePointPosition('a😀b', 1)).toBe(2);
    expect(codePointPosition('a😀b', 3)).toBe(3);
  });
});
