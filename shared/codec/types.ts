import { formatReason, type Reason } from '../protocol/reason-format';

/**
 * Names shared by the codec and the protocol schemas. Kept in one place so the
 * schemas, the UI pickers and the implementations can never disagree.
 */

export const LINE_ENDINGS = ['none', 'cr', 'lf', 'crlf'] as const;
export type LineEnding = (typeof LINE_ENDINGS)[number];

export const CHECKSUM_KINDS = [
  'sum8',
  'sum8-2c',
  'xor8',
  'lrc',
  'crc8',
  'crc16-modbus',
  'crc16-ccitt-false',
  'crc16-xmodem',
  'crc32',
] as const;
export type ChecksumKind = (typeof CHECKSUM_KINDS)[number];

export const ENDIANS = ['be', 'le'] as const;
export type Endian = (typeof ENDIANS)[number];

export interface ChecksumSpec {
  kind: ChecksumKind;
  /** Byte order of a multi-byte checksum when appended. Ignored for 1-byte sums. */
  endian: Endian;
}

/** How a received byte stream is cut into messages. */
export type FramerSpec =
  | { kind: 'raw' }
  | { kind: 'delimiter'; delimiter: Uint8Array; /** keep the delimiter at the end of each message */ keep: boolean }
  | { kind: 'fixed'; length: number }
  | {
      kind: 'length-prefix';
      /** size of the length field in bytes */
      width: 1 | 2 | 4;
      endian: Endian;
      /** true when the length value counts the prefix bytes themselves (and any bytes before it) */
      includesPrefix: boolean;
      /**
       * bytes before the length field (default 0): a header field such as
       * Modbus TCP's MBAP length at bytes 4–5 (offset 4, width 2, be). The
       * message still starts at byte 0; without includesPrefix its length is
       * offset + width + the value.
       */
      offset?: number;
    }
  | { kind: 'idle'; gapMs: number };

export const FRAMER_KINDS = ['raw', 'delimiter', 'fixed', 'length-prefix', 'idle'] as const;
export type FramerKind = (typeof FRAMER_KINDS)[number];

/** A parse/encode problem with a 1-based position inside the user's input. */
export class CodecError extends Error {
  readonly code: 'BAD_HEX' | 'BAD_ESCAPE' | 'UNENCODABLE' | 'UNKNOWN_ENCODING' | 'INVALID_ARGUMENT';
  /** 1-based character position in the input, when there is one */
  readonly position: number | undefined;
  /** the offending character, when there is one */
  readonly char: string | undefined;
  /** the message as a structured reason (shared/protocol/reasons.ts), when it has one */
  readonly why: Reason | undefined;
  constructor(
    code: CodecError['code'],
    message: string | Reason,
    position?: number,
    char?: string,
  ) {
    super(typeof message === 'string' ? message : formatReason(message));
    this.name = 'CodecError';
    this.code = code;
    this.position = position;
    this.char = char;
    this.why = typeof message === 'string' ? undefined : message;
  }
}
