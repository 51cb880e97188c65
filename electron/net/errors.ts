/**
 * Turns whatever a socket, server or resolver threw into a WbError with a
 * stable code and a sentence in the user's words. The OS code (ECONNRESET…)
 * is kept in `detail.sysCode` for experts.
 */
import { WbError, type ErrorCode } from '../../shared/protocol/errors';
import { formatHostPort, formatSeconds } from '../../shared/protocol/format';
import { say, type Reason } from '../../shared/protocol/reason-format';
import { handshakeError } from './tls-errors';

export type NetOp = 'connect' | 'listen' | 'bind' | 'send' | 'resolve' | 'multicast';

export interface ErrorContext {
  op: NetOp;
  host?: string;
  port?: number;
  /** send: the session's broadcast option (EACCES on send without it means broadcast) */
  broadcast?: boolean;
  /** own connect timeout, used in the TIMEOUT sentence */
  timeoutMs?: number;
}

interface SysLike {
  code?: unknown;
  message?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
}

function sysInfo(e: unknown): { code: string | undefined; message: string; address?: string; port?: number; hostname?: string } {
  if (typeof e === 'object' && e !== null) {
    const s = e as SysLike;
    return {
      code: typeof s.code === 'string' ? s.code : undefined,
      message: typeof s.message === 'string' ? s.message : String(e),
      ...(typeof s.address === 'string' ? { address: s.address } : {}),
      ...(typeof s.port === 'number' ? { port: s.port } : {}),
      ...(typeof s.hostname === 'string' ? { hostname: s.hostname } : {}),
    };
  }
  return { code: undefined, message: String(e) };
}

const ANY_ADDRESS: Record<string, string> = { '': '0.0.0.0', '0.0.0.0': '0.0.0.0', '::': '::' };

export function toWbError(e: unknown, ctx: ErrorContext): WbError {
  if (e instanceof WbError) return e;
  const sys = sysInfo(e);
  const code = sys.code;
  const host = ctx.host ?? sys.address ?? sys.hostname;
  const port = ctx.port ?? sys.port;
  const addr = formatHostPort(host ?? '?', port);
  const make = (c: ErrorCode, why: Reason): WbError => new WbError(c, why, code !== undefined ? { sysCode: code } : undefined);
  // OpenSSL's errors (a TLS alert, also one that arrives after a TLS 1.3 handshake): named, not raw
  if (code?.startsWith('ERR_SSL_')) return handshakeError(e, addr);

  switch (code) {
    case 'EADDRINUSE':
      return make('ADDRESS_IN_USE', say('os.portInUse', { port: port ?? '?', host: ANY_ADDRESS[host ?? ''] ?? host ?? '0.0.0.0' }));
    case 'EADDRNOTAVAIL':
      if (ctx.op === 'multicast')
        return make('ADDRESS_NOT_AVAILABLE', host ? say('os.multicastUnavailable', { host }) : say('os.multicastUnavailableAny'));
      return make('ADDRESS_NOT_AVAILABLE', say('os.addressNotHere', { host: host ?? '?' }));
    case 'ECONNREFUSED':
      return make('CONNECTION_REFUSED', say('os.refused', { addr }));
    case 'ECONNRESET':
    case 'EPIPE':
      return make('CONNECTION_RESET', say('os.reset', { addr }));
    case 'ECONNABORTED':
      return make('CONNECTION_RESET', say('os.aborted', { addr }));
    case 'ETIMEDOUT':
      return make(
        'TIMEOUT',
        ctx.timeoutMs !== undefined ? say('os.timeoutWithin', { addr, time: formatSeconds(ctx.timeoutMs) }) : say('os.timedOut', { addr }),
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
    case 'ENODATA':
      return make('HOST_NOT_FOUND', say('os.hostNotFound', { host: ctx.host ?? sys.hostname ?? '?' }));
    case 'EACCES':
    case 'EPERM':
      if (ctx.op === 'send' && !ctx.broadcast) return make('BROADCAST_DISABLED', say('os.broadcastOff'));
      if ((ctx.op === 'listen' || ctx.op === 'bind') && port !== undefined && port > 0 && port < 1024)
        return make('PERMISSION_DENIED', say('os.lowPort', { port, host: host ?? '0.0.0.0' }));
      return make('PERMISSION_DENIED', say('os.permission', { op: ctx.op, addr }));
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'ENETDOWN':
    case 'EHOSTDOWN':
      return make('NETWORK_UNREACHABLE', say('os.unreachable', { addr }));
    case 'EMSGSIZE':
      return make('PAYLOAD_TOO_LARGE', say('os.datagramTooLarge', { addr }));
    case 'ERR_SOCKET_DGRAM_NOT_RUNNING':
    case 'ERR_STREAM_DESTROYED':
    case 'ERR_STREAM_WRITE_AFTER_END':
    // Node 22 (and Electron's main process) fails a write pending when the peer reset the connection with ECANCELED
    case 'ECANCELED':
    case 'EBADF':
    case 'ENOTCONN':
      return make('NOT_CONNECTED', say('os.notConnected', { addr }));
    default:
      return make('SOCKET_ERROR', sys.message ? say('os.other', { message: sys.message }) : say('os.socketError'));
  }
}

/** Wrap anything unexpected so the engine only ever throws WbError. */
export function asWbError(e: unknown): WbError {
  if (e instanceof WbError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new WbError('INTERNAL', say('internal', { message: msg }));
}

/** An error's Reason; a WbError made from a plain sentence gets it as `plain` text. */
export function whyOf(err: WbError): Reason {
  return err.why ?? say('plain', { text: err.message });
}
