/**
 * Streamed log export: one writer per format, fed ExportMessages one at a
 * time and writing to any node:stream Writable (usually a file). Writers
 * respect backpressure: `write` returns a promise to await whenever the
 * stream asked to wait for 'drain', so an export of a large spill log never
 * holds more than a stream buffer in memory.
 *
 * Formats:
 *   txt-text     `2026-11-22 10:00:00.123 RX 127.0.0.1:5000 (5 B) hello`, one line per
 *                message; control characters are written as the send box's escapes
 *                (\r \n \t \0 \\ \uHHHH), raw bytes without decoded text as \xHH
 *   txt-hexdump  the same header line, then a `hexdump -C` style dump, then a blank line
 *   csv          RFC 4180 with CRLF rows; text cells guarded against formula injection
 *   jsonl        one JSON object per line
 *   pcapng       synthesized IP/TCP/UDP packets (see pcapng.ts)
 */
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { formatEndpoint } from '../../../shared/protocol/format';
import type { Endpoint } from '../../../shared/protocol/model';
import type { ExportLanguage } from '../../../shared/protocol/recording';
import { WbError } from '../../../shared/protocol/errors';
import { say } from '../../../shared/protocol/reason-format';
import { headerText, type HeaderFacts } from './header';
import { formatHex, hexdump } from '../../../shared/codec/hex';
import type { ExportMessage, ExportFormat } from './message';
import { PcapngEncoder } from './pcapng';

export interface ExportWriter {
  /** Append one record. When a promise is returned, await it before writing more. */
  write(rec: ExportMessage): void | Promise<void>;
  /** Write any trailing bytes, end the stream and wait until it is flushed and closed. */
  end(): Promise<void>;
}

export interface ExportOptions {
  /** Name of the encoding the `text` fields were decoded with (e.g. "GBK"); noted in txt-text and jsonl. */
  encodingLabel?: string;
  /** Times in txt and csv: the machine's local time (default) or UTC. jsonl always has UTC `iso`. */
  timeZone?: 'local' | 'utc';
  /** csv only: start with a UTF-8 byte order mark so Excel reads non-ASCII text correctly. Default false. */
  bom?: boolean;
  /**
   * txt-text and txt-hexdump: start with comment lines saying what the file holds, in `language`
   * (without them, txt-text notes only the encoding).
   */
  header?: Omit<HeaderFacts, 'madeAt' | 'timeZone' | 'encoding'> & { madeAt: number };
  /** the language of the header lines (default English) */
  language?: ExportLanguage;
  /** a TLS session: pcapng gets a comment saying the payload is decrypted application data */
  tls?: boolean;
}

function writeFailed(e: unknown): WbError {
  const sysCode = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  const detail = e instanceof Error ? e.message : String(e);
  return new WbError('WRITE_FAILED', say('export.writeFailed', { detail }), sysCode ? { sysCode } : undefined);
}

/** A Writable with backpressure, first-error memory and a single end. */
class Out {
  private failure: WbError | null = null;
  private ended: Promise<void> | null = null;

  constructor(private readonly stream: Writable) {
    stream.on('error', (e) => {
      this.failure ??= writeFailed(e);
    });
  }

  /** Write chunks in order; a promise when the stream wants us to wait for 'drain'. */
  push(chunks: ReadonlyArray<string | Uint8Array>): void | Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended) return Promise.reject(new WbError('WRITE_FAILED', say('export.finished')));
    let full = false;
    for (const c of chunks) full = !this.stream.write(c) || full;
    return full ? this.drain() : undefined;
  }

  private drain(): Promise<void> {
    const s = this.stream;
    return new Promise<void>((resolve, reject) => {
      const done = (e?: WbError): void => {
        s.off('drain', onDrain);
        s.off('error', onError);
        s.off('close', onClose);
        if (e) reject(e);
        else resolve();
      };
      const onDrain = (): void => done();
      const onError = (e: unknown): void => done(this.failure ?? writeFailed(e));
      const onClose = (): void => done(this.failure ?? new WbError('WRITE_FAILED', say('export.closedEarly')));
      s.on('drain', onDrain);
      s.on('error', onError);
      s.on('close', onClose);
    });
  }

  end(): Promise<void> {
    this.ended ??= (async () => {
      if (this.failure) throw this.failure;
      this.stream.end();
      try {
        await finished(this.stream);
      } catch (e) {
        throw this.failure ?? writeFailed(e);
      }
      if (this.failure) throw this.failure;
    })();
    return this.ended;
  }
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `2026-11-22 10:00:00.123` in local time or UTC; fractions of a millisecond are dropped. */
export function formatTime(ts: number, timeZone: 'local' | 'utc' = 'local'): string {
  const d = new Date(Math.floor(ts));
  if (Number.isNaN(d.getTime())) return 'invalid time';
  const u = timeZone === 'utc';
  const y = u ? d.getUTCFullYear() : d.getFullYear();
  const date = `${String(y).padStart(4, '0')}-${two((u ? d.getUTCMonth() : d.getMonth()) + 1)}-${two(u ? d.getUTCDate() : d.getDate())}`;
  const time = `${two(u ? d.getUTCHours() : d.getHours())}:${two(u ? d.getUTCMinutes() : d.getMinutes())}:${two(u ? d.getUTCSeconds() : d.getSeconds())}`;
  const ms = String(u ? d.getUTCMilliseconds() : d.getMilliseconds()).padStart(3, '0');
  return `${date} ${time}.${ms}`;
}

