/**
 * TCP client session. States: connecting → connected → closed | error, and
 * reconnecting between attempts when auto-reconnect is on (exponential
 * backoff from initialDelayMs doubling up to maxDelayMs; maxAttempts 0 means
 * no limit). stop() cancels a pending reconnect.
 *
 * An established connection that ends (peer FIN, reset, stop) goes to
 * 'closed' with the reason; a connect attempt that fails goes to 'error'.
 *
 * TLS (`config.tls`): the files are read and checked before each attempt, the
 * handshake runs on the connected socket (tls-handshake.ts) and the
 * connection counts as made once it is done; everything after it (framing,
 * rules, sends, capture) sees the decrypted bytes. `info().tls` has the result.
 */
import { lookup } from 'node:dns/promises';
import { connect, isIP, type Socket } from 'node:net';
import { WbError } from '../../shared/protocol/errors';
import { say, type Reason } from '../../shared/protocol/reason-format';
import { zeroCounters, type Counters, type PeerInfo, type SendReport } from '../../shared/protocol/model';
import type { SendTarget, SessionOptions, TcpClientConfig } from '../../shared/protocol/schemas';
import type { SessionInfo } from '../../shared/protocol/model';
import type { TlsInfo } from '../../shared/protocol/tls';
import { clientHandshake } from './tls-handshake';
import { KeyLog, loadClientTls, type ClientTls } from './tls-options';
import { formatEndpoint, formatHostPort, formatSeconds } from '../../shared/protocol/format';
import { toWbError, whyOf } from './errors';
import {
  SessionBase,
  describeOption,
  localOf,
  remoteOf,
  type RxState,
  type SessionContext,
} from './session-base';
import {
  clearGraceTimer,
  endTcpConn,
  newTcpConn,
  queueWrite,
  setConnReadPaused,
  setReplyPaused,
  wireTcpConn,
  type TcpConn,
} from './session-io';
import type { Sender } from './session-replies';

/** How long a connection a reply rule ended gets to finish its FIN handshake before it is destroyed. */
const CLOSE_GRACE_MS = 1000;

export const CLIENT_PEER_ID = 'conn';

interface Conn extends TcpConn {
  rx: RxState;
  counters: Counters;
  connectedAt: number;
  /** TLS: what the handshake settled */
  tls: TlsInfo | undefined;
}

export class TcpClientSession extends SessionBase<TcpClientConfig> {
  private conn: Conn | undefined;
  /** aborts the attempt still connecting (its socket is destroyed, its promise rejects) */
  private abortAttempt: (() => void) | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** reconnect attempts made since the last success (drives the backoff) */
  private retries = 0;
  /** bumps on every start/stop so callbacks of an old attempt do nothing */
  private generation = 0;
  private readPaused = false;
  /** TLS key log (config.tls.keyLog), made on first use */
  private keyLog: KeyLog | undefined;

  constructor(id: string, config: TcpClientConfig, ctx: SessionContext) {
    super(id, config, ctx);
  }

  private get target(): string {
    return formatHostPort(this.config.host, this.config.port);
  }

  /** Resolves when connected, or (reconnect on) when the first attempt failed and a retry is scheduled. */
  start(): Promise<void> {
    this.cancelTimers();
    this.teardown(say('status.restarted'));
    this.retries = 0;
    const gen = ++this.generation;
    return this.attempt(gen);
  }

  private async attempt(gen: number): Promise<void> {
    this.remote = undefined;
    this.local = undefined;
    this.setStatus('connecting', say('status.connecting', { addr: this.target }));
    try {
      const tls = this.config.tls;
      const secure = tls ? await loadClientTls(tls, this.config.host) : undefined;
      if (gen !== this.generation) throw new WbError('NOT_CONNECTED', say('client.stoppedBeforeConnect'));
      await this.connectOnce(gen, secure);
    } catch (e) {
      const err = toWbError(e, { op: 'connect', host: this.config.host, port: this.config.port });
      if (gen !== this.generation) throw err; // stopped meanwhile
      this.emitError(err);
      // a file or setting that is wrong stays wrong: no retry
      if (err.code === 'TLS_CONFIG' || !this.scheduleReconnect(gen, err)) {
        this.setStatus('error', whyOf(err), err);
        throw err;
      }
    }
  }

