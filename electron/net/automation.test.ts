/**
 * Reply rules wired into real sessions on loopback: echo, greeting, regex
 * captures per peer, replies to all, delays, close, UDP per source, stats.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ruleSetSchema, type RuleSetInput } from '../../shared/protocol/rules';
import { sessionConfigSchema, type SessionConfigInput } from '../../shared/protocol/schemas';
import { EventCollector, poll, sleep, textOf } from '../../test/fixtures/net-helpers';
import { SessionManager } from './manager';

const rules = (r: RuleSetInput) => ruleSetSchema.parse(r);
const lines = { kind: 'delimiter', delimiter: Uint8Array.of(0x0a), keep: false } as const;

let rec: EventCollector;
let mgr: SessionManager;
const clients: Socket[] = [];
const udps: UdpSocket[] = [];
beforeEach(() => {
  rec = new EventCollector();
  mgr = new SessionManager(rec.sink);
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const u of udps.splice(0)) u.close();
  await mgr.closeAll();
});

async function server(extra: Partial<SessionConfigInput> = {}): Promise<{ id: string; port: number }> {
  const info = await mgr.open(sessionConfigSchema.parse({ kind: 'tcp-server', host: '127.0.0.1', port: 0, ...extra }));
  return { id: info.sessionId, port: info.local?.port as number };
}

/** A plain client that collects what it receives. */
async function client(port: number): Promise<{ s: Socket; got: () => string; closed: () => boolean }> {
  const s = connect(port, '127.0.0.1');
  clients.push(s);
  const parts: Buffer[] = [];
  let closed = false;
  s.on('data', (d: Buffer) => parts.push(d));
  s.on('error', () => undefined);
  s.on('close', () => (closed = true));
  await new Promise<void>((r) => s.once('connect', () => r()));
  return { s, got: () => Buffer.concat(parts).toString('latin1'), closed: () => closed };
}

