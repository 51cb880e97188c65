/**
 * TCP server session: listens on one address (or any IPv4 '0.0.0.0', or any
 * IPv6 + IPv4 '::' dual stack) and keeps every accepted client as a peer with
 * its own counters, framer and streaming decoder.
 *
 * nextFreePort: a port in use is not an error while one of the next
 * NEXT_FREE_TRIES ports is free; the status ('status.listeningInstead') says
 * which port was taken and which one is used.
 *
 * maxClients: a connection beyond the limit is accepted, reported with an
 * error event and closed at once; it is never counted as a peer.
 *
 * TLS (`config.tls`): the certificate is loaded when the server starts; each
 * accepted connection goes through a TlsAcceptor (tls-acceptor.ts) and
 * becomes a peer once its handshake is done, with `PeerInfo.tls`.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { WbError } from '../../shared/protocol/errors';
import { formatReason, say, type Reason } from '../../shared/protocol/reason-format';
import { zeroCounters, type Counters, type Endpoint, type PeerInfo, type SendReport } from '../../shared/protocol/model';
import type { SendTarget, SessionOptions, TcpServerConfig } from '../../shared/protocol/schemas';
import type { TlsInfo } from '../../shared/protocol/tls';
import { TlsAcceptor } from './tls-acceptor';
import { formatEndpoint, formatHostPort } from '../../shared/protocol/format';
import { toWbError, whyOf } from './errors';
import {
  SessionBase,
  describeOption,
  endpoint,
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
  StartAttempt,
  wireTcpConn,
  type TcpConn,
} from './session-io';
import type { Sender } from './session-replies';

/** A peer.left event's `reason` (English) and `why`. */
const leaveReason = (why: Reason): { reason: string; why: Reason } => ({ reason: formatReason(why), why });

/** How many ports above the configured one `nextFreePort` tries. */
export const NEXT_FREE_TRIES = 20;

/** How long a disconnected peer gets to finish its FIN handshake before it is destroyed. */
const DISCONNECT_GRACE_MS = 1000;

interface Peer extends TcpConn {
  peerId: string;
  local: Endpoint;
  connectedAt: number;
  counters: Counters;
  rx: RxState;
  tls: TlsInfo | undefined;
}

export class TcpServerSession extends SessionBase<TcpServerConfig> {
  private server: Server | undefined;
  private readonly peerMap = new Map<string, Peer>();
  private nextPeer = 1;
  private readPaused = false;
  /** the start() still waiting for 'listening', which stop() fails early */
  private attempt: StartAttempt | undefined;
  /** bumped by start() and stop(): a start that sees another value gives up trying further ports */
  private startGen = 0;
  /** TLS: hands accepted connections through their handshake */
  private tls: TlsAcceptor | undefined;

  constructor(id: string, config: TcpServerConfig, ctx: SessionContext) {
    super(id, config, ctx);
  }

  /**
   * Listen on the configured port; with `nextFreePort`, a port in use moves on
   * to the next one (at most NEXT_FREE_TRIES further) and the status names both.
   */
  async start(): Promise<void> {
    const cfg = this.config;
    const gen = ++this.startGen;
    this.local = undefined;
    this.setStatus('connecting', say('status.opening', { port: cfg.port, host: cfg.host }));
    this.tls = undefined;
    if (cfg.tls) {
      try {
        const tls = await TlsAcceptor.create(
          cfg.tls,
          this.ctx.dataDir,
          this.id,
          { secure: (ts, info) => this.addPeer(ts, remoteOf(ts), info), failed: (err, remote) => this.emitError(err, undefined, remote) },
          (err) => this.emitError(err),
        );
        if (gen !== this.startGen) throw new WbError('NOT_CONNECTED', say('server.stoppedBeforeListening'));
        this.tls = tls;
      } catch (e) {
        const err = toWbError(e, { op: 'listen', host: cfg.host, port: cfg.port });
        if (gen === this.startGen) this.setStatus('error', whyOf(err), err);
        throw err;
      }
    }
    const last = cfg.nextFreePort && cfg.port > 0 ? Math.min(65_535, cfg.port + NEXT_FREE_TRIES) : cfg.port;
    for (let port = cfg.port; ; port++) {
      try {
        await this.listenOn(port, port >= last);
        return;
      } catch (e) {
        // stop() meanwhile, another error, or no port left: this attempt's error stands
        if (port >= last || gen !== this.startGen || !(e instanceof WbError) || e.code !== 'ADDRESS_IN_USE') throw e;
      }
    }
  }