  private connectOnce(gen: number, secure: ClientTls | undefined): Promise<void> {
    const cfg = this.config;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let socket: Socket | undefined;
      const fail = (e: unknown): void => {
        if (settled) return;
        settled = true;
        this.clearConnectTimer();
        this.abortAttempt = undefined;
        socket?.destroy();
        reject(e);
      };
      const stopped = (): WbError => new WbError('NOT_CONNECTED', say('client.stoppedBeforeConnect'));
      this.abortAttempt = () => fail(stopped());
      this.connectTimer = setTimeout(() => {
        this.connectTimer = undefined;
        fail(new WbError('TIMEOUT', say('os.timeoutWithin', { addr: this.target, time: formatSeconds(cfg.connectTimeoutMs) }), { sysCode: 'ETIMEDOUT' }));
      }, cfg.connectTimeoutMs);

      const resolveHost = isIP(cfg.host) ? Promise.resolve({ address: cfg.host, family: isIP(cfg.host) }) : lookup(cfg.host);
      resolveHost.then(
        ({ address, family }) => {
          if (settled || gen !== this.generation) return fail(stopped());
          socket = connect({
            host: address,
            port: cfg.port,
            family,
            ...(cfg.localAddress ? { localAddress: cfg.localAddress } : {}),
            ...(cfg.localPort ? { localPort: cfg.localPort } : {}),
            noDelay: cfg.noDelay,
            keepAlive: cfg.keepAlive,
            keepAliveInitialDelay: cfg.keepAliveDelayMs,
          });
          const s = socket;
          s.on('error', (e) => {
            if (settled) return;
            // a failed bind of localAddress/localPort is about this machine, not the remote
            const local = (e as { syscall?: unknown }).syscall === 'bind';
            const where = local
              ? { op: 'bind' as const, host: cfg.localAddress ?? '0.0.0.0', port: cfg.localPort ?? 0 }
              : { op: 'connect' as const, host: address, port: cfg.port };
            fail(toWbError(e, where));
          });
          const established = (sock: Socket, tls?: TlsInfo): void => {
            if (settled) {
              sock.destroy();
              return;
            }
            settled = true;
            this.clearConnectTimer();
            this.abortAttempt = undefined;
            try {
              this.onConnected(sock, gen, tls);
              resolve();
            } catch (e) {
              sock.destroy();
              reject(e);
            }
          };
          s.once('connect', () => {
            if (settled) return;
            if (!secure || !cfg.tls) return established(s);
            // TCP is up: the handshake has its own time limit
            this.clearConnectTimer();
            const addr = formatHostPort(cfg.host, cfg.port);
            this.setStatus('connecting', say('tls.handshaking', { addr }));
            clientHandshake(s, secure, {
              addr,
              verify: cfg.tls.verify,
              timeoutMs: cfg.tls.handshakeTimeoutMs,
              ...(cfg.tls.keyLog ? { keyLog: this.keyLogger() } : {}),
              started: (ts) => {
                socket = ts; // fail() and stop() destroy the TLS socket
              },
            }).then(({ socket: ts, info }) => established(ts, info), fail);
          });
        },
        (e: unknown) => fail(toWbError(e, { op: 'resolve', host: cfg.host })),
      );
    });
  }

  private onConnected(socket: Socket, gen: number, tls?: TlsInfo): void {
    // a TLS socket keeps Node's own listeners; the plain socket under it keeps its (settled) handler
    if (!tls) socket.removeAllListeners('error');
    const remote = remoteOf(socket);
    const conn: Conn = {
      ...newTcpConn(socket, remote),
      rx: this.newRx(),
      counters: zeroCounters(),
      connectedAt: this.ctx.now(),
      tls,
    };
    this.conn = conn;
    this.retries = 0;
    this.remote = remote;
    this.local = localOf(socket);
    const meta = { peerId: CLIENT_PEER_ID, remote, counters: conn.counters };
    wireTcpConn(conn, {
      data: (chunk) => this.rxChunk(conn.rx, chunk, meta),
      error: (err) => this.emitError(err, CLIENT_PEER_ID, remote),
      close: () => this.onClosed(conn, gen),
    });
    if (this.readPaused) socket.pause();
    const addr = formatEndpoint(remote);
    if (!tls) this.setStatus('connected', say('status.connected', { addr }));
    else if (tls.verifyEnabled || !tls.verifyError)
      this.setStatus('connected', say('tls.connected', { addr, version: tls.version, cipher: tls.cipher }));
    else this.setStatus('connected', say('tls.connectedUnverified', { addr, version: tls.version, cipher: tls.cipher, why: tls.verifyError }));
    this.replies.onConnect(meta);
  }

  private keyLogger(): KeyLog {
    this.keyLog ??= new KeyLog(this.ctx.dataDir, this.id, (err) => this.emitError(err));
    return this.keyLog;
  }

  override info(): SessionInfo {
    const info = super.info();
    return this.conn?.tls ? { ...info, tls: this.conn.tls } : info;
  }

  private onClosed(conn: Conn, gen: number): void {
    clearGraceTimer(conn);
    this.rxEnd(conn.rx, { peerId: CLIENT_PEER_ID, remote: conn.remote, counters: conn.counters });
    if (this.conn !== conn) return; // stop()/restart already reported it
    this.replies.forget({ peerId: CLIENT_PEER_ID, remote: conn.remote });
    this.conn = undefined;
    const reason = conn.closeReason ?? say('status.connectionClosed');
    this.setStatus('closed', reason, conn.closeError);
    if (gen === this.generation) this.scheduleReconnect(gen, conn.closeError);
  }

  /** Schedules the next attempt when reconnect is on and attempts remain. */
  private scheduleReconnect(gen: number, lastError: WbError | undefined): boolean {
    const rc = this.config.reconnect;
    if (!rc.enabled) return false;
    if (rc.maxAttempts > 0 && this.retries >= rc.maxAttempts) {
      const n = this.retries;
      this.setStatus('error', lastError ? say('status.gaveUpWhy', { n, why: whyOf(lastError) }) : say('status.gaveUp', { n }), lastError);
      return true; // handled: state error (only reached from a retry, never from start())
    }
    const attemptNo = this.retries + 1;
    const delay = Math.min(rc.initialDelayMs * 2 ** Math.min(this.retries, 30), rc.maxDelayMs);
    this.setStatus('reconnecting', say('status.reconnecting', { delay: formatSeconds(delay), n: attemptNo }), lastError);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (gen !== this.generation) return;
      this.retries += 1;
      this.attempt(gen).catch(() => {
        // reported as status + error event already
      });
    }, delay);
    return true;
  }

  async stop(reason: Reason = say('status.stopped')): Promise<void> {
    this.generation++;
    this.cancelTimers();
    const hadSomething = this.conn !== undefined || this.state !== 'closed';
    await this.teardown(reason);
    if (hadSomething && this.state !== 'closed') this.setStatus('closed', reason);
  }

  /** Destroys the connection (or the attempt in progress); resolves once it has closed. */
  private teardown(reason: Reason): Promise<void> {
    this.abortAttempt?.();
    this.replies.cancelAll();
    const conn = this.conn;
    if (!conn) return Promise.resolve();
    this.conn = undefined;
    this.replies.forget({ peerId: CLIENT_PEER_ID, remote: conn.remote });
    this.disposeRx(conn.rx);
    const closed = new Promise<void>((resolve) => {
      if (conn.socket.destroyed && conn.socket.closed) resolve();
      else conn.socket.once('close', () => resolve());
    });
    conn.socket.destroy();
    this.setStatus('closed', reason);
    return closed;
  }

  private cancelTimers(): void {
    this.clearConnectTimer();
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== undefined) clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  protected sendReply(bytes: Uint8Array): Promise<SendReport> {
    return this.send(bytes, { kind: 'default' });
  }

  /** A reply rule ends the connection: FIN now, destroyed if the server does not close within a second. */
  protected closeSender(_sender: Sender, reason: Reason): void {
    const conn = this.conn;
    if (!conn || conn.socket.closed) return;
    conn.closeReason ??= reason;
    endTcpConn(conn, CLOSE_GRACE_MS);
  }

  protected pauseSender(_sender: Sender, paused: boolean): void {
    if (this.conn) setReplyPaused(this.conn, paused, this.readPaused);
  }

  async send(bytes: Uint8Array, target: SendTarget): Promise<SendReport> {
    if (target.kind !== 'default' && target.kind !== 'all' && !(target.kind === 'peer' && target.peerId === CLIENT_PEER_ID))
      throw new WbError('INVALID_ARGUMENT', say('client.ownConnectionOnly'), { field: 'target' });
    const conn = this.conn;
    if (!conn) throw new WbError('NOT_CONNECTED', say('os.notConnected', { addr: this.target }));
    await queueWrite(conn, bytes);
    this.recordTx(bytes, conn.remote, CLIENT_PEER_ID, conn.counters);
    this.emitCounters();
    return { bytes: bytes.length, targets: 1 };
  }

  peers(): PeerInfo[] {
    const c = this.conn;
    if (!c) return [];
    return [{ peerId: CLIENT_PEER_ID, remote: c.remote, local: localOf(c.socket), connectedAt: c.connectedAt, counters: { ...c.counters } }];
  }

  protected override peerCounterRefs(): Counters[] {
    return this.conn ? [this.conn.counters] : [];
  }
  protected override peerCounterMap(): Record<string, Counters> {
    return this.conn ? { [CLIENT_PEER_ID]: this.conn.counters } : {};
  }

  protected rxStates(): RxState[] {
    return this.conn ? [this.conn.rx] : [];
  }

  protected applyOptions(o: SessionOptions): void {
    for (const key of ['maxClients', 'remoteHost', 'remotePort', 'broadcast', 'multicastTtl', 'multicastLoopback', 'multicastInterface'] as const)
      if (o[key] !== undefined) throw describeOption(key, 'tcp-client');
    const next = { ...this.config };
    if (o.noDelay !== undefined) next.noDelay = o.noDelay;
    if (o.keepAlive !== undefined) next.keepAlive = o.keepAlive;
    if (o.reconnect !== undefined) next.reconnect = o.reconnect;
    if (o.tlsVerify !== undefined) {
      if (!next.tls) throw describeOption('tlsVerify', 'tcp-client');
      next.tls = { ...next.tls, verify: o.tlsVerify };
    }
    this.config = next;
    const s = this.conn?.socket;
    if (s && !s.destroyed) {
      if (o.noDelay !== undefined) s.setNoDelay(o.noDelay);
      if (o.keepAlive !== undefined) s.setKeepAlive(o.keepAlive, next.keepAliveDelayMs);
    }
    if (o.reconnect && !o.reconnect.enabled && this.reconnectTimer !== undefined) {
      this.cancelTimers();
      this.setStatus('closed', say('status.reconnectOff'));
    }
  }

  async disconnectPeer(peerId: string): Promise<void> {
    if (peerId !== CLIENT_PEER_ID || !this.conn) throw new WbError('PEER_NOT_FOUND', say('client.noConnection', { peerId }));
    await this.stop(say('status.disconnected'));
  }

  setReadPaused(paused: boolean): void {
    this.readPaused = paused;
    if (this.conn) setConnReadPaused(this.conn, paused);
  }
}
