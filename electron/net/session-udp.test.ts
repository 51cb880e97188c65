import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { sessionConfigSchema, type SessionConfigInput } from '../../shared/protocol/schemas';
import { EventCollector, catchSync, ipv6Available, poll, pythonPeer, rejection, textOf } from '../../test/fixtures/net-helpers';
import { SessionManager } from './manager';

const cfg = (c: Partial<SessionConfigInput> = {}) =>
  sessionConfigSchema.parse({ kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0, ...c });

let rec: EventCollector;
let mgr: SessionManager;
const socks: Socket[] = [];
const cleanups: Array<() => void> = [];

/** A plain UDP socket on loopback that records what it receives. */
async function plainUdp(type: 'udp4' | 'udp6' = 'udp4'): Promise<{ s: Socket; port: number; got: Array<{ msg: Buffer; rinfo: RemoteInfo }> }> {
  const s = createSocket(type);
  socks.push(s);
  const got: Array<{ msg: Buffer; rinfo: RemoteInfo }> = [];
  s.on('message', (msg, rinfo) => got.push({ msg, rinfo }));
  s.on('error', () => undefined);
  await new Promise<void>((r) => s.bind(0, type === 'udp6' ? '::1' : '127.0.0.1', r));
  return { s, port: s.address().port, got };
}

beforeEach(() => {
  rec = new EventCollector();
  mgr = new SessionManager(rec.sink);
});
afterEach(async () => {
  for (const s of socks.splice(0)) s.close();
  for (const c of cleanups.splice(0)) c();
  await mgr.closeAll();
});