  /** One listen attempt; `lastTry` false: a port in use fails quietly (start() tries the next one). */
  private listenOn(port: number, lastTry: boolean): Promise<void> {
    const cfg = this.config;
    return new Promise<void>((resolve, reject) => {
      const server = createServer({ noDelay: cfg.noDelay, keepAlive: cfg.keepAlive });
      let listening = false;
      const attempt = new StartAttempt(reject);
      this.attempt = attempt;
      const fail = attempt.fail;
      server.on('error', (e) => {
        const err = toWbError(e, { op: 'listen', host: cfg.host, port });
        if (!listening) {
          const current = this.server === server;
          if (current) this.server = undefined;
          server.close();
          if (current && (lastTry || err.code !== 'ADDRESS_IN_USE')) this.setStatus('error', whyOf(err), err);
          fail(err);
        } else {
          this.emitError(err);
        }
      });
      server.on('connection', (socket) => {
        try {
          this.onConnection(socket);
        } catch {
          socket.destroy();
        }
      });
      this.server = server;
      try {
        server.listen({ host: cfg.host, port, ipv6Only: false }, () => {
          listening = true;
          if (this.server !== server || !attempt.succeed()) {
            // stopped while the address was still being resolved: this late listener goes again
            server.close();
            return;
          }
          const a = server.address();
          if (a && typeof a === 'object') this.local = endpoint(a.address, a.port, a.family);
          const where = this.local ? formatEndpoint(this.local) : formatHostPort(cfg.host, port);
          this.setStatus(
            'listening',
            port === cfg.port ? say('status.listening', { addr: where }) : say('status.listeningInstead', { addr: where, wanted: cfg.port }),
          );
          resolve();
        });
      } catch (e) {
        const err = toWbError(e, { op: 'listen', host: cfg.host, port });
        this.server = undefined;
        this.setStatus('error', whyOf(err), err);
        fail(err);
      }
    });
  }

  private onConnection(socket: Socket): void {
    socket.on('error', () => undefined); // replaced below for real peers; never unhandled
    const remote = remoteOf(socket);
    const max = this.config.maxClients;
    if (max > 0 && this.peerMap.size >= max) {
      this.emitError(
        new WbError('MAX_CLIENTS', say('server.maxClients', { max, addr: formatEndpoint(remote) })),
        undefined,
        remote,
      );
      socket.destroy();
      return;
    }
    socket.setNoDelay(this.config.noDelay);
    socket.setKeepAlive(this.config.keepAlive);
    if (this.tls) {
      this.tls.accept(socket, remote); // a peer once its handshake is done
      return;
    }
    socket.removeAllListeners('error');
    this.addPeer(socket, remote, undefined);
  }

  private addPeer(socket: Socket, remote: Endpoint, tls: TlsInfo | undefined): void {
    const peer: Peer = {
      ...newTcpConn(socket, remote),
      peerId: `p${this.nextPeer++}`,
      local: localOf(socket),
      connectedAt: this.ctx.now(),
      counters: zeroCounters(),
      rx: this.newRx(),
      tls,
    };
    this.peerMap.set(peer.peerId, peer);
    const meta = { peerId: peer.peerId, remote, local: peer.local, counters: peer.counters };
    wireTcpConn(peer, {
      data: (chunk) => this.rxChunk(peer.rx, chunk, meta),
      error: (err) => this.emitError(err, peer.peerId, remote),
      close: () => this.onPeerClosed(peer),
    });
    if (this.readPaused) socket.pause();
    this.emit({ type: 'peer.joined', ts: this.ctx.now(), sessionId: this.id, peer: this.peerInfo(peer) });
    this.emitCounters();
    this.replies.onConnect(meta);
  }

  private onPeerClosed(peer: Peer): void {
    clearGraceTimer(peer);
    this.rxEnd(peer.rx, { peerId: peer.peerId, remote: peer.remote, counters: peer.counters });
    if (this.peerMap.get(peer.peerId) !== peer) return;
    this.replies.forget(peer);
    this.peerMap.delete(peer.peerId);
    this.emit({
      type: 'peer.left',
      ts: this.ctx.now(),
      sessionId: this.id,
      peerId: peer.peerId,
      remote: peer.remote,
      ...leaveReason(peer.closeReason ?? say('status.connectionClosed')),
    });
    this.emitCounters();
  }

