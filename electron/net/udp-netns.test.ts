/**
 * Broadcast and multicast on real interfaces: two network namespaces joined
 * by a veth pair (test/fixtures/netns.ts), the engine in one (driven through
 * test/fixtures/ns-udp-driver.ts), plain sockets in the other. All traffic
 * goes to addresses inside those namespaces. Skipped, with the reason printed,
 * where namespaces cannot be made (not root, no `ip`).
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNetwork, namespacesUnavailable, type TestNetwork } from '../../test/fixtures/netns';

const unavailable = namespacesUnavailable();
if (unavailable) console.log(`[udp-netns] skipped: ${unavailable}`);

interface Reply {
  id?: number;
  ok?: boolean;
  event?: string;
  text?: string;
  code?: string;
  key?: string;
  remote?: { address: string; port: number };
  [k: string]: unknown;
}

/** One driver process inside a namespace. */
class Driver {
  private nextId = 1;
  readonly seen: Reply[] = [];
  private waiters: Array<{ test: (r: Reply) => boolean; resolve: (r: Reply) => void }> = [];
  private readonly child: ChildProcess;
  constructor(net: TestNetwork, ns: string) {
    this.child = net.spawnIn(ns, process.execPath, ['--import', 'tsx', 'test/fixtures/ns-udp-driver.ts']);
    let err = '';
    this.child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    this.child.on('exit', (code) => code && console.error(`driver in ${ns} exited ${code}: ${err}`));
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const r = JSON.parse(line) as Reply;
      this.seen.push(r);
      for (const w of this.waiters.filter((x) => x.test(r))) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(r);
      }
    });
  }
  waitFor(test: (r: Reply) => boolean, what: string, ms = 30_000): Promise<Reply> {
    const seen = this.seen.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}; seen: ${JSON.stringify(this.seen)}`)), ms);
      this.waiters.push({ test, resolve: (r) => (clearTimeout(t), resolve(r)) });
    });
  }
  async do(cmd: Record<string, unknown>): Promise<Reply> {
    const id = this.nextId++;
    await this.waitFor((r) => r.event === 'ready', 'the driver to start', 60_000);
    this.child.stdin?.write(`${JSON.stringify({ id, ...cmd })}\n`);
    return this.waitFor((r) => r.id === id, `an answer to ${JSON.stringify(cmd)}`);
  }
  /** Data received (by the engine: 'data'; by the plain peer: 'peer-data'). */
  got(event: 'data' | 'peer-data', text: string, ms?: number): Promise<Reply> {
    return this.waitFor((r) => r.event === event && r.text === text, `${event} '${text}'`, ms);
  }
  has(event: 'data' | 'peer-data', text: string): boolean {
    return this.seen.some((r) => r.event === event && r.text === text);
  }
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.stdin?.end();
      setTimeout(() => this.child.kill('SIGKILL'), 10_000).unref();
    });
  }
}

/** tshark on an interface inside a namespace: one line per packet, `ip.ttl<TAB>payload hex`. */
async function capture(net: TestNetwork, ns: string, iface: string, filter: string): Promise<{ line(l: string): Promise<void>; lines(): string[]; stop(): void }> {
  const child = net.spawnIn(ns, 'tshark', ['-n', '-l', '-i', iface, '-f', filter, '-T', 'fields', '-e', 'ip.ttl', '-e', 'udp.payload']);
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  const poke = (): void => waiters.splice(0).forEach((w) => w());
  child.stdout?.on('data', (d: Buffer) => ((out += d.toString()), poke()));
  child.stderr?.on('data', (d: Buffer) => ((err += d.toString()), poke()));
  const until = (pred: () => boolean, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`tshark: timed out waiting for ${what}; out: ${out} err: ${err}`)), 30_000);
      const check = (): void => {
        if (pred()) return (clearTimeout(t), resolve());
        waiters.push(check);
      };
      check();
    });
  await until(() => err.includes('Capture started'), 'the capture to start');
  const lines = (): string[] => out.split('\n').filter((l) => l !== '');
  return { lines, line: (l) => until(() => lines().includes(l), `'${l}'`), stop: () => void child.kill('SIGINT') };
}

describe.skipIf(unavailable !== undefined)('UDP on real interfaces (network namespaces)', () => {
  let net: TestNetwork;
  const drivers: Driver[] = [];
  const driver = (ns: string): Driver => {
    const d = new Driver(net, ns);
    drivers.push(d);
    return d;
  };
  beforeAll(() => {
    net = makeNetwork();
  });
  afterAll(async () => {
    await Promise.all(drivers.map((d) => d.close()));
    net?.teardown();
  });

  it("lists the namespace's own interfaces for the picker", async () => {
    const a = driver(net.a.ns);
    type Iface = { name: string; address: string; family: string };
    // addresses settle as the links come up: ask until both of the veth's own addresses are listed
    let list: Iface[] = [];
    for (const end = Date.now() + 15_000; Date.now() < end; ) {
      list = (await a.do({ op: 'interfaces' })).interfaces as Iface[];
      if ([net.a.v4, net.a.v6].every((x) => list.some((i) => i.address === x))) break;
    }
    expect(new Set(list.map((i) => i.name)), JSON.stringify(list)).toEqual(new Set(['lo', net.a.iface]));
    expect(list).toContainEqual(expect.objectContaining({ name: net.a.iface, address: net.a.v4, family: 'IPv4' }));
    expect(list).toContainEqual(expect.objectContaining({ name: net.a.iface, address: net.a.v6, family: 'IPv6' }));
  }, 60_000);

  it('broadcasts to the subnet broadcast address and to 255.255.255.255, received in the other namespace', async () => {
    const a = driver(net.a.ns);
    const b = driver(net.b.ns);
    const port = (await b.do({ op: 'peer', type: 'udp4', bind: '0.0.0.0', port: 0 })).port as number;
    expect(await a.do({ op: 'open', config: { kind: 'udp', bindAddress: '0.0.0.0', bindPort: 0, broadcast: true } })).toMatchObject({ ok: true });
    expect(await a.do({ op: 'send', host: net.broadcast, port, text: 'subnet' })).toMatchObject({ ok: true });
    expect(await a.do({ op: 'send', host: '255.255.255.255', port, text: 'limited' })).toMatchObject({ ok: true });
    expect((await b.got('peer-data', 'subnet')).remote?.address).toBe(net.a.v4);
    expect((await b.got('peer-data', 'limited')).remote?.address).toBe(net.a.v4);
    // with the option off the engine refuses, naming the address
    await a.do({ op: 'update', options: { broadcast: false } });
    expect(await a.do({ op: 'send', host: net.broadcast, port, text: 'off' })).toMatchObject({ ok: false, code: 'BROADCAST_DISABLED', key: 'udp.broadcastOff' });
  }, 60_000);

  it('IPv4 multicast: sends on the chosen interface with TTL, joins and leaves, loops back only when asked', async () => {
    const a = driver(net.a.ns);
    const b = driver(net.b.ns);
    const group = '239.77.1.1';
    const bPort = (await b.do({ op: 'peer', type: 'udp4', bind: '0.0.0.0', port: 0, join: { group, iface: net.b.v4 }, multicastInterface: net.b.v4 })).port as number;
    const opened = await a.do({ op: 'open', config: { kind: 'udp', bindAddress: '0.0.0.0', bindPort: bPort, reuseAddr: true, multicastInterface: net.a.v4, multicastTtl: 1 } });
    expect(opened).toMatchObject({ ok: true });
    const aPort = bPort;

    // sent out of the chosen interface with the TTL asked, as seen on the wire in the other namespace
    const wire = await capture(net, net.b.ns, net.b.iface, `udp and dst host ${group}`);
    try {
      await a.do({ op: 'send', host: group, port: bPort, text: 'ttl1' });
      expect((await b.got('peer-data', 'ttl1')).remote?.address).toBe(net.a.v4);
      await a.do({ op: 'update', options: { multicastTtl: 7 } });
      await a.do({ op: 'send', host: group, port: bPort, text: 'ttl7' });
      await b.got('peer-data', 'ttl7');
      await wire.line(`7\t${Buffer.from('ttl7').toString('hex')}`);
      expect(wire.lines()).toContain(`1\t${Buffer.from('ttl1').toString('hex')}`);
    } finally {
      wire.stop();
    }
    await a.do({ op: 'update', options: { multicastTtl: 1 } });

    // the engine joins on its interface and hears the group; after leaving it does not
    expect(await a.do({ op: 'join', group, iface: net.a.v4 })).toMatchObject({ ok: true, groups: [`${group}@${net.a.v4}`] });
    await b.do({ op: 'peerSend', host: group, port: aPort, text: 'in-group' });
    expect((await a.got('data', 'in-group')).remote?.address).toBe(net.b.v4);

    // loopback on (the default): the engine hears its own multicast; off: it does not
    await a.do({ op: 'send', host: group, port: aPort, text: 'loop-on' });
    await a.got('data', 'loop-on');
    await a.do({ op: 'update', options: { multicastLoopback: false } });
    await a.do({ op: 'send', host: group, port: aPort, text: 'loop-off' });
    await a.do({ op: 'send', host: net.a.v4, port: aPort, text: 'marker-loop' });
    await a.got('data', 'marker-loop');
    expect(a.has('data', 'loop-off')).toBe(false);

    expect(await a.do({ op: 'leave', group, iface: net.a.v4 })).toMatchObject({ ok: true, groups: [] });
    await b.do({ op: 'peerSend', host: group, port: aPort, text: 'after-leave' });
    await b.do({ op: 'peerSend', host: net.a.v4, port: aPort, text: 'marker-leave' });
    await a.got('data', 'marker-leave');
    expect(a.has('data', 'after-leave')).toBe(false);
  }, 90_000);

  it('IPv6 multicast on ff02:: with the interface as the scope', async () => {
    const a = driver(net.a.ns);
    const b = driver(net.b.ns);
    const group = 'ff02::1:77';
    const port = (await b.do({ op: 'peer', type: 'udp6', bind: '::', port: 0, join: { group, iface: `::%${net.b.iface}` } })).port as number;
    const opened = await a.do({ op: 'open', config: { kind: 'udp', family: 'udp6', bindAddress: '::', bindPort: 0, multicastInterface: `::%${net.a.iface}` } });
    expect(opened).toMatchObject({ ok: true });
    const aPort = (opened.local as { port: number }).port;
    expect(await a.do({ op: 'send', host: `${group}%${net.a.iface}`, port, text: 'v6-group' })).toMatchObject({ ok: true });
    const got = await b.got('peer-data', 'v6-group');
    expect(got.remote?.address).toMatch(/^fe80:/);
    // and the engine joins a group on its interface, given as the scope, and hears B
    expect(await a.do({ op: 'join', group: 'ff02::1:79', iface: `::%${net.a.iface}` })).toMatchObject({ ok: true, groups: [`ff02::1:79@::%${net.a.iface}`] });
    await b.do({ op: 'peerSend', host: `ff02::1:79%${net.b.iface}`, port: aPort, text: 'to-engine' });
    expect((await a.got('data', 'to-engine')).remote?.address).toMatch(/^fe80:/);
  }, 60_000);

  it('binding errors: an address of the other family, an address no interface has, IPv6 on an interface with IPv4 only', async () => {
    const a = driver(net.a.ns);
    expect(await a.do({ op: 'open', config: { kind: 'udp', family: 'udp4', bindAddress: net.a.v6, bindPort: 0 } })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', key: 'udp.bindIsV6' });
    expect(await a.do({ op: 'open', config: { kind: 'udp', family: 'udp6', bindAddress: net.a.v4, bindPort: 0 } })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', key: 'udp.bindIsV4' });
    const missing = net.a.v4.replace(/\.1$/, '.99');
    expect(await a.do({ op: 'open', config: { kind: 'udp', bindAddress: missing, bindPort: 0 } })).toMatchObject({ ok: false, code: 'ADDRESS_NOT_AVAILABLE' });
    // an interface with IPv4 only (IPv6 turned off on it): no IPv6 address of it can be bound
    net.exec(net.a.ns, 'ip', ['link', 'add', 'wbv4only', 'type', 'veth', 'peer', 'name', 'wbv4peer']);
    net.exec(net.a.ns, 'sysctl', ['-qw', 'net.ipv6.conf.wbv4only.disable_ipv6=1']);
    net.exec(net.a.ns, 'ip', ['addr', 'add', '10.214.0.1/24', 'dev', 'wbv4only']);
    net.exec(net.a.ns, 'ip', ['link', 'set', 'wbv4only', 'up']);
    expect(await a.do({ op: 'open', config: { kind: 'udp', family: 'udp6', bindAddress: 'fe80::1%wbv4only', bindPort: 0 } })).toMatchObject({ ok: false, code: 'ADDRESS_NOT_AVAILABLE' });
    // its IPv4 address binds, and joining an IPv4 group on it works
    expect(await a.do({ op: 'open', config: { kind: 'udp', family: 'udp4', bindAddress: '10.214.0.1', bindPort: 0 } })).toMatchObject({ ok: true });
  }, 60_000);
});
