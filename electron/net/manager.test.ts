import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sessionConfigSchema } from '../../shared/protocol/schemas';
import { EventCollector, catchSync, poll, rejection, sleep } from '../../test/fixtures/net-helpers';
import { LogWatcher, textsOf } from '../../test/fixtures/log-helpers';
import { Backend } from '../backend';
import { SessionManager } from './manager';
import { listInterfaces, resolveHost } from './system';

const server = sessionConfigSchema.parse({ kind: 'tcp-server', host: '127.0.0.1', port: 0 });
const udp = sessionConfigSchema.parse({ kind: 'udp', bindAddress: '127.0.0.1' });

let rec: EventCollector;
let mgr: SessionManager;
beforeEach(() => {
  rec = new EventCollector();
  mgr = new SessionManager(rec.sink, { now: () => 1234 });
});
afterEach(async () => {
  await mgr.closeAll();
});

const handles = (): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
};

describe('SessionManager', () => {
  it('unknown session ids give SESSION_NOT_FOUND everywhere', async () => {
    const t = { kind: 'default' } as const;
    for (const p of [mgr.start('nope'), mgr.stop('nope'), mgr.close('nope'), mgr.update('nope', {}), mgr.sendBytes('nope', Uint8Array.of(1), t), mgr.disconnectPeer('nope', 'p1')])
      expect((await rejection(p)).code).toBe('SESSION_NOT_FOUND');
    expect(catchSync(() => mgr.info('nope')).code).toBe('SESSION_NOT_FOUND');
    expect(catchSync(() => mgr.resetCounters('nope')).code).toBe('SESSION_NOT_FOUND');
    expect(catchSync(() => mgr.multicast('nope', 'join', '239.1.1.1')).code).toBe('SESSION_NOT_FOUND');
  });

  it('open emits one session.opened with the settled info; close emits session.removed', async () => {
    const info = await mgr.open(server);
    expect(rec.events.map((e) => e.type)).toEqual(['session.opened']);
    const opened = rec.of('session.opened')[0];
    expect(opened?.info.state).toBe('listening');
    expect(opened?.ts).toBe(1234);
    expect(info.createdAt).toBe(1234);
    expect(mgr.list().map((s) => s.sessionId)).toEqual([info.sessionId]);
    await mgr.close(info.sessionId);
    expect(rec.events.at(-1)).toEqual({ type: 'session.removed', ts: 1234, sessionId: info.sessionId });
    expect(mgr.list()).toEqual([]);
  });

  it('gives each session a unique id', async () => {
    const a = await mgr.open(udp);
    const b = await mgr.open(udp);
    expect(a.sessionId).not.toBe(b.sessionId);
  });

  it('send() encodes the payload (GBK text) and reports the exact bytes', async () => {
    const a = await mgr.open({ ...server, rxEncoding: 'gbk' });
    const c = connect(a.local?.port as number, '127.0.0.1');
    c.on('error', () => undefined);
    const got: Buffer[] = [];
    c.on('data', (d: Buffer) => got.push(d));
    await rec.next('peer.joined');
    const report = await mgr.send(a.sessionId, { kind: 'text', text: '你好', encoding: 'gbk', escapes: false, lineEnding: 'crlf' }, { kind: 'all' });
    expect(report).toEqual({ bytes: 6, targets: 1 });
    await poll(() => Buffer.concat(got).length === 6);
    expect(Buffer.concat(got).toString('hex')).toBe('c4e3bac30d0a');
    const tx = rec.of('data').filter((d) => d.dir === 'tx');
    expect(tx.map((d) => [Buffer.from(d.bytes).toString('hex'), d.peerId, d.remote.port])).toEqual([['c4e3bac30d0a', 'p1', c.localPort]]);
    c.destroy();
  });

  it('a tx row shows in the log decoded with the session’s receive encoding', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wb-mgr-'));
    const backend = new Backend({ dataDir });
    const w = new LogWatcher(backend);
    try {
      const a = await w.call('session.open', { config: { ...server, rxEncoding: 'gbk' } });
      const c = connect(a.local?.port as number, '127.0.0.1');
      c.on('error', () => undefined);
      await w.next('peer.joined');
      await w.call('session.send', { sessionId: a.sessionId, payload: { kind: 'text', text: '你好', encoding: 'gbk', lineEnding: 'crlf' } });
      const rows = await w.untilRows(a.sessionId, (r) => textsOf(r, 'tx').length === 1);
      expect(textsOf(rows, 'tx')).toEqual(['你好\r\n']);
      expect(Buffer.from(rows.find((r) => r.dir === 'tx')?.bytes ?? []).toString('hex')).toBe('c4e3bac30d0a');
      c.destroy();
    } finally {
      w.detach();
      await backend.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('send() reports payload errors as WbError (BAD_HEX)', async () => {
    const a = await mgr.open(udp);
    const e = await rejection(mgr.send(a.sessionId, { kind: 'hex', hex: '0G' }, { kind: 'default' }));
    expect(e.code).toBe('BAD_HEX');
  });

  it('resetCounters zeroes the counters and emits session.updated and counters', async () => {
    const a = await mgr.open(udp);
    await mgr.sendBytes(a.sessionId, Uint8Array.of(1, 2), { kind: 'address', host: '127.0.0.1', port: a.local?.port as number });
    await rec.until(() => mgr.info(a.sessionId).counters.rxBytes === 2);
    const info = mgr.resetCounters(a.sessionId);
    expect(info.counters).toEqual({ rxBytes: 0, txBytes: 0, rxMessages: 0, txMessages: 0 });
    expect(rec.of('session.updated')).toHaveLength(1);
    expect(rec.of('counters').at(-1)?.counters.txBytes).toBe(0);
  });

  it('multicast on a TCP session is INVALID_ARGUMENT', async () => {
    const a = await mgr.open(server);
    expect(catchSync(() => mgr.multicast(a.sessionId, 'join', '239.1.1.1')).code).toBe('INVALID_ARGUMENT');
  });

  it('a sink that throws never breaks the engine', async () => {
    const bad = new SessionManager(() => {
      throw new Error('sink down');
    });
    const a = await bad.open(udp);
    await bad.sendBytes(a.sessionId, Uint8Array.of(1), { kind: 'address', host: '127.0.0.1', port: a.local?.port as number });
    await bad.closeAll();
  });

  it('closeAll closes every socket, server and timer', async () => {
    await sleep(50); // let handles of earlier tests finish closing
    const before = handles();
    // a server holding an idle-framing timer for a client's pending bytes
    const a = await mgr.open(
      sessionConfigSchema.parse({ kind: 'tcp-server', host: '127.0.0.1', port: 0, framing: { kind: 'idle', gapMs: 60_000 } }),
    );
    const c = connect(a.local?.port as number, '127.0.0.1');
    c.on('error', () => undefined);
    c.write('x');
    await rec.until(() => mgr.info(a.sessionId).counters.rxBytes === 1);
    // a client waiting 60 s to reconnect to a port nobody listens on
    const gone = await mgr.open(server);
    const port = gone.local?.port as number;
    await mgr.close(gone.sessionId);
    const client = await mgr.open(
      sessionConfigSchema.parse({ kind: 'tcp-client', host: '127.0.0.1', port, reconnect: { enabled: true, initialDelayMs: 60_000 } }),
    );
    expect(client.state).toBe('reconnecting');
    await mgr.open(udp);
    const during = handles();
    expect(during.TCPServerWrap ?? 0).toBeGreaterThan(before.TCPServerWrap ?? 0);
    expect(during.UDPWrap ?? 0).toBeGreaterThan(before.UDPWrap ?? 0);
    await mgr.closeAll();
    c.destroy();
    expect(mgr.list()).toEqual([]);
    await poll(() => {
      const after = handles();
      return ['TCPServerWrap', 'TCPSocketWrap', 'UDPWrap', 'Timeout'].every((k) => (after[k] ?? 0) <= (before[k] ?? 0));
    }, 3000, 'handles released');
  });

  it('lists interfaces (loopback included) and resolves host names', async () => {
    const ifs = listInterfaces();
    expect(ifs.some((i) => i.address === '127.0.0.1' && i.internal && i.family === 'IPv4')).toBe(true);
    expect(await resolveHost('127.0.0.1')).toEqual([{ address: '127.0.0.1', family: 'IPv4' }]);
    expect((await rejection(resolveHost('nonexistent.invalid'))).code).toBe('HOST_NOT_FOUND');
  });
});