describe('reply rules on a TCP server', () => {
  it('echoes each message back; the rx row comes before its reply', async () => {
    const { id, port } = await server();
    const info = mgr.setRules(id, rules({ echo: true }));
    expect(info.rules?.echo).toBe(true);
    const c = await client(port);
    c.s.write('hello');
    await poll(() => c.got() === 'hello');
    const data = rec.of('data', id);
    const rx = data.findIndex((d) => d.dir === 'rx');
    const tx = data.findIndex((d) => d.dir === 'tx');
    expect(rx).toBeGreaterThanOrEqual(0);
    expect(tx).toBeGreaterThan(rx);
    expect(textOf(data[tx] as (typeof data)[number])).toBe('hello');
    expect(mgr.info(id).counters).toMatchObject({ rxBytes: 5, txBytes: 5, txMessages: 1 });
  });

  it('greets each peer when it connects, before any reply', async () => {
    const { id, port } = await server({ framing: lines });
    mgr.setRules(id, rules({ echo: true, greeting: { template: 'hi {{peer}}', lineEnding: 'crlf' } }));
    const c = await client(port);
    const me = `127.0.0.1:${c.s.localPort}`;
    await poll(() => c.got() === `hi ${me}\r\n`);
    c.s.write('x\n');
    await poll(() => c.got() === `hi ${me}\r\nx`);
    const greet = await rec.next('rules.stats', (e) => e.stats.some((s) => s.ruleId === '@greeting' && s.hits === 1));
    expect(greet.sessionId).toBe(id);
  });

  it('a regex rule replies with its captures and counts per peer', async () => {
    const { id, port } = await server({ framing: lines });
    mgr.setRules(
      id,
      rules({
        rules: [
          { id: 'set', match: { kind: 'regex', pattern: '^SET (\\w+)=(?<v>\\d+)$' }, reply: { template: 'OK $1 is $<v> #{{count}}' } }, // LF: the framing's delimiter
        ],
      }),
    );
    const a = await client(port);
    const b = await client(port);
    a.s.write('SET x=1\nSET y=2\nnope\n');
    await poll(() => a.got() === 'OK x is 1 #1\nOK y is 2 #2\n');
    b.s.write('SET z=3\n');
    await poll(() => b.got() === 'OK z is 3 #1\n');
    await sleep(20);
    expect(a.got()).toBe('OK x is 1 #1\nOK y is 2 #2\n'); // b's reply went to b only
    const stats = mgr.ruleStats(id);
    expect(stats).toEqual([expect.objectContaining({ ruleId: 'set', hits: 3, errors: 0, lastMatchText: 'SET z=3' })]);
    await rec.next('rules.stats', (e) => e.stats[0]?.hits === 3);
  });

  it("to: 'all' replies to every peer", async () => {
    const { id, port } = await server({ framing: lines });
    mgr.setRules(id, rules({ rules: [{ id: 'say', match: { kind: 'regex', pattern: '^say (.*)' }, reply: { template: '[$1]', lineEnding: 'none' }, to: 'all' }] }));
    const a = await client(port);
    const b = await client(port);
    await rec.until(() => rec.of('peer.joined', id).length === 2);
    a.s.write('say hi\n');
    await poll(() => a.got() === '[hi]' && b.got() === '[hi]');
    expect(mgr.info(id).counters.txMessages).toBe(2);
  });

  it('delays a reply from the message arrival, keeping replies in order', async () => {
    const { id, port } = await server({ framing: lines });
    mgr.setRules(
      id,
      rules({
        rules: [
          { id: 'slow', match: { kind: 'text-equals', text: 'slow' }, reply: { template: 'S', lineEnding: 'none' }, delayMs: 150 },
          { id: 'fast', match: { kind: 'text-equals', text: 'fast' }, reply: { template: 'F', lineEnding: 'none' } },
        ],
      }),
    );
    const c = await client(port);
    const t0 = Date.now();
    c.s.write('slow\nfast\n');
    await poll(() => c.got().length === 2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(c.got()).toBe('SF');
  });

  it('a delayed reply is dropped when the session stops (no timer left behind)', async () => {
    const { id, port } = await server({ framing: lines });
    mgr.setRules(id, rules({ rules: [{ id: 'slow', match: { kind: 'text-equals', text: 'x' }, reply: { template: 'late' }, delayMs: 100 }] }));
    const c = await client(port);
    c.s.write('x\n');
    await rec.next('data', (d) => d.dir === 'rx');
    await mgr.stop(id);
    await sleep(150);
    expect(c.got()).toBe('');
    expect(rec.of('data', id).filter((d) => d.dir === 'tx')).toHaveLength(0);
  });

  it('close ends the connection after the reply was written, naming the rule by its name', async () => {
    const { id, port } = await server({ framing: lines });
    const quit = { id: 'r1x9', name: 'Quit', match: { kind: 'text-equals', text: 'QUIT' }, reply: { template: 'bye' }, close: true } as const;
    mgr.setRules(id, rules({ rules: [quit] }));
    const c = await client(port);
    c.s.write('QUIT\n');
    await poll(() => c.closed());
    expect(c.got()).toBe('bye\n');
    const left = await rec.next('peer.left');
    expect(left.reason).toBe("Closed by the reply rule 'Quit'");
    expect(left.why).toEqual({ key: 'status.closedByRule', params: { name: 'Quit' } });
  });

  it('a rule without a name is named by its number, never by its id', async () => {
    const { id, port } = await server({ framing: lines });
    const other = { id: 'ra', match: { kind: 'text-equals', text: 'x' }, reply: { template: 'y' } } as const;
    const quit = { id: 'r1x9', match: { kind: 'text-equals', text: 'QUIT' }, reply: { template: '' }, close: true } as const;
    mgr.setRules(id, rules({ rules: [other, quit] }));
    const c = await client(port);
    c.s.write('QUIT\n');
    await poll(() => c.closed());
    const left = await rec.next('peer.left');
    expect(left.reason).toBe('Closed by reply rule 2');
    expect(left.why).toEqual({ key: 'status.closedByRuleN', params: { n: 2 } });
  });

  it('a rule set on a TCP client answers what the server says', async () => {
    const { id: srv, port } = await server();
    const cli = await mgr.open(sessionConfigSchema.parse({ kind: 'tcp-client', host: '127.0.0.1', port }));
    mgr.setRules(cli.sessionId, rules({ greeting: { template: 'HELLO' }, rules: [{ id: 'ping', match: { kind: 'text-equals', text: 'PING' }, reply: { template: 'PONG' } }] }));
    // the greeting goes on the next connect; the rule answers right away
    await rec.until(() => rec.of('peer.joined', srv).length === 1);
    await mgr.send(srv, { kind: 'text', text: 'PING', encoding: 'utf-8', escapes: false, lineEnding: 'none' }, { kind: 'all' });
    await rec.until(() => rec.bytes(srv, 'rx').toString() === 'PONG');
    await mgr.stop(cli.sessionId);
    await mgr.start(cli.sessionId);
    await rec.until(() => rec.bytes(srv, 'rx').toString() === 'PONGHELLO');
  });
});

describe('reply rules on UDP', () => {
  async function udpPeer(): Promise<{ u: UdpSocket; got: string[]; port: number }> {
    const u = createSocket('udp4');
    udps.push(u);
    const got: string[] = [];
    u.on('message', (m) => got.push(m.toString('latin1')));
    await new Promise<void>((r) => u.bind(0, '127.0.0.1', () => r()));
    return { u, got, port: u.address().port };
  }

  it('replies to each source, counting per source', async () => {
    const info = await mgr.open(sessionConfigSchema.parse({ kind: 'udp', bindAddress: '127.0.0.1' }));
    const port = info.local?.port as number;
    mgr.setRules(info.sessionId, rules({ echo: true, rules: [{ id: 'n', match: { kind: 'text-contains', text: '?' }, reply: { template: 'n={{count}} to {{peer}}' }, to: 'all', close: true }] }));
    const a = await udpPeer();
    const b = await udpPeer();
    a.u.send('a?', port, '127.0.0.1');
    await poll(() => a.got.length === 2);
    a.u.send('a?', port, '127.0.0.1');
    b.u.send('b?', port, '127.0.0.1');
    await poll(() => a.got.length === 4 && b.got.length === 2);
    expect(a.got).toEqual(['a?', `n=1 to 127.0.0.1:${a.port}`, 'a?', `n=2 to 127.0.0.1:${a.port}`]);
    expect(b.got).toEqual(['b?', `n=1 to 127.0.0.1:${b.port}`]); // 'all' on UDP is the sender; close is ignored
    expect(mgr.info(info.sessionId).state).toBe('open');
  });

  it('reports a reply too large for a datagram as an error event', async () => {
    const info = await mgr.open(sessionConfigSchema.parse({ kind: 'udp', bindAddress: '127.0.0.1' }));
    mgr.setRules(info.sessionId, rules({ rules: [{ id: 'twice', match: { kind: 'regex', pattern: '^A+$' }, reply: { template: '$0$0' } }] }));
    const a = await udpPeer();
    a.u.send('A'.repeat(40_000), info.local?.port as number, '127.0.0.1');
    const e = await rec.next('error');
    expect(e.code).toBe('PAYLOAD_TOO_LARGE');
    expect(e.message).toMatch(/^Reply not sent: /);
  });
});
