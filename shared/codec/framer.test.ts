import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createFramer, MAX_FRAME_BYTES, type Framer, type FramerOptions } from './framer';
import { CodecError, type FramerSpec } from './types';

const b = (...v: number[]): Uint8Array => Uint8Array.from(v);
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (msgs: Uint8Array[]): string[] => msgs.map((m) => new TextDecoder().decode(m));

/** Push `data` cut at `cuts`, then flush; every message in order. */
function run(framer: Framer, data: Uint8Array, cuts: number[], nowMs = () => 0): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((x, y) => x - y);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, data.length]) {
    out.push(...framer.push(data.subarray(from, p), nowMs()));
    from = p;
  }
  out.push(...framer.flush());
  return out;
}

describe('raw framer', () => {
  it('makes each non-empty chunk a message', () => {
    const f = createFramer({ kind: 'raw' });
    expect(f.push(b(1, 2), 0)).toEqual([b(1, 2)]);
    expect(f.push(new Uint8Array(0), 0)).toEqual([]);
    expect(f.flush()).toEqual([]);
    expect(f.pendingBytes).toBe(0);
  });
  it('cuts a chunk above the limit', () => {
    const f = createFramer({ kind: 'raw' }, { maxMessageBytes: 2 });
    expect(f.push(b(1, 2, 3, 4, 5), 0)).toEqual([b(1, 2), b(3, 4), b(5)]);
  });
});

describe('delimiter framer', () => {
  it('splits on a multi-byte delimiter and drops it by default', () => {
    const f = createFramer({ kind: 'delimiter', delimiter: ascii('\r\n'), keep: false });
    expect(str(f.push(ascii('one\r\ntwo\r\nthr'), 0))).toEqual(['one', 'two']);
    expect(f.pendingBytes).toBe(3);
    expect(str(f.push(ascii('ee\r\n\r\n'), 0))).toEqual(['three', '']);
    expect(f.flush()).toEqual([]);
  });
  it('keeps the delimiter when asked', () => {
    const f = createFramer({ kind: 'delimiter', delimiter: ascii('\n'), keep: true });
    expect(str(f.push(ascii('a\nb\n'), 0))).toEqual(['a\n', 'b\n']);
  });
  it('finds a delimiter split across chunks', () => {
    const f = createFramer({ kind: 'delimiter', delimiter: b(0xaa, 0xbb, 0xcc), keep: false });
    expect(f.push(b(1, 2, 0xaa), 0)).toEqual([]);
    expect(f.push(b(0xbb), 0)).toEqual([]);
    expect(f.push(b(0xcc, 3), 0)).toEqual([b(1, 2)]);
    expect(f.flush()).toEqual([b(3)]);
  });
  it('handles overlapping delimiter prefixes', () => {
    const f = createFramer({ kind: 'delimiter', delimiter: ascii('aab'), keep: true });
    expect(str(run(f, ascii('xaaabyaab'), [2, 3]))).toEqual(['xaaab', 'yaab']);
  });
  it('cuts a message that outgrows the limit', () => {
    const f = createFramer({ kind: 'delimiter', delimiter: ascii(';'), keep: false }, { maxMessageBytes: 4 });
    expect(str(f.push(ascii('abcd'), 0))).toEqual([]);
    expect(str(f.push(ascii('e'), 0))).toEqual(['abcd']);
    expect(str(f.push(ascii(';xy;'), 0))).toEqual(['e', 'xy']);
  });
  it('rejects an empty delimiter', () => {
    expect(() => createFramer({ kind: 'delimiter', delimiter: new Uint8Array(0), keep: false })).toThrow(CodecError);
  });
});

