import { describe, expect, it } from 'vitest';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Endpoint } from '../../../shared/protocol/model';
import type { ExportMessage, ExportFormat } from './message';
import { createExportWriter, csvCell, escapeText, formatTime, type ExportOptions } from './writers';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0, 123); // 2026-11-22 10:00:00.123 UTC
const v4 = (address: string, port: number): Endpoint => ({ address, port, family: 'IPv4' });
const v6 = (address: string, port: number): Endpoint => ({ address, port, family: 'IPv6' });
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function rec(over: Partial<ExportMessage> = {}): ExportMessage {
  const text = over.text ?? 'hello';
  return {
    ts: T0,
    dir: 'rx',
    transport: 'tcp',
    local: v4('127.0.0.1', 6000),
    remote: v4('127.0.0.1', 5000),
    bytes: enc(text),
    text,
    ...over,
  };
}

/** A Writable that keeps everything, optionally slow and with a tiny buffer. */
class Sink extends Writable {
  readonly chunks: Buffer[] = [];
  maxBuffered = 0;
  constructor(opts: { highWaterMark?: number; delayMs?: number; failWith?: Error } = {}) {
    super({
      highWaterMark: opts.highWaterMark ?? 16 * 1024,
      write: (chunk: Buffer, _enc, cb) => {
        this.chunks.push(chunk);
        if (opts.failWith) return void setImmediate(() => cb(opts.failWith));
        if (opts.delayMs === undefined) cb();
        else setTimeout(cb, opts.delayMs);
      },
    });
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

async function run(format: ExportFormat, recs: ExportMessage[], opts: ExportOptions = { timeZone: 'utc' }): Promise<string> {
  const sink = new Sink();
  const w = createExportWriter(format, sink, opts);
  for (const r of recs) await w.write(r);
  await w.end();
  return sink.text();
}

/** Minimal RFC 4180 reader, strict about quotes, for checking round trips. */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < s.length) {
    const c = s[i]!;
    const next = s[i + 1];
    if (quoted && c === '"' && next === '"') {
      cell += '"';
      i += 2;
    } else if (quoted && c === '"') {
      quoted = false;
      i++;
    } else if (quoted) {
      cell += c;
      i++;
    } else if (c === '"' && cell === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      i++;
    } else if (c === '\r' && next === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 2;
    } else if (c === '"' || c === '\r' || c === '\n') {
      throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
    } else {
      cell += c;
      i++;
    }
  }
  if (cell !== '' || row.length > 0) throw new Error('last row lacks CRLF');
  return rows;
}

