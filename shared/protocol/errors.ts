/**
 * Stable error codes. The UI shows `message` (already in the user's words);
 * `code` is for programs and experts, `sysCode` keeps the OS code (ECONNRESET…).
 */
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
export type Err = { ok: false; code: ErrorCode; message: string; detail?: ErrorDetail };
export type Result<T> = Ok<T> | Err;

export const ok = <T>(data: T): Ok<T> => ({ ok: true, data });
export const err = (code: ErrorCode, message: string, detail?: ErrorDetail): Err =>
  detail ? { ok: false, code, message, detail } : { ok: false, code, message };

/**
 * The one exception type the engine throws. Boundaries (hub) turn it into an
 * `Err` result; nothing else crosses a transport.
 */
export class WbError extends Error {
  readonly code: ErrorCode;
  readonly detail: ErrorDetail | undefined;
  constructor(code: ErrorCode, message: string, detail?: ErrorDetail) {
    super(message);
    this.name = 'WbError';
    this.code = code;
    this.detail = detail;
  }
  toResult(): Err {
    return err(this.code, this.message, this.detail);
  }
}
