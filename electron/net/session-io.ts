/**
 * Socket helpers the session kinds share: endpoints, option errors, a write
 * that settles after its callback (and 'drain' under backpressure), and the
 * life of one TCP connection (client or accepted peer): its events, its
 * write queue, pausing, and a graceful end.
 */
import type { Socket } from 'node:net';
import { WbError } from '../../shared/protocol/errors';
import { formatEndpoint } from '../../shared/protocol/format';
import type { Endpoint } from '../../shared/protocol/model';
import { say, type Reason } from '../../shared/protocol/reason-format';
import type { SessionKind } from '../../shared/protocol/schemas';
import { toWbError, whyOf } from './errors';

const familyOf = (address: string | undefined): 'IPv4' | 'IPv6' =>
  address !== undefined && address.includes(':') ? 'IPv6' : 'IPv4';

/**
 * An endpoint as users read it. An IPv4 peer of a dual-stack (`::`) socket
 * arrives as `::ffff:127.0.0.1`; it is shown, logged and exported as the IPv4
 * address it is (`127.0.0.1:45352`, as the tutorials print it).
 */
export function endpoint(address: string | undefined, port: number | undefined, family?: string): Endpoint {
  const mapped = address !== undefined && /^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(address);
  if (mapped) return { address: address.slice(7), port: port ?? 0, family: 'IPv4' };
  const fam = family === 'IPv6' || family === 'IPv4' ? family : familyOf(address);
  return { address: address ?? '', port: port ?? 0, family: fam };
}

export const localOf = (s: Socket): Endpoint => endpoint(s.localAddress, s.localPort, s.localFamily);
export const remoteOf = (s: Socket): Endpoint => endpoint(s.remoteAddress, s.remotePort, s.remoteFamily);

export function describeOption(key: string, kind: SessionKind): WbError {
  return new WbError('INVALID_ARGUMENT', say('session.optionNotApplicable', { key, kind: say(`kind.${kind}`) }), { field: key });
}

/**
 * Write one chunk and settle when its write callback has run. When write()
 * returns false, also wait for 'drain' so the next write of the same queue
 * does not pile onto the buffer. A socket that closes first rejects.
 */
function writeChunk(socket: Socket, bytes: Uint8Array, remote: Endpoint): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const ctx = { op: 'send' as const, host: remote.address, port: remote.port };
    if (socket.destroyed || !socket.writable || socket.writableEnded) {
      reject(new WbError('NOT_CONNECTED', say('io.closed', { addr: formatEndpoint(remote) })));
      return;
    }
    let settled = false;
    let needDrain = false;
    let written = false;
    const done = (e?: WbError): void => {
      if (settled) return;
      if (!e && needDrain && socket.writableNeedDrain && !socket.destroyed) return; // wait for drain
      settled = true;
      socket.off('close', onClose);
      socket.off('drain', onDrain);
      if (e) reject(e);
      else resolve();
    };
    const onClose = (): void => {
      if (written) done();
      else done(new WbError('CONNECTION_RESET', say('io.closedBeforeSent', { addr: formatEndpoint(remote) })));
    };
    const onDrain = (): void => {
      if (written) done();
    };
    socket.once('close', onClose);
    socket.on('drain', onDrain);
    try {
      needDrain = !socket.write(bytes, (err) => {
        if (err) done(toWbError(err, ctx));
        else {
          written = true;
          done();
        }
      });
    } catch (err) {
      done(toWbError(err, ctx));
    }
  });
}

/** What both TCP session kinds keep about one live connection. */
export interface TcpConn {
  socket: Socket;
  remote: Endpoint;
  /** this connection's writes, one after the other */
  queue: Promise<unknown>;
  /** why it closed, decided by the first of: error, peer FIN, a local end */
  closeReason: Reason | undefined;
  closeError: WbError | undefined;
  /** reading paused because rule replies queue up */
  replyPaused: boolean;
  graceTimer: ReturnType<typeof setTimeout> | undefined;
}

/** A fresh connection's state: nothing queued, not paused, no close decided yet. */
export function newTcpConn(socket: Socket, remote: Endpoint): TcpConn {
  return {
    socket,
    remote,
    queue: Promise.resolve(),
    closeReason: undefined,
    closeError: undefined,
    replyPaused: false,
    graceTimer: undefined,
  };
}

export interface TcpConnHandlers {
  data(chunk: Buffer): void;
  /** the connection's first error (later ones are ignored), in the user's words */
  error(err: WbError): void;
  close(): void;
}

/**
 * Wire an established connection's socket. A peer FIN or the first error
 * decides `closeReason`; data and close handlers never throw into the event
 * loop.
 */
export function wireTcpConn(conn: TcpConn, on: TcpConnHandlers): void {
  const { socket, remote } = conn;
  socket.on('data', (chunk: Buffer) => {
    try {
      on.data(chunk);
    } catch {
      // never escape into the event loop
    }
  });
  socket.on('end', () => {
    conn.closeReason ??= say('status.closedByPeer');
  });
  socket.on('error', (e) => {
    if (conn.closeError) return; // one error event per connection
    const err = toWbError(e, { op: 'send', host: remote.address, port: remote.port });
    conn.closeError = err;
    conn.closeReason ??= whyOf(err);
    on.error(err);
  });
  socket.on('close', () => {
    try {
      on.close();
    } catch {
      // never escape into the event loop
    }
  });
}

/** Queue `bytes` behind the connection's earlier writes; settles like {@link writeChunk}. */
export function queueWrite(conn: TcpConn, bytes: Uint8Array): Promise<void> {
  const job = conn.queue.then(() => writeChunk(conn.socket, bytes, conn.remote));
  conn.queue = job.catch(() => undefined);
  return job;
}

/** Half-close (FIN) now; destroy the socket if the other side has not closed within `graceMs`. */
export function endTcpConn(conn: TcpConn, graceMs: number): void {
  conn.socket.end();
  conn.graceTimer ??= setTimeout(() => {
    conn.graceTimer = undefined;
    conn.socket.destroy();
  }, graceMs);
}

export function clearGraceTimer(conn: TcpConn): void {
  if (conn.graceTimer !== undefined) clearTimeout(conn.graceTimer);
  conn.graceTimer = undefined;
}

/** Pause or resume reading for rule replies; reading stays paused while the session's reading is paused. */
export function setReplyPaused(conn: TcpConn, paused: boolean, readPaused: boolean): void {
  conn.replyPaused = paused;
  if (conn.socket.destroyed) return;
  if (paused) conn.socket.pause();
  else if (!readPaused) conn.socket.resume();
}

/** Pause or resume the session's reading; reading stays paused while rule replies queue up. */
export function setConnReadPaused(conn: TcpConn, paused: boolean): void {
  if (conn.socket.destroyed) return;
  if (paused) conn.socket.pause();
  else if (!conn.replyPaused) conn.socket.resume();
}

/**
 * One start() attempt of a listening/binding session: it settles exactly
 * once, and stop() can fail it early (so an open() racing a close() never
 * hangs waiting for a 'listening' that will not come).
 */
export class StartAttempt {
  private ended = false;
  constructor(private readonly rejectStart: (err: WbError) => void) {}
  /** Fail the attempt; only the first ending counts. */
  readonly fail = (err: WbError): void => {
    if (this.ended) return;
    this.ended = true;
    this.rejectStart(err);
  };
  /** Claim success; false when the attempt had already ended. */
  succeed(): boolean {
    if (this.ended) return false;
    this.ended = true;
    return true;
  }
}