describe('txt-text', () => {
  it('writes one line per record in the documented shape', async () => {
    const out = await run('txt-text', [
      rec(),
      rec({ dir: 'tx', ts: T0 + 1000.7, text: 'bye', bytes: enc('bye') }),
      rec({ remote: v6('::1', 7000), text: '你好', bytes: enc('你好') }),
    ]);
    expect(out).toBe(
      '2026-11-22 10:00:00.123 RX 127.0.0.1:5000 (5 B) hello\n' +
        '2026-11-22 10:00:01.123 TX 127.0.0.1:5000 (3 B) bye\n' +
        '2026-11-22 10:00:00.123 RX [::1]:7000 (6 B) 你好\n',
    );
  });

  it('escapes control characters so each record stays on one line', async () => {
    const text = 'a\r\nb\tc\0d\\e\x1b[0m\x7f\u0085\u2028z';
    const out = await run('txt-text', [rec({ text, bytes: enc(text) })]);
    expect(out).toBe(`2026-11-22 10:00:00.123 RX 127.0.0.1:5000 (${enc(text).length} B) a\\r\\nb\\tc\\0d\\\\e\\u001B[0m\\u007F\\u0085\\u2028z\n`);
    expect(out.split('\n')).toHaveLength(2);
  });

  it('keeps surrogate pairs and escapes lone surrogates', () => {
    expect(escapeText('😀')).toBe('😀');
    expect(escapeText('a\ud800b\udc00')).toBe('a\\uD800b\\uDC00');
  });

  it('shows bytes without decoded text as printable ASCII and \\xHH', async () => {
    const r = rec({ bytes: Uint8Array.of(0x41, 0x00, 0xff, 0x5c, 0x0d), text: undefined });
    expect(await run('txt-text', [r])).toBe('2026-11-22 10:00:00.123 RX 127.0.0.1:5000 (5 B) A\\x00\\xFF\\\\\\x0D\n');
  });

  it('notes the encoding on a first comment line when given', async () => {
    const out = await run('txt-text', [rec()], { timeZone: 'utc', encodingLabel: 'GBK' });
    expect(out.split('\n')[0]).toBe('# Text decoded as GBK');
    expect(await run('txt-text', [], { encodingLabel: 'GBK' })).toBe('# Text decoded as GBK\n');
  });

  it('starts a txt export with header lines saying what it holds, in the language asked for', async () => {
    const header = { session: 'PLC', transport: 'tcp' as const, messages: 1, dropped: 0, madeAt: T0 };
    const en = await run('txt-text', [rec()], { timeZone: 'utc', encodingLabel: 'GBK', header });
    expect(en.split('\n').slice(0, 4)).toEqual([
      "# Wirebench log export of session 'PLC' (TCP), made 2026-11-22 10:00:00.123 (UTC)",
      '# 1 message, received (RX) and sent (TX), oldest first',
      '# Each line: time (UTC), RX or TX, the other end, (length in bytes), then the text decoded as GBK; ' +
        'control characters are written as \\r \\n \\t \\0 \\\\ \\uHHHH, bytes without text as \\xHH',
      '2026-11-22 10:00:00.123 RX 127.0.0.1:5000 (5 B) hello',
    ]);
    const zh = await run('txt-hexdump', [rec()], { timeZone: 'utc', header: { ...header, transport: 'udp', messages: 1200, dropped: 7 }, language: 'zh-CN' });
    expect(zh.split('\n').slice(0, 3)).toEqual([
      '# Wirebench 日志导出：会话“PLC”（UDP），导出于 2026-11-22 10:00:00.123（UTC）',
      '# 共 1,200 条消息，包括接收（RX）和发送（TX），按时间先后排列；另有 7 条较早的消息已因日志大小上限被丢弃',
      '# 每条消息：先是一行时间（UTC）、RX 或 TX、对端地址和（长度，字节），然后是它的 Hexdump（偏移、16 个字节的十六进制、同样字节的 ASCII），最后空一行',
    ]);
    // an empty export still says what it is
    expect((await run('txt-hexdump', [], { timeZone: 'utc', header: { ...header, messages: 0 } })).split('\n')[1]).toBe('# 0 messages, received (RX) and sent (TX), oldest first');
    // CSV stays machine-readable: its first line is the column header
    expect((await run('csv', [rec()], { timeZone: 'utc', header, language: 'zh-CN' })).split('\r\n')[0]).toBe('time,direction,transport,local,remote,length,hex,text');
  });

  it('uses local time by default', () => {
    const d = new Date(T0);
    const p = (n: number): string => String(n).padStart(2, '0');
    expect(formatTime(T0)).toBe(
      `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.123`,
    );
    expect(formatTime(T0 + 0.999, 'utc')).toBe('2026-11-22 10:00:00.123');
  });
});

describe('txt-hexdump', () => {
  it('writes a header line, the dump and a blank line per record', async () => {
    const bytes = enc('Hello, World!\n');
    const out = await run('txt-hexdump', [rec({ bytes, text: 'Hello, World!\n' }), rec({ dir: 'tx', bytes: new Uint8Array(0), text: '' })]);
    expect(out).toBe(
      '2026-11-22 10:00:00.123 RX 127.0.0.1:5000 (14 B)\n' +
        '00000000  48 65 6c 6c 6f 2c 20 57  6f 72 6c 64 21 0a        |Hello, World!.|\n' +
        '\n' +
        '2026-11-22 10:00:00.123 TX 127.0.0.1:5000 (0 B)\n' +
        '\n',
    );
  });
});

