import { describe, expect, it } from 'vitest';
import { WbError } from '../../shared/protocol/errors';
import { formatReason } from '../../shared/protocol/reason-format';
import { toWbError } from './errors';

const sys = (code: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(`${code} from the OS`), { code, ...extra });

describe('toWbError', () => {
  it.each([
    ['EADDRINUSE', { op: 'listen', host: '0.0.0.0', port: 8080 }, 'ADDRESS_IN_USE', 'Port 8080 is already in use on 0.0.0.0'],
    ['EADDRNOTAVAIL', { op: 'listen', host: '10.1.2.3', port: 1 }, 'ADDRESS_NOT_AVAILABLE', 'Address 10.1.2.3 is not on this machine'],
    ['ECONNREFUSED', { op: 'connect', host: '127.0.0.1', port: 9 }, 'CONNECTION_REFUSED', 'Connection refused by 127.0.0.1:9 — is anything listening there?'],
    ['ECONNRESET', { op: 'send', host: '1.2.3.4', port: 5 }, 'CONNECTION_RESET', 'The peer 1.2.3.4:5 reset the connection'],
    ['EPIPE', { op: 'send', host: '::1', port: 5 }, 'CONNECTION_RESET', 'The peer [::1]:5 reset the connection'],
    ['ETIMEDOUT', { op: 'connect', host: 'host', port: 80, timeoutMs: 5000 }, 'TIMEOUT', 'No answer from host:80 within 5 s'],
    ['ETIMEDOUT', { op: 'connect', host: 'host', port: 80 }, 'TIMEOUT', 'No answer from host:80: the connection timed out'],
    ['ENOTFOUND', { op: 'resolve', host: 'foo.invalid' }, 'HOST_NOT_FOUND', "Host name 'foo.invalid' could not be resolved"],
    ['EAI_AGAIN', { op: 'connect', host: 'foo.invalid', port: 1 }, 'HOST_NOT_FOUND', "Host name 'foo.invalid' could not be resolved"],
    ['EACCES', { op: 'send', host: '255.255.255.255', port: 9 }, 'BROADCAST_DISABLED', 'Sending to a broadcast address needs the Broadcast option'],
    ['EACCES', { op: 'listen', host: '0.0.0.0', port: 80 }, 'PERMISSION_DENIED', 'Permission denied for port 80 on 0.0.0.0: ports below 1024 need administrator rights'],
    ['ENETUNREACH', { op: 'connect', host: '10.0.0.1', port: 1 }, 'NETWORK_UNREACHABLE', 'The network to 10.0.0.1:1 is unreachable'],
    ['EHOSTUNREACH', { op: 'connect', host: 'fe80::1', port: 1 }, 'NETWORK_UNREACHABLE', 'The network to [fe80::1]:1 is unreachable'],
    ['EMSGSIZE', { op: 'send', host: '127.0.0.1', port: 7 }, 'PAYLOAD_TOO_LARGE', 'The payload is too large for one datagram to 127.0.0.1:7'],
  ] as const)('%s (%j) → %s', (code, ctx, expected, message) => {
    const e = toWbError(sys(code), ctx);
    expect(e).toBeInstanceOf(WbError);
    expect(e.code).toBe(expected);
    expect(e.message).toBe(message);
    expect(e.detail?.sysCode).toBe(code);
    // the same sentence as a key of the reasons table, for the UI's own language
    expect(e.why?.key).toMatch(/^os\./);
    expect(formatReason(e.why!)).toBe(message);
  });

  it('gives the OS reason keyed parameters a UI can show in its own words', () => {
    expect(toWbError(sys('EADDRINUSE'), { op: 'listen', host: '::', port: 502 }).why).toEqual({ key: 'os.portInUse', params: { port: 502, host: '::' } });
    expect(toWbError(sys('ETIMEDOUT'), { op: 'connect', host: 'plc', port: 502, timeoutMs: 1500 }).why).toEqual({
      key: 'os.timeoutWithin',
      params: { addr: 'plc:502', time: '1.5 s' },
    });
    const other = toWbError(sys('EWEIRD'), { op: 'send' });
    expect(other.why).toEqual({ key: 'os.other', params: { message: 'EWEIRD from the OS' } });
  });

  it('takes address and port from the OS error when the context has none', () => {
    const e = toWbError(sys('ECONNREFUSED', { address: '127.0.0.1', port: 7 }), { op: 'connect' });
    expect(e.message).toBe('Connection refused by 127.0.0.1:7 — is anything listening there?');
  });

  it('keeps an unknown OS code as SOCKET_ERROR with the OS message', () => {
    const e = toWbError(sys('EWEIRD'), { op: 'send' });
    expect(e.code).toBe('SOCKET_ERROR');
    expect(e.message).toBe('EWEIRD from the OS');
    expect(e.detail?.sysCode).toBe('EWEIRD');
  });

  it('passes a WbError through and survives non-errors', () => {
    const w = new WbError('NO_TARGET', 'x');
    expect(toWbError(w, { op: 'send' })).toBe(w);
    expect(toWbError('boom', { op: 'send' }).code).toBe('SOCKET_ERROR');
  });
});
