/**
 * The two TLS handshakes on an established TCP socket:
 *
 * - client: wrap the connected socket, wait for 'secureConnect' (or a
 *   timeout), then judge the certificate ourselves (Node is told not to
 *   reject) so the reason and the chain can be shown; verification on and
 *   failed → the handshake fails with the reason.
 * - server: look at the client's first bytes before any TLS: a TLS handshake
 *   record starts with 0x16; anything else is a plain TCP client and is
 *   reported with those bytes in hex. Otherwise the bytes go back into the
 *   socket and a (never listening) tls.Server takes the connection.
 */
import type { Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type TLSSocket } from 'node:tls';
import { WbError } from '../../shared/protocol/errors';
import { say } from '../../shared/protocol/reason-format';
import type { TlsInfo } from '../../shared/protocol/tls';
import { handshakeError, handshakeTimeout, plainClientError, TLS_HANDSHAKE_RECORD, verifyReason } from './tls-errors';
import { peerChain, tlsInfoOf } from './tls-info';
import type { ClientTls, KeyLog } from './tls-options';

export interface ClientHandshake {
  addr: string;
  verify: boolean;
  timeoutMs: number;
  keyLog?: KeyLog;
  /** the TLS socket, as soon as it exists: from then on it is the one to destroy, never the plain socket under it */
  started?: (socket: TLSSocket) => void;
}

/** TLS on a connected client socket; resolves with the secure socket and what the handshake settled. */
export function clientHandshake(raw: Socket, secure: ClientTls, h: ClientHandshake): Promise<{ socket: TLSSocket; info: TlsInfo }> {
  return new Promise((resolve, reject) => {
    let done = false;
    const ts = tlsConnect({
      ...secure.connect,
      socket: raw,
      checkServerIdentity: (_host, cert) => checkServerIdentity(secure.verifyName, cert),
    });
    h.started?.(ts);
    const finish = (e: WbError | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ts.off('error', onError);
      ts.off('close', onClose);
      if (e) {
        ts.destroy();
        reject(e);
      }
    };
    const timer = setTimeout(() => finish(handshakeTimeout(h.addr, h.timeoutMs, false)), h.timeoutMs);
    const onError = (e: unknown): void => finish(handshakeError(e, h.addr));
    const onClose = (): void => finish(new WbError('TLS_HANDSHAKE', say('tls.closedInHandshake', { addr: h.addr })));
    ts.on('error', onError);
    ts.once('close', onClose);
    if (h.keyLog) {
      const log = h.keyLog;
      ts.on('keylog', (line) => log.write(line));
    }
    ts.once('secureConnect', () => {
      if (done) return;
      const chain = peerChain(ts);
      const code = ts.authorized ? undefined : String(ts.authorizationError ?? 'UNKNOWN');
      const why = code ? verifyReason(code, chain, secure.verifyName) : undefined;
      const info = tlsInfoOf(
        ts,
        {
          verifyEnabled: h.verify,
          verified: ts.authorized,
          ...(why ? { verifyError: why } : {}),
          ...(code ? { verifyCode: code } : {}),
          ...(secure.servername ? { servername: secure.servername } : {}),
          ...(h.keyLog ? { keyLogPath: h.keyLog.path } : {}),
        },
        chain,
      );
      if (h.verify && why) {
        finish(new WbError('TLS_VERIFY', say('tls.verifyFailed', { addr: h.addr, why }), { sysCode: code }));
        return;
      }
      finish(undefined);
      resolve({ socket: ts, info });
    });
  });
}

export interface ServerSniff {
  addr: string;
  timeoutMs: number;
  /** the client's first bytes begin a TLS handshake: hand the socket on */
  tls(socket: Socket): void;
  /** it is not TLS, it stayed silent, or it left: why (undefined: it left before saying anything) */
  fail(err: WbError | undefined): void;
}

/** Wait for an accepted socket's first bytes and tell TLS from plain TCP. */
export function sniffServerSocket(socket: Socket, s: ServerSniff): () => void {
  let done = false;
  const end = (): void => {
    done = true;
    clearTimeout(timer);
    socket.off('data', onData);
    socket.off('close', onClose);
  };
  const timer = setTimeout(() => {
    if (done) return;
    end();
    s.fail(handshakeTimeout(s.addr, s.timeoutMs, true));
  }, s.timeoutMs);
  const onData = (chunk: Buffer): void => {
    if (done) return;
    end();
    socket.pause();
    if (chunk[0] !== TLS_HANDSHAKE_RECORD) {
      s.fail(plainClientError(chunk, s.addr));
      return;
    }
    socket.unshift(chunk);
    s.tls(socket);
  };
  const onClose = (): void => {
    if (done) return;
    end();
    s.fail(undefined);
  };
  socket.on('data', onData);
  socket.once('close', onClose);
  return () => {
    if (!done) end();
  };
}