describe('csv', () => {
  it('quotes commas, quotes and newlines as RFC 4180 says, with CRLF rows', async () => {
    const text = 'a,b "c"\r\nd';
    const out = await run('csv', [
      rec({ text, bytes: enc(text) }),
      rec({ dir: 'tx', transport: 'udp', remote: v6('fe80::1%eth0', 9), text: 'plain', bytes: enc('plain'), peerId: 'p1' }),
    ]);
    const lines = out.split('\r\n');
    expect(lines[0]).toBe('time,direction,transport,local,remote,length,hex,text');
    expect(lines[1]).toBe('2026-11-22 10:00:00.123,RX,TCP,127.0.0.1:6000,127.0.0.1:5000,10,61 2C 62 20 22 63 22 0D 0A 64,"a,b ""c""');
    expect(lines[2]).toBe('d"');
    expect(lines[3]).toBe('2026-11-22 10:00:00.123,TX,UDP,127.0.0.1:6000,[fe80::1%eth0]:9,5,70 6C 61 69 6E,plain');
    expect(parseCsv(out)).toEqual([
      ['time', 'direction', 'transport', 'local', 'remote', 'length', 'hex', 'text'],
      ['2026-11-22 10:00:00.123', 'RX', 'TCP', '127.0.0.1:6000', '127.0.0.1:5000', '10', '61 2C 62 20 22 63 22 0D 0A 64', text],
      ['2026-11-22 10:00:00.123', 'TX', 'UDP', '127.0.0.1:6000', '[fe80::1%eth0]:9', '5', '70 6C 61 69 6E', 'plain'],
    ]);
  });

  it('guards cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('a=1')).toBe('a=1');
    expect(csvCell('')).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('guards the text column of real rows', async () => {
    const out = await run('csv', [rec({ text: '=cmd|calc', bytes: enc('=cmd|calc') })]);
    expect(parseCsv(out)[1]?.[7]).toBe("'=cmd|calc");
  });

  it('writes the header alone for an empty export, and a BOM only when asked', async () => {
    expect(await run('csv', [])).toBe('time,direction,transport,local,remote,length,hex,text\r\n');
    expect(await run('csv', [], { bom: true })).toBe('\ufefftime,direction,transport,local,remote,length,hex,text\r\n');
  });
});

describe('jsonl', () => {
  it('writes one object per line that parses back to the record', async () => {
    const weird = 'line\nbreak "q" \u2028 \ud800 😀';
    const recs = [
      rec({ ts: T0 + 0.456, peerId: 'p7' }),
      rec({ dir: 'tx', transport: 'udp', remote: v6('::1', 9), bytes: Uint8Array.of(0, 0xff, 0x10), text: undefined }),
      rec({ text: weird, bytes: enc('x') }),
    ];
    const out = await run('jsonl', recs, { encodingLabel: 'UTF-8' });
    const lines = out.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    const objs = lines.slice(0, 3).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(objs[0]!)).toEqual(['ts', 'iso', 'dir', 'transport', 'local', 'remote', 'peerId', 'length', 'hex', 'text', 'encoding']);
    expect(objs[0]).toEqual({
      ts: T0 + 0.456,
      iso: '2026-11-22T10:00:00.123Z',
      dir: 'rx',
      transport: 'tcp',
      local: { address: '127.0.0.1', port: 6000, family: 'IPv4' },
      remote: { address: '127.0.0.1', port: 5000, family: 'IPv4' },
      peerId: 'p7',
      length: 5,
      hex: '68656c6c6f',
      text: 'hello',
      encoding: 'UTF-8',
    });
    expect(objs[1]).toMatchObject({ dir: 'tx', transport: 'udp', peerId: null, length: 3, hex: '00ff10', text: null });
    expect(objs[1]?.remote).toEqual({ address: '::1', port: 9, family: 'IPv6' });
    expect(objs[2]?.text).toBe(weird);
  });
});

describe('streaming', () => {
  it('waits for drain on a slow stream and delivers everything in order', async () => {
    const sink = new Sink({ highWaterMark: 64, delayMs: 1 });
    const w = createExportWriter('jsonl', sink, { timeZone: 'utc' });
    let promises = 0;
    for (let i = 0; i < 50; i++) {
      const p = w.write(rec({ text: `m${i}`, bytes: enc(`m${i}`) }));
      if (p) {
        promises++;
        await p;
      }
      sink.maxBuffered = Math.max(sink.maxBuffered, sink.writableLength);
    }
    await w.end();
    expect(promises).toBeGreaterThan(0);
    expect(sink.maxBuffered).toBeLessThan(1024); // never more than about one record past the mark
    const texts = sink.text().trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text);
    expect(texts).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    expect(sink.writableFinished).toBe(true);
  });

  it('reports a failing stream in the user\'s words', async () => {
    const boom = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    const sink = new Sink({ highWaterMark: 1, failWith: boom });
    const w = createExportWriter('txt-text', sink);
    await expect(Promise.resolve(w.write(rec()))).rejects.toMatchObject({
      code: 'WRITE_FAILED',
      message: 'Could not write the export file: no space left on device',
      detail: { sysCode: 'ENOSPC' },
    });
    await expect(w.end()).rejects.toMatchObject({ code: 'WRITE_FAILED' });
  });

  it('refuses records after end', async () => {
    const w = createExportWriter('csv', new Sink());
    await w.end();
    await expect(Promise.resolve(w.write(rec()))).rejects.toMatchObject({ code: 'WRITE_FAILED' });
    await w.end(); // a second end is harmless
  });

  it('writes a real file and resolves end only once the file is complete', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wirebench-export-'));
    try {
      const file = join(dir, 'log.txt');
      const w = createExportWriter('txt-text', createWriteStream(file), { timeZone: 'utc' });
      for (let i = 0; i < 2000; i++) await w.write(rec({ text: `line ${i}`, bytes: enc(`line ${i}`) }));
      await w.end();
      const lines = (await readFile(file, 'utf8')).split('\n');
      expect(lines).toHaveLength(2001);
      expect(lines[1999]).toBe('2026-11-22 10:00:00.123 RX 127.0.0.1:5000 (9 B) line 1999');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
