import { describe, expect, it } from 'vitest';
import { LOG_ROW_BYTES_MAX, ok, type LogRow } from '../../../shared/protocol';
import { cArray, formatRows, pythonBytes } from './copy-formats';
import { copyRows, COPY_MAX_CHARS, type CopyHost } from './copy-rows';

const b = (...x: number[]) => Uint8Array.from(x);

describe('copy formats', () => {
  it('C array: 0x-prefixed bytes, 16 per line', () => {
    expect(cArray(b(0x01, 0x03, 0x00, 0x0a))).toBe('{0x01, 0x03, 0x00, 0x0A}');
    expect(cArray(b())).toBe('{}');
    const long = cArray(Uint8Array.from({ length: 18 }, (_, i) => i));
    expect(long.split('\n')).toEqual([
      '{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,',
      ' 0x10, 0x11}',
    ]);
  });

  it('Python bytes as repr() writes them', () => {
    expect(pythonBytes(b(0x01, 0x03, 0xff))).toBe("b'\\x01\\x03\\xff'");
    expect(pythonBytes(new TextEncoder().encode("AT'\\\r\n\t"))).toBe("b'AT\\'\\\\\\r\\n\\t'");
    expect(pythonBytes(b())).toBe("b''");
  });

  it('several rows: a line each; notes only in the text format', () => {
    const rows = [
      { bytes: new TextEncoder().encode('OK\r\n'), text: 'OK\r\n' },
      { text: '127.0.0.1:5000 connected' },
      { bytes: b(0x01, 0x03), text: '\u0001\u0003' },
    ];
    expect(formatRows(rows, 'text')).toBe('OK\r\n127.0.0.1:5000 connected\n\u0001\u0003');
    expect(formatRows(rows, 'hex')).toBe('4F 4B 0D 0A\n01 03');
    expect(formatRows(rows, 'c')).toBe('{0x4F, 0x4B, 0x0D, 0x0A}\n{0x01, 0x03}');
    expect(formatRows(rows, 'python')).toBe("b'OK\\r\\n'\nb'\\x01\\x03'");
    expect(formatRows(rows, 'hexdump')).toBe(
      '00000000  4f 4b 0d 0a                                       |OK..|\n\n00000000  01 03                                             |..|',
    );
  });
});

describe('copyRows', () => {
  const row = (seq: number, bytes: Uint8Array, size = bytes.length): LogRow => ({ seq, ts: 1, dir: 'rx', size, bytes, text: '' });
  function host(record: Map<number, LogRow>, cached: Map<number, LogRow>) {
    const reads: { seqs: number[]; byteLimit: number }[] = [];
    const h: CopyHost = {
      sessionId: 's1',
      row: (seq) => cached.get(seq),
      read: async (a) => {
        reads.push({ seqs: a.seqs, byteLimit: a.byteLimit });
        const rows = a.seqs.flatMap((s) => {
          const r = record.get(s);
          if (!r) return [];
          return [{ ...r, bytes: r.bytes!.subarray(0, a.byteLimit) }];
        });
        // like the engine: an answer stops after ~4 MiB, with at least one row
        let total = 0;
        const cut = rows.filter((r, i) => (total += r.bytes.length) <= 4 * 1024 * 1024 || i === 0);
        return ok({ firstSeq: 1, lastSeq: 100, rows: cut });
      },
      noteText: (r) => r.text,
    };
    return { h, reads };
  }

  it('reads the whole bytes of rows the cache holds only in part, and sizes of rows it lacks', async () => {
    const full = new Uint8Array(3000).fill(0xab);
    const record = new Map([[1, row(1, b(1, 2))], [2, row(2, full)], [3, row(3, b(9))]]);
    const cached = new Map([[1, row(1, b(1, 2))], [2, row(2, full.subarray(0, 1024), 3000)]]);
    const { h, reads } = host(record, cached);
    const r = await copyRows([1, 2, 3], 'c', h);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const lines = r.text.split('\n');
    expect(lines[0]).toBe('{0x01, 0x02}');
    expect(r.text.match(/0xAB/g)).toHaveLength(3000);
    expect(lines.at(-1)).toBe('{0x09}');
    expect(reads).toEqual([{ seqs: [3], byteLimit: 0 }, { seqs: [2, 3], byteLimit: LOG_ROW_BYTES_MAX }]);
  });

  it('asks again when an answer stopped at its size limit', async () => {
    const big = () => new Uint8Array(3 * 1024 * 1024);
    const record = new Map([[1, row(1, big())], [2, row(2, big())], [3, row(3, big())]]);
    const cached = new Map([...record].map(([s, r]) => [s, { ...r, bytes: r.bytes!.subarray(0, 10) }] as const));
    const { h, reads } = host(record, cached);
    const r = await copyRows([1, 2, 3], 'text', h);
    expect(r.ok && r.rows).toBe(3);
    expect(reads.map((x) => x.seqs)).toEqual([[1, 2, 3], [2, 3], [3]]);
  });

  it('refuses a copy larger than the clipboard bound before reading it', async () => {
    const size = Math.ceil(COPY_MAX_CHARS / 6) + 1; // as a C array: 6 characters a byte
    const cached = new Map([[1, row(1, b(1), size)]]);
    const { h, reads } = host(new Map(), cached);
    const r = await copyRows([1], 'c', h);
    expect(r).toMatchObject({ ok: false, reason: 'tooLarge' });
    expect(reads).toEqual([]);
    expect(await copyRows([1], 'text', h)).toEqual({ ok: false, reason: 'empty' }); // fits as text, but the row is gone from the record
  });
});
