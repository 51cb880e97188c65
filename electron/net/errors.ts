/**
 * Turns whatever a socket, server or resolver threw into a WbError with a
 * stable code and a sentence in the user's words. The OS code (ECONNRESET…)
 * is kept in `detail.sysCode` for experts.
 */
import { isIPv6 } from 'node:net';
import { WbError, type ErrorCode } from '../../shared/protocol/errors';

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

/** "1.2.3.4:5", "[::1]:5", or just the host when there is no port. */
export function formatHostPort(host: string | undefined, port?: number): string {
  const h = host ?? '?';
  const shown = isIPv6(h) || (h.includes(':') && !h.startsWith('[')) ? `[${h}]` : h;
  return port === undefined ? h : `${shown}:${port}`;
}

/** "5 s", "0.5 s", "1.25 s" */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
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
  const where = formatHostPort(host, port);
  const make = (c: ErrorCode, message: string): WbError =>
    new WbError(c, message, code !== undefined ? { sysCode: code } : undefined);

  switch (code) {
    case 'EADDRINUSE':
      return make('ADDRESS_IN_USE', `Port ${port ?? '?'} is already in use on ${ANY_ADDRESS[host ?? ''] ?? host ?? '0.0.0.0'}`);
    case 'EADDRNOTAVAIL':
      if (ctx.op === 'multicast')
        return make('ADDRESS_NOT_AVAILABLE', `The multicast group or interface ${host ?? ''} is not available here`.trim());
      return make('ADDRESS_NOT_AVAILABLE', `Address ${host ?? '?'} is not on this machine`);
    case 'ECONNREFUSED':
      return make('CONNECTION_REFUSED', `Connection refused by ${where} — is anything listening there?`);
    case 'ECONNRESET':
    case 'EPIPE':
      return make('CONNECTION_RESET', `The peer ${where} reset the connection`);
    case 'ECONNABORTED':
      return make('CONNECTION_RESET', `The connection to ${where} was aborted`);
    case 'ETIMEDOUT':
      return make(
        'TIMEOUT',
        ctx.timeoutMs !== undefined
          ? `No answer from ${where} within ${formatSeconds(ctx.timeoutMs)}`
          : `No answer from ${where}: the connection timed out`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
    case 'ENODATA':
      return make('HOST_NOT_FOUND', `Host name '${ctx.host ?? sys.hostname ?? '?'}' could not be resolved`);
    case 'EACCES':
    case 'EPERM':
      if (ctx.op === 'send' && !ctx.broadcast)
        return make('BROADCAST_DISABLED', 'Sending to a broadcast address needs the Broadcast option');
      if ((ctx.op === 'listen' || ctx.op === 'bind') && port !== undefined && port > 0 && port < 1024)
        return make(
          'PERMISSION_DENIED',
          `Permission denied for port ${port} on ${host ?? '0.0.0.0'}: ports below 1024 need administrator rights`,
        );
      return make('PERMISSION_DENIED', `Permission denied (${ctx.op} ${where})`);
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'ENETDOWN':
    case 'EHOSTDOWN':
      return make('NETWORK_UNREACHABLE', `The network to ${where} is unreachable`);
    case 'EMSGSIZE':
      return make('PAYLOAD_TOO_LARGE', `The payload is too large for one datagram to ${where}`);
    case 'ERR_SOCKET_DGRAM_NOT_RUNNING':
    case 'ERR_STREAM_DESTROYED':
    case 'ERR_STREAM_WRITE_AFTER_END':
    case 'EBADF':
    case 'ENOTCONN':
      return make('NOT_CONNECTED', `Not connected to ${where}`);
    default:
      return make('SOCKET_ERROR', code ? `${sys.message}` : sys.message || 'Socket error');
  }
}

/** Wrap anything unexpected so the engine only ever throws WbError. */
export function asWbError(e: unknown): WbError {
  if (e instanceof WbError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new WbError('INTERNAL', `Internal error: ${msg}`);
}
