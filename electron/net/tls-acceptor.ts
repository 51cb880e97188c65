/**
 * The TLS side of a TCP server session. The session's plain net.Server
 * accepts; each connection is handed here: its first bytes tell TLS from a
 * plain TCP client (reported with those bytes in hex), then a tls.Server
 * that never listens itself runs the handshake (`emit('connection')`), with
 * its handshake timeout, ALPN, SNI and optional client certificates. A
 * finished handshake comes back as a TLSSocket plus its TlsInfo; a failed
 * one as an error in words (alert name, timeout, closed).
 */
import type { Socket } from 'node:net';
import { createServer, type SecureContextOptions, type Server, type TLSSocket } from 'node:tls';
import type { WbError } from '../../shared/protocol/errors';
import { formatEndpoint } from '../../shared/protocol/format';
import type { Endpoint } from '../../shared/protocol/model';
import type { TlsInfo, TlsServerOptions } from '../../shared/protocol/tls';
import { handshakeError, handshakeTimeout, verifyReason } from './tls-errors';
import { remoteOf } from './session-io';
import { sniffServerSocket } from './tls-handshake';
import { peerChain, tlsInfoOf } from './tls-info';
import { KeyLog, loadServerContext } from './tls-options';

export interface AcceptorHandlers {
  /** a client finished its handshake */
  secure(socket: TLSSocket, info: TlsInfo): void;
  /** a connection failed before or during the handshake (already closed) */
  failed(err: WbError, remote: Endpoint): void;
}

export class TlsAcceptor {
  private readonly server: Server;
  /** connections whose first bytes have not come yet, destroyed by close() */
  private readonly pending = new Set<Socket>();
  /** close() was called: handshakes still finishing are dropped */
  private closed = false;
  /** where each accepted connection came from */
  private readonly remotes = new WeakMap<Socket, Endpoint>();
  private readonly keyLog: KeyLog | undefined;

  private constructor(
    private readonly t: TlsServerOptions,
    secure: SecureContextOptions,
    keyLog: KeyLog | undefined,
    private readonly on: AcceptorHandlers,
  ) {
    this.keyLog = keyLog;
    this.server = createServer({
      ...secure,
      requestCert: t.requestCert,
      rejectUnauthorized: false, // a client certificate is shown with its verdict, never refused
      handshakeTimeout: t.handshakeTimeoutMs,
      ...(t.alpn.length > 0 ? { ALPNProtocols: t.alpn } : {}),
    });
    this.server.on('secureConnection', (ts: TLSSocket) => {
      if (this.closed) ts.destroy();
      else this.onSecure(ts);
    });
    this.server.on('tlsClientError', (e: Error, ts: TLSSocket) => {
      if (this.closed) {
        ts.destroy();
        return;
      }
      // a socket that failed may have lost its address already: the plain socket under it knows it
      const raw = (ts as TLSSocket & { _parent?: Socket })._parent;
      const remote = (raw && this.remotes.get(raw)) ?? remoteOf(ts);
      const addr = formatEndpoint(remote);
      const code = (e as { code?: unknown }).code;
      const err = code === 'ERR_TLS_HANDSHAKE_TIMEOUT' ? handshakeTimeout(addr, this.t.handshakeTimeoutMs, true) : handshakeError(e, addr);
      this.on.failed(err, remote);
      ts.destroy();
    });
    if (keyLog) this.server.on('keylog', (line: Buffer) => keyLog.write(line));
  }

  /** Reads and checks the certificate files (or makes the machine certificate) first: a bad file fails here. */
  static async create(t: TlsServerOptions, dataDir: string | undefined, sessionId: string, on: AcceptorHandlers, onKeyLogError: (e: WbError) => void): Promise<TlsAcceptor> {
    const ctx = await loadServerContext(t, dataDir);
    return new TlsAcceptor(t, ctx, t.keyLog ? new KeyLog(dataDir, sessionId, onKeyLogError) : undefined, on);
  }

  /** An accepted plain socket: tell TLS from plain TCP, then hand it to the handshake. */
  accept(raw: Socket, remote: Endpoint): void {
    this.pending.add(raw);
    this.remotes.set(raw, remote);
    sniffServerSocket(raw, {
      addr: formatEndpoint(remote),
      timeoutMs: this.t.handshakeTimeoutMs,
      tls: (s) => {
        // from here the TLSSocket owns the connection: destroying the plain socket under it would pull its
        // handle from under OpenSSL (a crash); the handshake timeout or close() ends it instead
        this.pending.delete(raw);
        if (this.closed) raw.destroy();
        else this.server.emit('connection', s);
      },
      fail: (err) => {
        this.pending.delete(raw);
        raw.destroy();
        if (err && !this.closed) this.on.failed(err, remote);
      },
    });
  }

  private onSecure(ts: TLSSocket): void {
    const chain = peerChain(ts);
    const requested = this.t.requestCert;
    const code = requested && !ts.authorized ? String(ts.authorizationError ?? 'UNKNOWN') : undefined;
    const servername = (ts as TLSSocket & { servername?: string | false }).servername;
    const info = tlsInfoOf(
      ts,
      {
        verifyEnabled: requested,
        verified: requested && ts.authorized && chain.length > 0,
        ...(requested && (code || chain.length === 0) ? { verifyError: verifyReason(chain.length === 0 ? undefined : code, chain, undefined) } : {}),
        ...(code ? { verifyCode: code } : {}),
        ...(typeof servername === 'string' && servername ? { servername } : {}),
        ...(this.keyLog ? { keyLogPath: this.keyLog.path } : {}),
      },
      chain,
    );
    this.on.secure(ts, info);
  }

  /**
   * Stop: close every connection whose first bytes have not come; a handshake under way is dropped when it
   * ends (at the latest after the handshake timeout).
   */
  close(): void {
    this.closed = true;
    for (const s of this.pending) s.destroy();
    this.pending.clear();
  }
}