const NAMED: Record<string, string> = { '\\': '\\\\', '\r': '\\r', '\n': '\\n', '\t': '\\t', '\0': '\\0' };
// backslash, C0 and C1 controls, DEL, line/paragraph separators, lone surrogates
const NEEDS_ESCAPE =
  /[\\\x00-\x1f\x7f-\x9f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text on one line, in the send box's escape syntax: \r \n \t \0 \\ and \uHHHH. */
export function escapeText(text: string): string {
  return text.replace(NEEDS_ESCAPE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Bytes with no decoded text: printable ASCII as is, everything else as \xHH (a raw byte in the send box). */
function escapeBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0x5c) s += '\\\\';
    else if (b >= 0x20 && b <= 0x7e) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return s;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const CSV_QUOTE = /[",\r\n]/;

/** One RFC 4180 cell; a cell a spreadsheet would run as a formula gets a leading `'`. */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const s = FORMULA_START.test(value) ? `'${value}` : value;
  return CSV_QUOTE.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const CSV_HEADER = 'time,direction,transport,local,remote,length,hex,text';

function headLine(rec: ExportMessage, tz: 'local' | 'utc'): string {
  return `${formatTime(rec.ts, tz)} ${rec.dir === 'rx' ? 'RX' : 'TX'} ${formatEndpoint(rec.remote)} (${rec.bytes.length} B)`;
}

/** A writer that turns each record into one string; `preamble` goes first, even with no records. */
function textWriter(out: Writable, preamble: string, format: (rec: ExportMessage) => string): ExportWriter {
  const o = new Out(out);
  let started = false;
  const start = (): string => {
    if (started) return '';
    started = true;
    return preamble;
  };
  return {
    write: (rec) => o.push([start() + format(rec)]),
    async end() {
      const head = start();
      if (head !== '') await o.push([head]);
      await o.end();
    },
  };
}

function pcapngWriter(out: Writable, tls = false): ExportWriter {
  const o = new Out(out);
  const enc = new PcapngEncoder(tls);
  let started = false;
  const start = (): Buffer[] => {
    if (started) return [];
    started = true;
    return [enc.header()];
  };
  return {
    write(rec) {
      let blocks: Buffer[];
      try {
        blocks = enc.encode(rec);
      } catch (e) {
        return Promise.reject(e);
      }
      return o.push([...start(), ...blocks]);
    },
    async end() {
      const head = start();
      if (head.length > 0) await o.push(head);
      await o.end();
    },
  };
}

const jsonEndpoint = (e: Endpoint): Endpoint => ({ address: e.address, port: e.port, family: e.family });

function isoTime(ts: number): string | null {
  const d = new Date(Math.floor(ts));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Create a streaming writer of `format` onto `out`. The writer ends `out` in `end()`. */
export function createExportWriter(format: ExportFormat, out: Writable, opts: ExportOptions = {}): ExportWriter {
  const tz = opts.timeZone ?? 'local';
  const label = opts.encodingLabel;
  const header = (kind: 'text' | 'hexdump'): string => {
    const h = opts.header;
    if (!h) return kind === 'text' && label ? `# Text decoded as ${escapeText(label)}\n` : '';
    const facts: HeaderFacts = { ...h, session: escapeText(h.session), madeAt: formatTime(h.madeAt, tz), timeZone: tz };
    if (label) facts.encoding = escapeText(label);
    return headerText(kind, facts, opts.language);
  };
  switch (format) {
    case 'txt-text':
      return textWriter(out, header('text'), (rec) => {
        const body = rec.text !== undefined ? escapeText(rec.text) : escapeBytes(rec.bytes);
        return `${headLine(rec, tz)} ${body}\n`;
      });
    case 'txt-hexdump':
      return textWriter(out, header('hexdump'), (rec) => {
        const dump = hexdump(rec.bytes);
        return `${headLine(rec, tz)}\n${dump === '' ? '' : `${dump}\n`}\n`;
      });
    case 'csv':
      return textWriter(out, `${opts.bom ? '\ufeff' : ''}${CSV_HEADER}\r\n`, (rec) => {
        const cells = [
          formatTime(rec.ts, tz),
          rec.dir === 'rx' ? 'RX' : 'TX',
          rec.transport === 'tcp' ? 'TCP' : 'UDP',
          formatEndpoint(rec.local),
          formatEndpoint(rec.remote),
          rec.bytes.length,
          formatHex(rec.bytes),
          rec.text ?? '',
        ];
        return `${cells.map(csvCell).join(',')}\r\n`;
      });
    case 'jsonl':
      return textWriter(out, '', (rec) => {
        const obj = {
          ts: rec.ts,
          iso: isoTime(rec.ts),
          dir: rec.dir,
          transport: rec.transport,
          local: jsonEndpoint(rec.local),
          remote: jsonEndpoint(rec.remote),
          peerId: rec.peerId ?? null,
          length: rec.bytes.length,
          hex: formatHex(rec.bytes, { separator: '', upper: false }),
          text: rec.text ?? null,
          ...(label ? { encoding: label } : {}),
        };
        return `${JSON.stringify(obj)}\n`;
      });
    case 'pcapng':
      return pcapngWriter(out, opts.tls);
    default: {
      const never: never = format;
      throw new WbError('INVALID_ARGUMENT', say('export.unknownFormat', { format: String(never) }), { field: 'format' });
    }
  }
}
