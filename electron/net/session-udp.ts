/**
 * UDP session: one bound socket (udp4, or udp6 dual stack). Sends to the
 * default remote, any host:port, or the last sender; every received datagram
 * carries its source.
 *
 * Framing: with raw framing each datagram is one message, decoded on its own.
 * With any other framing the datagrams of each source address:port go through
 * that source's framer and streaming decoder.
 */
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { WbError } from '../../shared/protocol/errors';
import { say, type Reason } from '../../shared/protocol/reason-format';
import type { Endpoint, PeerInfo, SendReport, SessionInfo } from '../../shared/protocol/model';
import { MAX_UDP4_PAYLOAD, MAX_UDP6_PAYLOAD, type SendTarget, type SessionOptions, type UdpConfig } from '../../shared/protocol/schemas';
import { toWbError, whyOf } from './errors';
import { isBroadcastTarget } from '../../shared/protocol/broadcast';
import { formatCount, formatEndpoint } from '../../shared/protocol/format';
import { SessionBase, describeOption, endpoint, type RxState, type SessionContext } from './session-base';
import type { Sender } from './session-replies';
import { StartAttempt } from './session-io';
import { UdpSourceTable } from './udp-sources';
import { udpKernelStats, type UdpKernelStats } from './udp-kernel';
import type { UdpStats } from '../../shared/protocol/udp';

/** Requested SO_RCVBUF of a UDP session unless the config asks for another size. */
const UDP_RECV_BUFFER = 8 * 1024 * 1024;
/** How often the kernel's drop count is read while the socket is bound (ms). */
const KERNEL_POLL_MS = 1000;

/** Sources whose framer state is kept at once (oldest forgotten first). */
const MAX_SOURCES = 1024;


/** Why `host` cannot be bound by a socket of `family`, or undefined when it can. */
export function familyMismatch(family: 'udp4' | 'udp6', host: string): Reason | undefined {
  const v = isIP(host);
  if (family === 'udp4' && v === 6) return say('udp.bindIsV6', { host });
  if (family === 'udp6' && v === 4) return say('udp.bindIsV4', { host });
  return undefined;
}

/** 255.255.255.255, or the directed broadcast address of one of this machine's IPv4 networks. */
export function isBroadcastAddress(address: string): boolean {
  return isBroadcastTarget(address, Object.values(networkInterfaces()).flatMap((list) => list ?? []));
}

export class UdpSession extends SessionBase<UdpConfig> {
  private socket: Socket | undefined;
  private lastSender: Endpoint | undefined;
  private readonly sources = new Map<string, RxState>();
  private readonly groupSet = new Map<string, { group: string; iface: string | undefined }>();
  /** the start() still waiting for 'listening', which stop() fails early */
  private attempt: StartAttempt | undefined;
  /** per-source statistics (sequence numbers when configured) */
  private readonly table: UdpSourceTable;
  /** SO_RCVBUF as the OS granted it */
  private recvGranted: number | undefined;
  /** the kernel's figures for the socket, refreshed once a second while bound */
  private kernel: UdpKernelStats | undefined;
  private kernelTimer: ReturnType<typeof setInterval> | undefined;

  constructor(id: string, config: UdpConfig, ctx: SessionContext) {
    super(id, config, ctx);
    this.table = new UdpSourceTable(config.sequence);
  }

  private get maxPayload(): number {
    return this.config.family === 'udp6' ? MAX_UDP6_PAYLOAD : MAX_UDP4_PAYLOAD;
  }

