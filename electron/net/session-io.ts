/**
 * Socket helpers the session kinds share: endpoints, option errors and a
 * write that settles after its callback (and 'drain' under backpressure).
 */
import type { Socket } from 'node:net';
import { WbError } from '../../shared/protocol/errors';
import type { Endpoint } from '../../shared/protocol/model';
import { toWbError } from './errors';

export const familyOf = (address: string | undefined): 'IPv4' | 'IPv6' =>
  address !== undefined && address.includes(':') ? 'IPv6' : 'IPv4';

export function endpoint(address: string | undefined, port: number | undefined, family?: string): Endpoint {
  const fam = family === 'IPv6' || family === 'IPv4' ? family : familyOf(address);
  return { address: address ?? '', port: port ?? 0, family: fam };
}

export const localOf = (s: Socket): Endpoint => endpoint(s.localAddress, s.localPort, s.localFamily);
export const remoteOf = (s: Socket): Endpoint => endpoint(s.remoteAddress, s.remotePort, s.remoteFamily);

export function describeOption(key: string, kind: string): WbError {
  return new WbError('INVALID_ARGUMENT', `Option '${key}' does not apply to a ${kind} session`, { field: key });
}

/**
 * Write one chunk and settle when its write callback has run. When write()
 * returns false, also wait for 'drain' so the next write of the same queue
 * does not pile onto the buffer. A socket that closes first rejects.
 */
export function writeChunk(socket: Socket, bytes: Uint8Array, remote: Endpoint): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const ctx = { op: 'send' as const, host: remote.address, port: remote.port };
    if (socket.destroyed || !socket.writable || socket.writableEnded) {
      reject(new WbError('NOT_CONNECTED', `Not connected: the connection to ${fmt(remote)} is closed`));
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
      else done(new WbError('CONNECTION_RESET', `The connection to ${fmt(remote)} closed before the data was sent`));
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

const fmt = (e: Endpoint): string => (e.family === 'IPv6' ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`);
export const formatEndpoint = fmt;
