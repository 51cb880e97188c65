/**
 * The dialogue examples against real clients: Python's ftplib logs in to the
 * FTP mock; a raw socket speaks Redis inline commands and SCPI lines; a
 * hand-built Modbus TCP request reads holding registers.
 */
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionConfigSchema } from '../../shared/protocol/schemas';
import { exampleProfile, type ExampleProfileId } from '../../shared/rules/examples';
import { DEVICE_IDENTITY, FTP_NO_DATA, MODBUS_REGISTERS } from '../../shared/rules/examples-dialogue';
import { EventCollector, poll } from '../../test/fixtures/net-helpers';
import { SessionManager } from './manager';

function python(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('python3', ['-c', script], { timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

let rec: EventCollector;
let mgr: SessionManager;
const sockets: Socket[] = [];
beforeEach(() => {
  rec = new EventCollector();
  mgr = new SessionManager(rec.sink);
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await mgr.closeAll();
});

async function example(id: ExampleProfileId): Promise<{ sid: string; port: number }> {
  const ex = exampleProfile(id);
  const info = await mgr.open(sessionConfigSchema.parse({ kind: 'tcp-server', host: '127.0.0.1', port: 0, framing: ex.framing }));
  mgr.setRules(info.sessionId, ex.rules);
  return { sid: info.sessionId, port: info.local?.port as number };
}

/** A raw client: `ask` writes and waits until the reply bytes collected so far satisfy `done`. */
async function raw(port: number): Promise<{ ask: (data: string | Uint8Array, done: (got: Buffer) => boolean) => Promise<Buffer>; closed: () => boolean }> {
  const s = connect(port, '127.0.0.1');
  sockets.push(s);
  let got = Buffer.alloc(0);
  let closed = false;
  s.on('data', (d: Buffer) => (got = Buffer.concat([got, d])));
  s.on('close', () => (closed = true));
  s.on('error', () => undefined);
  await new Promise<void>((r) => s.once('connect', () => r()));
  return {
    ask: async (data, done) => {
      got = Buffer.alloc(0);
      s.write(data);
      await poll(() => done(got), 10_000, `a reply to ${JSON.stringify(typeof data === 'string' ? data : [...data])}`);
      return got;
    },
    closed: () => closed,
  };
}
const line = (b: Buffer): boolean => b.includes('\n');

describe('FTP example', () => {
  it("Python's ftplib logs in, moves around, and is told there is no data channel", async () => {
    const { sid, port } = await example('ftp');
    const script = [
      'import ftplib',
      `f = ftplib.FTP(); f.connect('127.0.0.1', ${port}, timeout=5)`,
      "print(f.login('ann', 'secret'))",
      'print(f.sendcmd("SYST")); print(f.pwd()); f.cwd("/pub"); print(f.pwd()); print(f.voidcmd("TYPE I"))',
      'try:\n    f.nlst()\nexcept ftplib.error_perm as e:\n    print("refused", e)',
      'print(f.quit())',
    ].join('\n');
    const r = await python(script);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      '230 User ann logged in',
      '215 UNIX Type: L8',
      '/',
      '/pub',
      '200 Type set to I',
      `refused ${FTP_NO_DATA}`,
      '221 Goodbye',
      '',
    ]);
    await rec.until(() => rec.of('peer.left', sid).length === 1);
  });

  it('a client that sends PASS before USER, or anything before login, is refused', async () => {
    const { sid, port } = await example('ftp');
    const c = await raw(port);
    await c.ask('', (b) => b.toString().startsWith('220 ') && line(b)); // the greeting
    expect((await c.ask('PASS x\r\n', line)).toString()).toBe('503 Login with USER first\r\n');
    expect((await c.ask('PWD\r\n', line)).toString()).toBe('530 Please log in with USER and PASS\r\n');
    await c.ask('USER bob\r\n', line);
    await poll(() => mgr.info(sid).peers[0]?.ruleState === 'auth', 10_000, 'the peer list shows the state');
  });
});

describe('Redis-like example', () => {
  it('PING, SET and GET over a raw socket; keys are per connection; an unset key is the null bulk string', async () => {
    const { port } = await example('redis');
    const a = await raw(port);
    const crlf = (b: Buffer): boolean => b.toString().endsWith('\r\n');
    expect((await a.ask('PING\r\n', crlf)).toString()).toBe('+PONG\r\n');
    expect((await a.ask('GET greeting\r\n', crlf)).toString()).toBe('$-1\r\n');
    expect((await a.ask('SET greeting hello world\r\n', crlf)).toString()).toBe('+OK\r\n');
    expect((await a.ask('GET greeting\r\n', crlf)).toString()).toBe('+hello world\r\n');
    expect((await a.ask('FLUSHALL\r\n', crlf)).toString()).toBe("-ERR unknown command 'FLUSHALL'\r\n");
    const b = await raw(port);
    expect((await b.ask('GET greeting\r\n', crlf)).toString()).toBe('$-1\r\n');
    expect((await b.ask('SET empty \r\n', crlf)).toString()).toBe('+OK\r\n');
    expect((await b.ask('GET empty\r\n', crlf)).toString()).toBe('+\r\n'); // set to '': not null
  });
});

describe('Line-based device example', () => {
  it('answers *IDN?, a temperature in range, and an error for unknown commands', async () => {
    const { port } = await example('device');
    const c = await raw(port);
    expect((await c.ask('*IDN?\n', line)).toString()).toBe(`${DEVICE_IDENTITY}\n`);
    for (let i = 0; i < 5; i++) {
      const t = Number((await c.ask('MEAS:TEMP?\n', line)).toString().trim());
      expect(t).toBeGreaterThanOrEqual(20);
      expect(t).toBeLessThan(31);
    }
    expect((await c.ask('VOLT 5\n', line)).toString()).toBe('-113,"Undefined header"\n');
  });
});

describe('Modbus TCP example', () => {
  /** MBAP + PDU, built by hand */
  const request = (txn: number, unit: number, fc: number, addr: number, count: number): Buffer => {
    const b = Buffer.alloc(12);
    b.writeUInt16BE(txn, 0);
    b.writeUInt16BE(0, 2);
    b.writeUInt16BE(6, 4);
    b.writeUInt8(unit, 6);
    b.writeUInt8(fc, 7);
    b.writeUInt16BE(addr, 8);
    b.writeUInt16BE(count, 10);
    return b;
  };
  const whole = (b: Buffer): boolean => b.length >= 6 && b.length >= 6 + b.readUInt16BE(4);

  it('reads holding registers with function 03, echoing the transaction id', async () => {
    const { port } = await example('modbus');
    const c = await raw(port);
    const r = await c.ask(request(0x1234, 7, 3, 2, 3), whole);
    expect(r.readUInt16BE(0)).toBe(0x1234);
    expect(r.readUInt16BE(2)).toBe(0);
    expect(r.readUInt16BE(4)).toBe(3 + 6);
    expect([...r.subarray(6, 9)]).toEqual([7, 3, 6]);
    expect([r.readUInt16BE(9), r.readUInt16BE(11), r.readUInt16BE(13)]).toEqual(MODBUS_REGISTERS.slice(2, 5));
  });

  it('two requests in one write and one request split over two writes both get answers', async () => {
    const { port } = await example('modbus');
    const c = await raw(port);
    const two = Buffer.concat([request(1, 1, 3, 0, 1), request(2, 1, 3, 9, 1)]);
    const r = await c.ask(two, (b) => b.length >= 22);
    expect([r.readUInt16BE(0), r.readUInt16BE(9), r.readUInt16BE(11), r.readUInt16BE(20)]).toEqual([1, 100, 2, 1000]);
    const req = request(3, 1, 3, 0, 2);
    const first = c.ask(req.subarray(0, 5), whole);
    sockets[0]!.write(req.subarray(5));
    expect((await first).readUInt16BE(0)).toBe(3);
  });

  it('answers a read past the register table with exception 02 (illegal data address)', async () => {
    const { port } = await example('modbus');
    const c = await raw(port);
    const last = await c.ask(request(5, 1, 3, MODBUS_REGISTERS.length - 1, 1), whole); // the last register: fine
    expect(last.readUInt16BE(9)).toBe(MODBUS_REGISTERS.at(-1));
    for (const [addr, count] of [[MODBUS_REGISTERS.length - 1, 2], [MODBUS_REGISTERS.length, 1], [0x1000, 1], [0, 0], [0, 126]] as const) {
      const r = await c.ask(request(0x0a0b, 9, 3, addr, count), whole);
      expect([...r], `address ${addr}, count ${count}`).toEqual([0x0a, 0x0b, 0, 0, 0, 3, 9, 0x83, 2]);
    }
  });

  it('answers an unknown function with exception 01', async () => {
    const { port } = await example('modbus');
    const c = await raw(port);
    const r = await c.ask(request(0xabcd, 1, 0x2b, 0, 0), whole);
    expect([...r]).toEqual([0xab, 0xcd, 0, 0, 0, 3, 1, 0xab, 1]);
  });
});