  start(): Promise<void> {
    const cfg = this.config;
    const host = cfg.bindAddress || (cfg.family === 'udp6' ? '::' : '0.0.0.0');
    this.local = undefined;
    this.table.clear();
    this.kernel = undefined;
    this.recvGranted = undefined;
    this.setStatus('connecting', say('status.binding', { port: cfg.bindPort, host }));
    const mismatch = familyMismatch(cfg.family, host);
    if (mismatch) {
      const err = new WbError('INVALID_ARGUMENT', mismatch, { field: 'bindAddress' });
      this.setStatus('error', mismatch, err);
      return Promise.reject(err);
    }
    return new Promise<void>((resolve, reject) => {
      // a large receive buffer rides out bursts while the engine is busy (the kernel caps it at rmem_max)
      const socket = createSocket({ type: cfg.family, reuseAddr: cfg.reuseAddr, ipv6Only: false, recvBufferSize: cfg.recvBufferSize ?? UDP_RECV_BUFFER });
      let bound = false;
      const attempt = new StartAttempt(reject);
      this.attempt = attempt;
      const fail = attempt.fail;
      socket.on('error', (e) => {
        const err = toWbError(e, { op: 'bind', host, port: cfg.bindPort });
        if (!bound) {
          const current = this.socket === socket;
          if (current) this.socket = undefined;
          try {
            socket.close();
          } catch {
            // already closed
          }
          if (current) this.setStatus('error', whyOf(err), err);
          fail(err);
        } else {
          this.emitError(err);
        }
      });
      socket.on('message', (msg, rinfo) => {
        try {
          this.onMessage(msg, endpoint(rinfo.address, rinfo.port, rinfo.family));
        } catch {
          // never escape into the event loop
        }
      });
      socket.on('listening', () => {
        bound = true;
        if (this.socket !== socket || !attempt.succeed()) return; // stopped meanwhile: stop() closed it
        const a = socket.address();
        this.local = endpoint(a.address, a.port, a.family);
        this.applySocketOptions(socket);
        this.rejoinGroups(socket);
        try {
          this.recvGranted = socket.getRecvBufferSize();
        } catch {
          this.recvGranted = undefined;
        }
        this.watchKernel();
        this.setStatus('open', say('status.bound', { addr: formatEndpoint(this.local) }));
        resolve();
      });
      this.socket = socket;
      try {
        socket.bind({ port: cfg.bindPort, ...(cfg.bindAddress ? { address: cfg.bindAddress } : {}) });
      } catch (e) {
        socket.emit('error', e);
      }
    });
  }

  private applySocketOptions(s: Socket): void {
    const cfg = this.config;
    const tries: Array<() => void> = [
      () => s.setBroadcast(cfg.broadcast),
      () => s.setMulticastTTL(cfg.multicastTtl),
      () => s.setMulticastLoopback(cfg.multicastLoopback),
    ];
    if (cfg.multicastInterface) tries.push(() => s.setMulticastInterface(cfg.multicastInterface as string));
    for (const t of tries) {
      try {
        t();
      } catch (e) {
        this.emitError(toWbError(e, { op: 'multicast', host: cfg.multicastInterface }));
      }
    }
  }

  private rejoinGroups(s: Socket): void {
    for (const [key, g] of this.groupSet) {
      try {
        s.addMembership(g.group, g.iface);
      } catch (e) {
        this.groupSet.delete(key);
        this.emitError(toWbError(e, { op: 'multicast', host: g.group }));
      }
    }
  }

  private onMessage(msg: Buffer, remote: Endpoint): void {
    this.lastSender = remote;
    this.table.onDatagram(remote, msg, this.ctx.now());
    if (this.config.framing.kind === 'raw') {
      this.rxDatagram(msg, remote);
      return;
    }
    const key = `${remote.address}|${remote.port}`;
    let rx = this.sources.get(key);
    if (!rx) {
      if (this.sources.size >= MAX_SOURCES) {
        const oldest = this.sources.keys().next().value as string;
        const old = this.sources.get(oldest);
        if (old) this.disposeRx(old);
        this.sources.delete(oldest);
      }
      rx = this.newRx();
      this.sources.set(key, rx);
    }
    this.rxChunk(rx, msg, { remote });
  }

