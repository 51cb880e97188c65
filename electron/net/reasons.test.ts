/**
 * Every reason the engine gives travels twice: as an English sentence (for
 * logs and API clients, unchanged) and as `why` = { key, params } from the
 * table in shared/protocol/reasons.ts, which a UI phrases in its own
 * language. Real sockets on loopback, through the whole backend.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatReason, REASONS, type Err, type LogRow, type Reason, type Result } from '../../shared/protocol';
import { LogWatcher } from '../../test/fixtures/log-helpers';
import { Backend } from '../backend';

let dataDir: string;
let backend: Backend;
let w: LogWatcher;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'wb-reasons-'));
  backend = new Backend({ dataDir });
  w = new LogWatcher(backend);
});
afterEach(async () => {
  w.detach();
  await backend.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The sentence and the Reason say the same, and the key is in the table. */
function agrees(sentence: string | undefined, why: Reason | undefined): Reason {
  expect(why).toBeDefined();
  const r = why as Reason;
  expect(Object.hasOwn(REASONS, r.key)).toBe(true);
  expect(formatReason(r)).toBe(sentence);
  return r;
}

const failed = async (cmd: string, args: unknown): Promise<Err> => {
  const r = (await w.handle(cmd, args)) as Result<unknown>;
  expect(r.ok).toBe(false);
  return r as Err;
};

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const notes = (rows: LogRow[]) => rows.filter((r) => r.note).map((r) => r.note);

describe('structured reasons from the engine', () => {
  it('a TCP server: status entries, peer.left and the log rows carry keys', async () => {
    const info = await w.call('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 } });
    const port = info.local?.port as number;
    expect(info.statusLog.map((h) => agrees(h.reason, h.why).key)).toEqual(['status.opening', 'status.listening']);
    expect(info.statusLog[1]?.why).toEqual({ key: 'status.listening', params: { addr: `127.0.0.1:${port}` } });

    const c = connect(port, '127.0.0.1');
    await w.next('peer.joined');
    c.end();
    const left = await w.next('peer.left');
    expect(agrees(left.reason, left.why)).toEqual({ key: 'status.closedByPeer' });

    const rows = await w.untilRows(info.sessionId, (r) => r.some((x) => x.note?.kind === 'peer.left'));
    const status = notes(rows).filter((n) => n?.kind === 'status');
    expect(status.map((n) => n?.kind === 'status' && agrees(n.reason, n.why).key)).toEqual(['status.opening', 'status.listening']);
    const leftNote = notes(rows).find((n) => n?.kind === 'peer.left');
    expect(leftNote).toMatchObject({ kind: 'peer.left', reason: 'Closed by peer', why: { key: 'status.closedByPeer' } });
  });

  it('a send with no client: NO_TARGET with the key of "No client is connected to this server"', async () => {
    const info = await w.call('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 } });
    const e = await failed('session.send', { sessionId: info.sessionId, payload: { kind: 'text', text: 'hi' } });
    expect(e.code).toBe('NO_TARGET');
    expect(e.message).toBe('No client is connected to this server');
    expect(agrees(e.message, e.why)).toEqual({ key: 'server.noClients' });
  });

  it('a TCP client refused: its status, the error event and the error row carry the OS reason', async () => {
    const port = await closedPort();
    const info = await w.call('session.open', { config: { kind: 'tcp-client', host: '127.0.0.1', port } });
    expect(info.state).toBe('error');
    const last = info.statusLog.at(-1);
    expect(agrees(last?.reason, last?.why)).toEqual({ key: 'os.refused', params: { addr: `127.0.0.1:${port}` } });
    expect(last?.sysCode).toBe('ECONNREFUSED');
    const err = await w.next('error', (e) => e.sessionId === info.sessionId);
    expect(agrees(err.message, err.why).key).toBe('os.refused');
    const rows = await w.untilRows(info.sessionId, (r) => r.some((x) => x.note?.kind === 'error'));
    const note = notes(rows).find((n) => n?.kind === 'error');
    expect(note).toMatchObject({ kind: 'error', code: 'CONNECTION_REFUSED', why: { key: 'os.refused' } });
    // a stopped client says so in a key too
    const stopped = await failed('session.send', { sessionId: info.sessionId, payload: { kind: 'text', text: 'x' } });
    expect(agrees(stopped.message, stopped.why)).toEqual({ key: 'os.notConnected', params: { addr: `127.0.0.1:${port}` } });
  });

  it('a UDP send to the broadcast address without the option: BROADCAST_DISABLED with its key', async () => {
    const info = await w.call('session.open', { config: { kind: 'udp', bindAddress: '0.0.0.0' } });
    expect(agrees(info.statusLog.at(-1)?.reason, info.statusLog.at(-1)?.why).key).toBe('status.bound');
    const e = await failed('session.send', {
      sessionId: info.sessionId,
      payload: { kind: 'text', text: 'x' },
      target: { kind: 'address', host: '255.255.255.255', port: 9 },
    });
    expect(e.code).toBe('BROADCAST_DISABLED');
    expect(agrees(e.message, e.why)).toEqual({ key: 'udp.broadcastOff', params: { address: '255.255.255.255' } });
  });

  it('schema errors carry the field and the nested key of the check', async () => {
    const e = await failed('session.open', { config: { kind: 'tcp-client', host: 'h', port: 70000 } });
    expect(e.message).toBe('config.port: port must be between 1 and 65535');
    expect(agrees(e.message, e.why)).toEqual({ key: 'schema.field', params: { field: 'config.port', message: { key: 'schema.portRange' } } });
  });

  it('rules.set names the rule problem by key, the regex engine’s own error included', async () => {
    const info = await w.call('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 } });
    const set = (match: unknown) =>
      failed('rules.set', { sessionId: info.sessionId, rules: { rules: [{ id: 'a', match, reply: { template: 'x' } }] } });
    const empty = await set({ kind: 'text-contains', text: '' });
    expect(agrees(empty.message, empty.why).params?.message).toEqual({ key: 'rule.textEmpty' });
    const paren = await set({ kind: 'regex', pattern: '(ab' });
    expect(agrees(paren.message, paren.why).params?.message).toEqual({
      key: 'regex.invalidAt',
      params: { detail: { key: 're2.missingParen' }, input: '(ab' },
    });
  });

  it('profile import and open errors, and the built-in profiles, carry keys', async () => {
    const bad = await failed('profile.import', { json: '{' });
    expect(agrees(bad.message, bad.why).key).toBe('profile.badJson');
    const notProfile = await failed('profile.import', { json: '{"name":"x"}' });
    expect(agrees(notProfile.message, notProfile.why).key).toBe('profile.fileNotProfile');
    const missing = await failed('profile.get', { name: 'nope' });
    expect(agrees(missing.message, missing.why)).toEqual({ key: 'profile.notFound', params: { name: 'nope' } });
    const list = await w.call('profile.list', {});
    const builtins = list.filter((p) => p.builtin);
    expect(builtins.map((p) => p.nameWhy?.key)).toEqual(['example.smtp.name', 'example.http.name', 'example.ftp.name', 'example.redis.name', 'example.device.name', 'example.modbus.name']);
    for (const p of builtins) {
      agrees(p.name, p.nameWhy);
      agrees(p.description, p.descriptionWhy);
    }
  });
});