  async stop(reason: Reason = say('status.stopped')): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.startGen++;
    this.attempt?.fail(new WbError('NOT_CONNECTED', say('server.stoppedBeforeListening')));
    this.replies.cancelAll();
    this.tls?.close();
    const closing: Promise<void>[] = [];
    for (const peer of this.peerMap.values()) {
      peer.closeReason ??= say('status.serverStopped');
      closing.push(this.destroyPeer(peer));
    }
    if (server) {
      closing.push(new Promise<void>((resolve) => server.close(() => resolve())));
    }
    await Promise.all(closing);
    if (server || this.isRunning) this.setStatus('closed', reason);
  }

  private destroyPeer(peer: Peer): Promise<void> {
    return new Promise<void>((resolve) => {
      if (peer.socket.closed) {
        this.onPeerClosed(peer);
        resolve();
        return;
      }
      peer.socket.once('close', () => resolve());
      peer.socket.destroy();
    });
  }

  async disconnectPeer(peerId: string): Promise<void> {
    const peer = this.peerMap.get(peerId);
    if (!peer) throw new WbError('PEER_NOT_FOUND', say('server.noSuchClient', { peerId }));
    peer.closeReason ??= say('status.disconnectedByYou');
    if (peer.socket.closed) return;
    await new Promise<void>((resolve) => {
      peer.socket.once('close', () => resolve());
      endTcpConn(peer, DISCONNECT_GRACE_MS);
    });
  }

  protected sendReply(bytes: Uint8Array, to: 'sender' | 'all', sender: Sender): Promise<SendReport> {
    if (to === 'all' || sender.peerId === undefined) return this.send(bytes, { kind: 'all' });
    return this.send(bytes, { kind: 'peer', peerId: sender.peerId });
  }

  protected closeSender(sender: Sender, reason: Reason): void {
    const peer = sender.peerId !== undefined ? this.peerMap.get(sender.peerId) : undefined;
    if (!peer || peer.socket.closed) return;
    peer.closeReason ??= reason;
    endTcpConn(peer, DISCONNECT_GRACE_MS);
  }

  protected pauseSender(sender: Sender, paused: boolean): void {
    const peer = sender.peerId !== undefined ? this.peerMap.get(sender.peerId) : undefined;
    if (peer) setReplyPaused(peer, paused, this.readPaused);
  }

  async send(bytes: Uint8Array, target: SendTarget): Promise<SendReport> {
    let peers: Peer[];
    if (target.kind === 'peer') {
      const p = this.peerMap.get(target.peerId);
      if (!p) throw new WbError('PEER_NOT_FOUND', say('server.noSuchClient', { peerId: target.peerId }));
      peers = [p];
    } else if (target.kind === 'all' || target.kind === 'default') {
      peers = [...this.peerMap.values()];
      if (peers.length === 0) throw new WbError('NO_TARGET', say('server.noClients'));
    } else {
      throw new WbError('INVALID_ARGUMENT', say('server.targets'), { field: 'target' });
    }
    const results = await Promise.allSettled(
      peers.map(async (p) => {
        await queueWrite(p, bytes);
        this.recordTx(bytes, p.remote, p.peerId, p.counters, p.local);
      }),
    );
    let ok = 0;
    let firstError: unknown;
    for (const r of results) {
      if (r.status === 'fulfilled') ok++;
      else firstError ??= r.reason;
    }
    if (ok > 0) this.emitCounters();
    if (ok === 0) throw toWbError(firstError, { op: 'send' });
    return { bytes: bytes.length * ok, targets: ok };
  }

  private peerInfo(p: Peer): PeerInfo {
    const ruleState = this.replies.peerState({ peerId: p.peerId, remote: p.remote });
    return { peerId: p.peerId, remote: p.remote, local: p.local, connectedAt: p.connectedAt, counters: { ...p.counters }, ...(p.tls ? { tls: p.tls } : {}), ...(ruleState ? { ruleState } : {}) };
  }

  peers(): PeerInfo[] {
    return [...this.peerMap.values()].map((p) => this.peerInfo(p));
  }

  protected override peerCounterRefs(): Counters[] {
    return [...this.peerMap.values()].map((p) => p.counters);
  }
  protected override peerCounterMap(): Record<string, Counters> {
    const out: Record<string, Counters> = {};
    for (const p of this.peerMap.values()) out[p.peerId] = p.counters;
    return out;
  }

  protected rxStates(): RxState[] {
    return [...this.peerMap.values()].map((p) => p.rx);
  }

  protected applyOptions(o: SessionOptions): void {
    for (const key of ['reconnect', 'tlsVerify', 'remoteHost', 'remotePort', 'broadcast', 'multicastTtl', 'multicastLoopback', 'multicastInterface'] as const)
      if (o[key] !== undefined) throw describeOption(key, 'tcp-server');
    const next = { ...this.config };
    if (o.noDelay !== undefined) next.noDelay = o.noDelay;
    if (o.keepAlive !== undefined) next.keepAlive = o.keepAlive;
    if (o.maxClients !== undefined) next.maxClients = o.maxClients;
    this.config = next;
    for (const p of this.peerMap.values()) {
      if (p.socket.destroyed) continue;
      if (o.noDelay !== undefined) p.socket.setNoDelay(o.noDelay);
      if (o.keepAlive !== undefined) p.socket.setKeepAlive(o.keepAlive);
    }
    // a new server picks noDelay/keepAlive up from config on its next start
  }

  setReadPaused(paused: boolean): void {
    this.readPaused = paused;
    for (const p of this.peerMap.values()) setConnReadPaused(p, paused);
  }
}
