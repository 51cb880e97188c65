/**
 * Stable error codes. `message` is a sentence in English, `why` the same as a
 * structured reason (a key of shared/protocol/reasons.ts plus parameters)
 * that a UI phrases in its own language; `code` is for programs and experts,
 * `sysCode` keeps the OS code (ECONNRESET…).
 */
import { formatReason, isReason, type Reason } from './reason-format';

export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNKNOWN_COMMAND',
  'FORBIDDEN',
  'BAD_HEX',
  'BAD_ESCAPE',
  'UNENCODABLE',
  'UNKNOWN_ENCODING',
  'SESSION_NOT_FOUND',
  'PEER_NOT_FOUND',
  'NOT_CONNECTED',
  'NO_TARGET',
  'ADDRESS_IN_USE',
  'ADDRESS_NOT_AVAILABLE',
  'CONNECTION_REFUSED',
  'CONNECTION_RESET',
  'TIMEOUT',
  'HOST_NOT_FOUND',
  'NETWORK_UNREACHABLE',
  'PERMISSION_DENIED',
  'PAYLOAD_TOO_LARGE',
  'BROADCAST_DISABLED',
  'MAX_CLIENTS',
  'WRITE_FAILED',
  'SOCKET_ERROR',
  /** TLS: a certificate, key or CA file or a TLS setting was refused */
  'TLS_CONFIG',
  /** TLS: the handshake failed (alert, timeout, the other side does not speak TLS) */
  'TLS_HANDSHAKE',
  /** TLS: the peer's certificate did not verify */
  'TLS_VERIFY',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDetail {
  /** OS error code such as ECONNRESET, when the error came from a socket */
  sysCode?: string;
  /** 1-based position inside the user's input (hex, escapes, text) */
  position?: number;
  /** offending character */
  char?: string;
  /** which field of the command was wrong */
  field?: string;
}

export type Ok<T> = { ok: true; data: T };
export type Err = { ok: false; code: ErrorCode; message: string; detail?: ErrorDetail; why?: Reason };
export type Result<T> = Ok<T> | Err;

export const ok = <T>(data: T): Ok<T> => ({ ok: true, data });

/** A failed Result. Given a Reason, `message` is its English sentence and `why` the Reason itself. */
export function err(code: ErrorCode, message: string | Reason, detail?: ErrorDetail): Err {
  const out: Err = { ok: false, code, message: typeof message === 'string' ? message : formatReason(message) };
  if (detail) out.detail = detail;
  if (isReason(message)) out.why = message;
  return out;
}

/**
 * The one exception type the engine throws. Boundaries (hub) turn it into an
 * `Err` result; nothing else crosses a transport. Built from a Reason, it
 * carries it in `why` and its English sentence in `message`.
 */
export class WbError extends Error {
  readonly code: ErrorCode;
  readonly detail: ErrorDetail | undefined;
  readonly why: Reason | undefined;
  constructor(code: ErrorCode, message: string | Reason, detail?: ErrorDetail) {
    super(typeof message === 'string' ? message : formatReason(message));
    this.name = 'WbError';
    this.code = code;
    this.detail = detail;
    this.why = typeof message === 'string' ? undefined : message;
  }
  toResult(): Err {
    return err(this.code, this.why ?? this.message, this.detail);
  }
}