  async stop(reason: Reason = say('status.stopped')): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (this.kernelTimer) clearInterval(this.kernelTimer);
    this.kernelTimer = undefined;
    this.attempt?.fail(new WbError('NOT_CONNECTED', say('udp.stoppedBeforeBound')));
    this.replies.cancelAll();
    for (const rx of this.sources.values()) this.disposeRx(rx);
    this.sources.clear();
    if (s) {
      await new Promise<void>((resolve) => {
        try {
          s.close(() => resolve());
        } catch {
          resolve();
        }
      });
    }
    if (s || this.isRunning) this.setStatus('closed', reason);
  }

  private async resolveTarget(target: SendTarget): Promise<{ host: string; port: number }> {
    switch (target.kind) {
      case 'default': {
        const { remoteHost, remotePort } = this.config;
        if (!remoteHost || remotePort === undefined)
          throw new WbError('NO_TARGET', say('udp.noDefaultRemote'));
        return { host: remoteHost, port: remotePort };
      }
      case 'address':
        return { host: target.host, port: target.port };
      case 'last-sender':
        if (!this.lastSender)
          throw new WbError('NO_TARGET', say('udp.noSender'));
        return { host: this.lastSender.address, port: this.lastSender.port };
      default:
        throw new WbError('INVALID_ARGUMENT', say('udp.targets'), { field: 'target' });
    }
  }

  /** UDP has no list of peers: a reply to 'all' goes to the sender too. */
  protected sendReply(bytes: Uint8Array, _to: 'sender' | 'all', sender: Sender): Promise<SendReport> {
    return this.send(bytes, { kind: 'address', host: sender.remote.address, port: sender.remote.port });
  }

  protected closeSender(): void {
    // UDP has no connection to close
  }

  protected pauseSender(): void {
    // UDP cannot pause one source; its replies queue
  }

  async send(bytes: Uint8Array, target: SendTarget): Promise<SendReport> {
    const socket = this.socket;
    if (!socket || this.state !== 'open') throw new WbError('NOT_CONNECTED', say('udp.notOpen'));
    const max = this.maxPayload;
    if (bytes.length > max) {
      const ip = this.config.family === 'udp6' ? 'IPv6' : 'IPv4';
      throw new WbError('PAYLOAD_TOO_LARGE', say('udp.tooLarge', { size: formatCount(bytes.length), ip, max: formatCount(max) }));
    }
    const { host, port } = await this.resolveTarget(target);
    let address = host;
    if (!isIP(host)) {
      try {
        address = (await lookup(host, { family: this.config.family === 'udp6' ? 6 : 4 })).address;
      } catch (e) {
        throw toWbError(e, { op: 'resolve', host });
      }
    }
    if (this.config.family === 'udp4' && isIP(address) === 6)
      throw new WbError('INVALID_ARGUMENT', say('udp.needsUdp6', { address }), { field: 'host' });
    const bound = this.local?.address;
    if (this.config.family === 'udp6' && isIP(address) === 4 && bound !== undefined && bound !== '::' && !bound.startsWith('::ffff:')) {
      throw new WbError('INVALID_ARGUMENT', say('udp.boundV6NoV4', { bound, address }), { field: 'host' });
    }
    if (!this.config.broadcast && isBroadcastAddress(address))
      throw new WbError('BROADCAST_DISABLED', say('udp.broadcastOff', { address }));
    const sendTo = this.config.family === 'udp6' && isIP(address) === 4 ? `::ffff:${address}` : address;
    const remote = endpoint(address, port);
    await new Promise<void>((resolve, reject) => {
      const fail = (e: unknown): void =>
        reject(toWbError(e, { op: 'send', host: address, port, broadcast: this.config.broadcast }));
      try {
        socket.send(bytes, port, sendTo, (err) => (err ? fail(err) : resolve()));
      } catch (e) {
        fail(e);
      }
    });
    this.recordTx(bytes, remote);
    this.emitCounters();
    return { bytes: bytes.length, targets: 1 };
  }

  multicast(action: 'join' | 'leave', group: string, iface?: string): void {
    const s = this.socket;
    if (!s || this.state !== 'open') throw new WbError('NOT_CONNECTED', say('udp.notOpen'));
    const key = iface ? `${group}@${iface}` : group;
    try {
      if (action === 'join') {
        s.addMembership(group, iface);
        this.groupSet.set(key, { group, iface });
      } else {
        s.dropMembership(group, iface);
        this.groupSet.delete(key);
      }
    } catch (e) {
      const err = toWbError(e, { op: 'multicast', host: group });
      const sys = err.detail?.sysCode;
      const why = whyOf(err);
      const join = action === 'join';
      throw new WbError(
        err.code === 'SOCKET_ERROR' || err.code === 'ADDRESS_NOT_AVAILABLE' ? 'ADDRESS_NOT_AVAILABLE' : err.code,
        iface
          ? say(join ? 'udp.joinFailedOn' : 'udp.leaveFailedOn', { group, iface, why })
          : say(join ? 'udp.joinFailed' : 'udp.leaveFailed', { group, why }),
        sys ? { sysCode: sys } : undefined,
      );
    }
  }

  override info(): SessionInfo {
    return {
      ...super.info(),
      ...(this.lastSender ? { lastSender: this.lastSender } : {}),
      groups: [...this.groupSet.keys()],
      udp: this.udpStats(),
    };
  }

  private async readKernel(): Promise<void> {
    const local = this.local;
    if (!local || !this.socket) return;
    const k = await udpKernelStats(local.address, local.port, this.config.family);
    if (this.local === local) this.kernel = k;
  }

  private watchKernel(): void {
    if (this.kernelTimer) clearInterval(this.kernelTimer);
    void this.readKernel();
    this.kernelTimer = setInterval(() => void this.readKernel().catch(() => undefined), KERNEL_POLL_MS);
    this.kernelTimer.unref?.();
  }

  private udpStats(): UdpStats {
    const requested = this.config.recvBufferSize;
    return {
      sources: this.table.list(this.ctx.now()),
      forgottenSources: this.table.forgottenSources,
      ...(this.kernel ? { kernelDrops: this.kernel.drops, rxQueue: this.kernel.rxQueue } : {}),
      ...(this.recvGranted !== undefined ? { recvBuffer: { ...(requested !== undefined ? { requested } : {}), granted: this.recvGranted } } : {}),
    };
  }

  /** The per-source statistics with the kernel's figures read just now. */
  async stats(): Promise<UdpStats> {
    await this.readKernel().catch(() => undefined);
    return this.udpStats();
  }

  peers(): PeerInfo[] {
    return [];
  }

  protected rxStates(): RxState[] {
    return [...this.sources.values()];
  }

  protected applyOptions(o: SessionOptions): void {
    for (const key of ['noDelay', 'keepAlive', 'maxClients', 'reconnect', 'tlsVerify'] as const)
      if (o[key] !== undefined) throw describeOption(key, 'udp');
    const next = { ...this.config };
    if (o.remoteHost !== undefined) next.remoteHost = o.remoteHost || undefined;
    if (o.remotePort !== undefined) next.remotePort = o.remotePort;
    if (o.broadcast !== undefined) next.broadcast = o.broadcast;
    if (o.multicastTtl !== undefined) next.multicastTtl = o.multicastTtl;
    if (o.multicastLoopback !== undefined) next.multicastLoopback = o.multicastLoopback;
    if (o.multicastInterface !== undefined) next.multicastInterface = o.multicastInterface || undefined;
    if (o.recvBufferSize !== undefined) next.recvBufferSize = o.recvBufferSize;
    if (o.sequence !== undefined) {
      if (o.sequence) next.sequence = o.sequence;
      else delete next.sequence;
      this.table.setSequence(o.sequence ?? undefined);
    }
    const s = this.socket;
    if (s && this.state === 'open' && o.recvBufferSize !== undefined) {
      try {
        s.setRecvBufferSize(o.recvBufferSize);
        this.recvGranted = s.getRecvBufferSize();
      } catch (e) {
        throw toWbError(e, { op: 'bind', host: this.local?.address, port: this.local?.port });
      }
    }
    if (s && this.state === 'open') {
      try {
        if (o.broadcast !== undefined) s.setBroadcast(o.broadcast);
        if (o.multicastTtl !== undefined) s.setMulticastTTL(o.multicastTtl);
        if (o.multicastLoopback !== undefined) s.setMulticastLoopback(o.multicastLoopback);
        if (o.multicastInterface) s.setMulticastInterface(o.multicastInterface);
      } catch (e) {
        throw toWbError(e, { op: 'multicast', host: o.multicastInterface });
      }
    }
    this.config = next;
  }

  async disconnectPeer(peerId: string): Promise<void> {
    throw new WbError('PEER_NOT_FOUND', say('udp.noPeers', { peerId }));
  }

  setReadPaused(_paused: boolean): void {
    // UDP is never paused: the hub drops from the view, never from the counters
  }

}
