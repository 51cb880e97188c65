/**
 * Real external peers for the e2e tests, over loopback: plain node:net and
 * node:dgram sockets in the Playwright test process (a separate process from
 * the serve-mode host under test).
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { expect } from '@playwright/test';

export class TcpPeer {
  received = Buffer.alloc(0);
  private constructor(readonly socket: Socket) {
    socket.on('data', (d) => {
      this.received = Buffer.concat([this.received, d]);
    });
    socket.on('error', () => undefined);
  }
  static async connect(port: number, host = '127.0.0.1'): Promise<TcpPeer> {
    const s = createConnection({ host, port });
    await new Promise<void>((res, rej) => {
      s.once('connect', () => res());
      s.once('error', rej);
    });
    return new TcpPeer(s);
  }
  static wrap(socket: Socket): TcpPeer {
    return new TcpPeer(socket);
  }
  write(data: Buffer | string): Promise<void> {
    return new Promise((res, rej) => this.socket.write(data, (e) => (e ? rej(e) : res())));
  }
  /** Waits until exactly `expected` more bytes arrived after `from`, and returns them. */
  async expectBytes(expected: Buffer, from = 0): Promise<void> {
    await expect.poll(() => this.received.length - from).toBeGreaterThanOrEqual(expected.length);
    expect(this.received.subarray(from).toString('hex')).toBe(expected.toString('hex'));
  }
  close(): void {
    this.socket.destroy();
  }
}

export async function echoServer(): Promise<{ port: number; server: Server; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export class UdpPeer {
  received: { data: Buffer; port: number }[] = [];
  private constructor(readonly socket: UdpSocket) {
    socket.on('message', (data, rinfo) => this.received.push({ data, port: rinfo.port }));
  }
  static async bind(): Promise<UdpPeer> {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    return new UdpPeer(s);
  }
  get port(): number {
    return this.socket.address().port;
  }
  send(data: Buffer | string, port: number): Promise<void> {
    return new Promise((res, rej) => this.socket.send(data, port, '127.0.0.1', (e) => (e ? rej(e) : res())));
  }
  close(): void {
    this.socket.close();
  }
}
