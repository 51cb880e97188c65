/**
 * "Copy as …" for log rows: the whole bytes of each row, as text, hex, a
 * hexdump, a C array or Python bytes. Pure: the caller gathers the rows
 * (with every byte, read from the engine where the cache has only a prefix).
 *
 * Several rows give one item per row, in log order: a line each for text and
 * hex, a block each (blank line between) for the hexdump, one array or bytes
 * literal per line for C and Python. Rows without bytes (info and error notes)
 * appear only in the text format.
 */
import { formatHex, hexdump } from '../../../shared/codec/hex';

export const COPY_FORMATS = ['text', 'hex', 'hexdump', 'c', 'python'] as const;
export type CopyFormat = (typeof COPY_FORMATS)[number];

export interface CopyRow {
  /** rx/tx payload (absent for notes) */
  bytes?: Uint8Array;
  /** decoded text, or the note in the user's words */
  text: string;
}

/** Upper bound of output characters per payload byte, to refuse a copy before building it. */
export const CHARS_PER_BYTE: Record<CopyFormat, number> = {
  text: 1,
  hex: 3,
  hexdump: 4.2,
  c: 6,
  python: 4,
};

const HEX = '0123456789ABCDEF';
const hex2 = (b: number): string => (HEX[b >> 4] as string) + (HEX[b & 15] as string);

/** `{0x01, 0x03, 0x0A}`; 16 bytes per line for longer arrays. */
export function cArray(bytes: Uint8Array): string {
  if (bytes.length === 0) return '{}';
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const chunk = bytes.subarray(i, Math.min(i + 16, bytes.length));
    let line = '';
    for (let j = 0; j < chunk.length; j++) line += (j > 0 ? ', ' : '') + '0x' + hex2(chunk[j] as number);
    lines.push(line);
  }
  return '{' + lines.join(',\n ') + '}';
}

const PY_ESCAPES: Record<number, string> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x27: "\\'", 0x5c: '\\\\' };

/** A Python bytes literal as `repr()` writes it: `b'AT\r\n\x01'` (printable ASCII as is, the rest escaped). */
export function pythonBytes(bytes: Uint8Array): string {
  const parts: string[] = [];
  let run = '';
  for (const b of bytes) {
    const esc = PY_ESCAPES[b];
    if (esc !== undefined) run += esc;
    else if (b >= 0x20 && b < 0x7f) run += String.fromCharCode(b);
    else run += '\\x' + hex2(b).toLowerCase();
    if (run.length > 4096) {
      parts.push(run);
      run = '';
    }
  }
  parts.push(run);
  return `b'${parts.join('')}'`;
}

/** The rows in one format (see the module comment). */
export function formatRows(rows: readonly CopyRow[], format: CopyFormat): string {
  if (format === 'text') {
    let out = '';
    for (const r of rows) {
      if (out !== '' && !out.endsWith('\n')) out += '\n';
      out += r.text;
    }
    return out;
  }
  const data = rows.filter((r) => r.bytes !== undefined).map((r) => r.bytes as Uint8Array);
  switch (format) {
    case 'hex':
      return data.map((b) => formatHex(b)).join('\n');
    case 'hexdump':
      return data.map((b) => hexdump(b)).join('\n\n');
    case 'c':
      return data.map(cArray).join('\n');
    case 'python':
      return data.map(pythonBytes).join('\n');
  }
}