describe('fixed framer', () => {
  it('emits messages of exactly the length', () => {
    const f = createFramer({ kind: 'fixed', length: 3 });
    expect(f.push(b(1, 2), 0)).toEqual([]);
    expect(f.push(b(3, 4, 5, 6, 7), 0)).toEqual([b(1, 2, 3), b(4, 5, 6)]);
    expect(f.pendingBytes).toBe(1);
    expect(f.flush()).toEqual([b(7)]);
    expect(f.pendingBytes).toBe(0);
  });
  it('emits an oversized message in pieces and stays in step', () => {
    const f = createFramer({ kind: 'fixed', length: 5 }, { maxMessageBytes: 2 });
    expect(f.push(b(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 0)).toEqual([b(1, 2), b(3, 4), b(5), b(6, 7), b(8, 9), b(10)]);
  });
});

describe('length-prefix framer', () => {
  it('reads a 2-byte big-endian length that excludes the prefix', () => {
    const f = createFramer({ kind: 'length-prefix', width: 2, endian: 'be', includesPrefix: false });
    expect(f.push(b(0x00, 0x03, 1, 2), 0)).toEqual([]);
    expect(f.push(b(3, 0x00, 0x00, 0x00), 0)).toEqual([b(0, 3, 1, 2, 3), b(0, 0)]);
    expect(f.pendingBytes).toBe(1);
  });
  it('reads a 4-byte little-endian length that includes the prefix', () => {
    const f = createFramer({ kind: 'length-prefix', width: 4, endian: 'le', includesPrefix: true });
    expect(f.push(b(6, 0, 0, 0, 0xa, 0xb, 5, 0, 0), 0)).toEqual([b(6, 0, 0, 0, 0xa, 0xb)]);
    expect(f.push(b(0, 0xc), 0)).toEqual([b(5, 0, 0, 0, 0xc)]);
  });
  it('reads a 1-byte length', () => {
    const f = createFramer({ kind: 'length-prefix', width: 1, endian: 'be', includesPrefix: false });
    expect(f.push(b(2, 9, 9, 0, 1, 7), 0)).toEqual([b(2, 9, 9), b(0), b(1, 7)]);
  });
  it('emits an impossible prefix alone and resyncs after it', () => {
    const f = createFramer({ kind: 'length-prefix', width: 2, endian: 'be', includesPrefix: true });
    expect(f.push(b(0, 1, 0, 3, 9), 0)).toEqual([b(0, 1), b(0, 3, 9)]);
  });
  it('emits a message longer than the limit in pieces and stays in step', () => {
    const f = createFramer({ kind: 'length-prefix', width: 1, endian: 'be', includesPrefix: false }, { maxMessageBytes: 3 });
    expect(f.push(b(4, 1, 2, 3, 4, 1, 5), 0)).toEqual([b(4, 1, 2), b(3, 4), b(1, 5)]);
  });
  it('does not buffer more than the limit for a huge declared length', () => {
    const f = createFramer({ kind: 'length-prefix', width: 4, endian: 'be', includesPrefix: false }, { maxMessageBytes: 8 });
    const out = f.push(Uint8Array.of(0xff, 0xff, 0xff, 0xff, ...new Array<number>(30).fill(7)), 0);
    expect(out.map((m) => m.length)).toEqual([8, 8, 8, 8]);
    expect(f.pendingBytes).toBe(2);
  });
});

describe('length field at an offset (Modbus TCP MBAP)', () => {
  const MBAP: FramerSpec = { kind: 'length-prefix', width: 2, endian: 'be', includesPrefix: false, offset: 4 };
  const req = (txn: number): number[] => [0, txn, 0, 0, 0, 6, 1, 3, 0, 0, 0, 2];
  it('cuts requests by the length at bytes 4–5, which counts the bytes after it', () => {
    const f = createFramer(MBAP);
    expect(f.push(b(...req(1), ...req(2), 0, 3, 0), 0)).toEqual([b(...req(1)), b(...req(2))]);
    expect(f.pendingBytes).toBe(3);
    expect(f.push(b(0, 0, 6, 1, 3, 0, 0, 0, 2), 0)).toEqual([b(...req(3))]);
  });
  it('waits for the whole header before reading the length', () => {
    const f = createFramer(MBAP);
    expect(f.push(b(0, 1, 0, 0, 0), 0)).toEqual([]);
    expect(f.push(b(1, 9), 0)).toEqual([b(0, 1, 0, 0, 0, 1, 9)]);
  });
  it('with includesPrefix the value counts the whole message; too small a value resyncs after the header', () => {
    const f = createFramer({ kind: 'length-prefix', width: 1, endian: 'be', includesPrefix: true, offset: 2 });
    expect(f.push(b(7, 7, 4, 9, 7, 7, 1, 5), 0)).toEqual([b(7, 7, 4, 9), b(7, 7, 1)]);
    expect(f.flush()).toEqual([b(5)]);
  });
  it('rejects a negative offset', () => {
    expect(() => createFramer({ ...MBAP, offset: -1 } as FramerSpec)).toThrow(CodecError);
  });
});

describe('idle framer', () => {
  it('ends a message when the gap is reached', () => {
    const f = createFramer({ kind: 'idle', gapMs: 50 });
    expect(f.push(b(1), 1000)).toEqual([]);
    expect(f.push(b(2), 1049)).toEqual([]);
    expect(f.push(b(3), 1099)).toEqual([b(1, 2)]);
    expect(f.pendingBytes).toBe(1);
    expect(f.flush()).toEqual([b(3)]);
    expect(f.flush()).toEqual([]);
  });
  it('an empty late chunk still ends the pending message', () => {
    const f = createFramer({ kind: 'idle', gapMs: 10 });
    f.push(b(1), 0);
    expect(f.push(new Uint8Array(0), 5)).toEqual([]);
    expect(f.push(new Uint8Array(0), 10)).toEqual([b(1)]);
  });
  it('cuts at the limit', () => {
    const f = createFramer({ kind: 'idle', gapMs: 10 }, { maxMessageBytes: 2 });
    expect(f.push(b(1, 2, 3), 0)).toEqual([b(1, 2)]);
  });
  it('rejects a zero gap', () => {
    expect(() => createFramer({ kind: 'idle', gapMs: 0 })).toThrow(CodecError);
  });
});

describe('memory guard default', () => {
  it('is 16 MiB', () => {
    expect(MAX_FRAME_BYTES).toBe(16 * 1024 * 1024);
  });
});

describe('framing does not depend on how the stream is split', () => {
  const specs: fc.Arbitrary<FramerSpec> = fc.oneof(
    fc.record({
      kind: fc.constant('delimiter' as const),
      delimiter: fc.uint8Array({ minLength: 1, maxLength: 3, max: 3 }),
      keep: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('fixed' as const), length: fc.integer({ min: 1, max: 7 }) }),
    fc.record({
      kind: fc.constant('length-prefix' as const),
      width: fc.constantFrom(1 as const, 2 as const, 4 as const),
      endian: fc.constantFrom('be' as const, 'le' as const),
      includesPrefix: fc.boolean(),
    }),
    // a length field inside a header (Modbus TCP: offset 4, width 2)
    fc.record({
      kind: fc.constant('length-prefix' as const),
      width: fc.constantFrom(1 as const, 2 as const),
      endian: fc.constantFrom('be' as const, 'le' as const),
      includesPrefix: fc.boolean(),
      offset: fc.integer({ min: 0, max: 6 }),
    }),
    fc.record({ kind: fc.constant('idle' as const), gapMs: fc.integer({ min: 1, max: 100 }) }),
  );
  // small byte values make delimiters and short length prefixes frequent
  const data = fc.uint8Array({ maxLength: 80, max: 5 });
  const cuts = fc.array(fc.nat(), { maxLength: 12 });
  const opts = fc.oneof(fc.constant<FramerOptions>({}), fc.record({ maxMessageBytes: fc.integer({ min: 1, max: 9 }) }));

  it('same messages for one chunk and for any split', () => {
    fc.assert(
      fc.property(specs, data, cuts, opts, (spec, bytes, points, o) => {
        const whole = run(createFramer(spec, o), bytes, []);
        // idle: all timestamps within the gap
        const split = run(createFramer(spec, o), bytes, points);
        expect(split).toEqual(whole);
        // nothing is lost or invented
        const total = whole.reduce((n, m) => n + m.length, 0);
        const dropped = spec.kind === 'delimiter' && !spec.keep ? spec.delimiter.length : 0;
        if (dropped === 0) expect(total).toBe(bytes.length);
        if (o.maxMessageBytes) {
          // a length prefix is never cut, so the limit is at least its width
          const limit = Math.max(o.maxMessageBytes, spec.kind === 'length-prefix' ? (spec.offset ?? 0) + spec.width : 0);
          for (const m of whole) expect(m.length).toBeLessThanOrEqual(limit);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reassembles the stream exactly (kinds that keep every byte)', () => {
    fc.assert(
      fc.property(specs, data, cuts, (spec, bytes, points) => {
        if (spec.kind === 'delimiter' && !spec.keep) return;
        const msgs = run(createFramer(spec), bytes, points);
        const joined = new Uint8Array(msgs.reduce((n, m) => n + m.length, 0));
        let at = 0;
        for (const m of msgs) {
          joined.set(m, at);
          at += m.length;
        }
        expect(joined).toEqual(bytes);
      }),
    );
  });
});