describe('udp', () => {
  it('binds on 127.0.0.1:0 and reports the real port', async () => {
    const info = await mgr.open(cfg());
    expect(info.state).toBe('open');
    expect(info.local).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    expect(info.statusLog.at(-1)?.reason).toBe(`Bound to 127.0.0.1:${info.local?.port}`);
  });

  it('port already in use: ADDRESS_IN_USE and no session', async () => {
    const first = await mgr.open(cfg());
    const port = first.local?.port as number;
    const e = await rejection(mgr.open(cfg({ bindPort: port })));
    expect(e.code).toBe('ADDRESS_IN_USE');
    expect(e.message).toBe(`Port ${port} is already in use on 127.0.0.1`);
    expect(e.detail?.sysCode).toBe('EADDRINUSE');
    expect(mgr.list()).toHaveLength(1);
  });

  it('exchanges exact bytes with an external program and replies to the last sender', async () => {
    const info = await mgr.open(cfg());
    const toEngine = Buffer.from('00010203fffe0d0a', 'hex');
    const reply = Buffer.from('e4bda0e5a5bd00ff', 'hex');
    const py = pythonPeer(['udp', '127.0.0.1', String(info.local?.port), toEngine.toString('hex')]);
    cleanups.push(() => void py.child.kill());
    const pyPort = Number(await py.line('PORT '));
    const rx = await rec.next('data', (d) => d.dir === 'rx');
    expect(Buffer.from(rx.bytes).equals(toEngine)).toBe(true);
    expect(rx.remote).toEqual({ address: '127.0.0.1', port: pyPort, family: 'IPv4' });
    expect(mgr.info(info.sessionId).lastSender).toEqual(rx.remote);
    await mgr.sendBytes(info.sessionId, reply, { kind: 'last-sender' });
    expect(await py.line('GOT ')).toBe(`${reply.toString('hex')} FROM ${info.local?.port}`);
    expect(mgr.info(info.sessionId).counters).toEqual({ rxBytes: 8, txBytes: 8, rxMessages: 1, txMessages: 1 });
  });

  it('sends to the default remote and to any address; without either there is NO_TARGET', async () => {
    const peer = await plainUdp();
    const info = await mgr.open(cfg());
    expect((await rejection(mgr.sendBytes(info.sessionId, Uint8Array.of(1), { kind: 'default' }))).code).toBe('NO_TARGET');
    expect((await rejection(mgr.sendBytes(info.sessionId, Uint8Array.of(1), { kind: 'last-sender' }))).code).toBe('NO_TARGET');
    await mgr.update(info.sessionId, { remoteHost: '127.0.0.1', remotePort: peer.port });
    await mgr.sendBytes(info.sessionId, Buffer.from('dflt'), { kind: 'default' });
    await mgr.sendBytes(info.sessionId, Buffer.from('addr'), { kind: 'address', host: 'localhost', port: peer.port });
    await poll(() => peer.got.length === 2);
    expect(peer.got.map((g) => g.msg.toString())).toEqual(['dflt', 'addr']);
    expect(peer.got[0]?.rinfo.port).toBe(info.local?.port);
    const tx = rec.of('data').filter((d) => d.dir === 'tx');
    expect(tx.map((d) => d.remote)).toEqual([
      { address: '127.0.0.1', port: peer.port, family: 'IPv4' },
      { address: '127.0.0.1', port: peer.port, family: 'IPv4' },
    ]);
  });

  it('rejects a 65,508-byte payload on IPv4 before sending; 65,507 bytes go out', async () => {
    const peer = await plainUdp();
    const info = await mgr.open(cfg({ remoteHost: '127.0.0.1', remotePort: peer.port }));
    const e = await rejection(mgr.sendBytes(info.sessionId, new Uint8Array(65_508), { kind: 'default' }));
    expect(e.code).toBe('PAYLOAD_TOO_LARGE');
    expect(e.message).toBe('The payload is 65,508 bytes; one UDP datagram over IPv4 carries at most 65,507 bytes');
    expect(mgr.info(info.sessionId).counters.txBytes).toBe(0);
    expect(rec.of('data')).toHaveLength(0);
    await mgr.sendBytes(info.sessionId, new Uint8Array(65_507).fill(1), { kind: 'default' });
    await poll(() => peer.got.length === 1);
    expect(peer.got[0]?.msg.length).toBe(65_507);
  });

  it('refuses a broadcast address without the Broadcast option, before sending anything', async () => {
    const info = await mgr.open(cfg());
    for (const host of ['255.255.255.255', '127.255.255.255']) {
      const e = await rejection(mgr.sendBytes(info.sessionId, Uint8Array.of(1), { kind: 'address', host, port: 9 }));
      expect(e.code).toBe('BROADCAST_DISABLED');
      expect(e.message).toBe(`Sending to the broadcast address ${host} needs the Broadcast option`);
    }
    expect(mgr.info(info.sessionId).counters.txMessages).toBe(0);
  });

  it('unknown host name gives HOST_NOT_FOUND', async () => {
    const info = await mgr.open(cfg());
    const e = await rejection(mgr.sendBytes(info.sessionId, Uint8Array.of(1), { kind: 'address', host: 'nonexistent.invalid', port: 9 }));
    expect(e.code).toBe('HOST_NOT_FOUND');
    expect(e.message).toBe("Host name 'nonexistent.invalid' could not be resolved");
  });

  it('frames per source address when framing is not raw', async () => {
    const a = await plainUdp();
    const b = await plainUdp();
    const info = await mgr.open(cfg({ framing: { kind: 'delimiter', delimiter: Uint8Array.of(10), keep: false } }));
    const port = info.local?.port as number;
    const send = (s: Socket, t: string): Promise<void> => new Promise((r) => s.send(t, port, '127.0.0.1', () => r()));
    await send(a.s, 'A1-');
    await send(b.s, 'B1-');
    await send(a.s, 'end\n');
    await send(b.s, 'end\n');
    await rec.until(() => rec.of('data').length === 2);
    const rows = rec.of('data').map((d) => [textOf(d), d.remote.port]);
    expect(rows).toEqual([
      ['A1-end', a.port],
      ['B1-end', b.port],
    ]);
  });

  it('works on IPv6 ::1 (udp6)', async (t) => {
    if (!(await ipv6Available())) return t.skip('::1 is not available in this sandbox');
    const peer = await plainUdp('udp6');
    const info = await mgr.open(cfg({ family: 'udp6', bindAddress: '::1' }));
    expect(info.local).toMatchObject({ address: '::1', family: 'IPv6' });
    await mgr.sendBytes(info.sessionId, Buffer.from('v6'), { kind: 'address', host: '::1', port: peer.port });
    await poll(() => peer.got.length === 1);
    peer.s.send('back', info.local?.port as number, '::1');
    const rx = await rec.next('data', (d) => d.dir === 'rx');
    expect(textOf(rx)).toBe('back');
    expect(rx.remote).toEqual({ address: '::1', port: peer.port, family: 'IPv6' });
    const e = await rejection(mgr.sendBytes(info.sessionId, new Uint8Array(65_528), { kind: 'address', host: '::1', port: peer.port }));
    expect(e.message).toBe('The payload is 65,528 bytes; one UDP datagram over IPv6 carries at most 65,527 bytes');
  });

  it('joins and leaves a multicast group on the loopback interface', async (t) => {
    const info = await mgr.open(cfg({ multicastInterface: '127.0.0.1' }));
    let joined;
    try {
      joined = mgr.multicast(info.sessionId, 'join', '239.255.0.1', '127.0.0.1');
    } catch (e) {
      return t.skip(`multicast is refused in this sandbox: ${(e as Error).message}`);
    }
    expect(joined.groups).toEqual(['239.255.0.1@127.0.0.1']);
    expect(rec.of('session.updated').at(-1)?.info.groups).toEqual(['239.255.0.1@127.0.0.1']);
    expect(mgr.multicast(info.sessionId, 'leave', '239.255.0.1', '127.0.0.1').groups).toEqual([]);
    const e = catchSync(() => mgr.multicast(info.sessionId, 'leave', '239.255.0.1', '127.0.0.1'));
    expect(e.code).toBe('ADDRESS_NOT_AVAILABLE');
    expect(e.message).toMatch(/^Could not leave the multicast group 239\.255\.0\.1 on 127\.0\.0\.1/);
  });

  it('update() changes broadcast and multicast options and rejects TCP options', async () => {
    const info = await mgr.open(cfg());
    const up = await mgr.update(info.sessionId, { broadcast: true, multicastTtl: 4, multicastLoopback: false });
    expect(up.config).toMatchObject({ broadcast: true, multicastTtl: 4, multicastLoopback: false });
    expect((await rejection(mgr.update(info.sessionId, { noDelay: true }))).code).toBe('INVALID_ARGUMENT');
  });
});
