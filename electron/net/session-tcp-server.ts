/**
 * TCP server session: listens on one address (or any IPv4 '0.0.0.0', or any
 * IPv6 + IPv4 '::' dual stack) and keeps every accepted client as a peer with
 * its own counters, framer and streaming decoder.
 *
 * maxClients: a connection beyond the limit is accepted, reported with an
 * error event and closed at once; it is never counted as a peer.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { WbError } from '../../shared/protocol/errors';
import { formatReason, say, type Reason } from '../../shared/protocol/reason-format';
import { zeroCounters, type Counters, type Endpoint, type PeerInfo, type SendReport } from '../../shared/protocol/model';
import type { SendTarget, SessionOptions, TcpServerConfig } from '../../shared/protocol/schemas';
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

/** How long a disconnected peer gets to finish its FIN handshake before it is destroyed. */
const DISCONNECT_GRACE_MS = 1000;

interface Peer extends TcpConn {
  peerId: string;
  local: Endpoint;
  connectedAt: number;
  counters: Counters;
  rx: RxState;
}

export class TcpServerSession extends SessionBase<TcpServerConfig> {
  private server: Server | undefined;
  private readonly peerMap = new Map<string, Peer>();
  private nextPeer = 1;
  private readPaused = false;
  /** fails the start() still waiting for 'listening' (stop() called meanwhile) */
  /** the start() under way, which stop() fails early */
  private attempt: StartAttempt | undefined;

  constructor(id: string, config: TcpServerConfig, ctx: SessionContext) {
    super(id, config, ctx);
  }

  start(): Promise<void> {
    const cfg = this.config;
    this.local = undefined;
    this.setStatus('connecting', say('status.opening', { port: cfg.port, host: cfg.host }));
    return new Promise<void>((resolve, reject) => {
      const server = createServer({ noDelay: cfg.noDelay, keepAlive: cfg.keepAlive });
      let listening = false;
      const attempt = new StartAttempt(reject);
      this.attempt = attempt;
      const fail = attempt.fail;
      server.on('error', (e) => {
        const err = toWbError(e, { op: 'listen', host: cfg.host, port: cfg.port });
        if (!listening) {
          const current = this.server === server;
          if (current) this.server = undefined;
          server.close();
          if (current) this.setStatus('error', whyOf(err), err);
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
        server.listen({ host: cfg.host, port: cfg.port, ipv6Only: false }, () => {
          listening = true;
          if (this.server !== server || !attempt.succeed()) {
            // stopped while the address was still being resolved: this late listener goes again
            server.close();
            return;
          }
          const a = server.address();
          if (a && typeof a === 'object') this.local = endpoint(a.address, a.port, a.family);
          const where = this.local ? formatEndpoint(this.local) : formatHostPort(cfg.host, cfg.port);
          this.setStatus('listening', say('status.listening', { addr: where }));
          resolve();
        });
      } catch (e) {
        const err = toWbError(e, { op: 'listen', host: cfg.host, port: cfg.port });
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
    socket.removeAllListeners('error');
    socket.setNoDelay(this.config.noDelay);
    socket.setKeepAlive(this.config.keepAlive);
    const peer: Peer = {
      ...newTcpConn(socket, remote),
      peerId: `p${this.nextPeer++}`,
      local: localOf(socket),
      connectedAt: this.ctx.now(),
      counters: zeroCounters(),
      rx: this.newRx(),
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
    this.attempt?.fail(new WbError('NOT_CONNECTED', say('server.stoppedBeforeListening')));
    this.replies.cancelAll();
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
    return { peerId: p.peerId, remote: p.remote, local: p.local, connectedAt: p.connectedAt, counters: { ...p.counters } };
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
    for (const key of ['reconnect', 'remoteHost', 'remotePort', 'broadcast', 'multicastTtl', 'multicastLoopback', 'multicastInterface'] as const)
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
