/**
 * The hit log with real clients: Python's ftplib drives the FTP example and
 * the server's per-peer log tells what each command did, with the state
 * before and after; a reconnect starts an empty log (the old one is kept as
 * a peer that left); the stats event carries only the count.
 */
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RuleHit } from '../../shared/protocol/rules';
import { sessionConfigSchema } from '../../shared/protocol/schemas';
import { exampleProfile } from '../../shared/rules/examples';
import { EventCollector, poll } from '../../test/fixtures/net-helpers';
import { SessionManager } from './manager';
import { MAX_PEER_HITS } from './rules-hits';

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

async function ftpServer(): Promise<{ sid: string; port: number }> {
  const ex = exampleProfile('ftp');
  const info = await mgr.open(sessionConfigSchema.parse({ kind: 'tcp-server', host: '127.0.0.1', port: 0, framing: ex.framing }));
  mgr.setRules(info.sessionId, ex.rules);
  return { sid: info.sessionId, port: info.local?.port as number };
}

function python(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', script], { timeout: 15_000 }, (error, stdout, stderr) => (error ? reject(new Error(stderr || String(error))) : resolve(stdout)));
  });
}

/** A hit as a teacher reads it: "rule text from → to". */
const line = (h: RuleHit): string => `${h.ruleId ?? '-'} ${h.text} ${h.from} → ${h.to}`;

describe('hit log per peer', () => {
  it('records what ftplib did, with the state transitions and the variables set', async () => {
    const { sid, port } = await ftpServer();
    const out = await python([
      'import ftplib',
      `f = ftplib.FTP(); f.connect('127.0.0.1', ${port}, timeout=5)`,
      "f.login('alice', 'pw')",
      'try:\n    f.sendcmd("RETR notes.txt")\nexcept ftplib.error_perm as e:\n    print(str(e)[:3])',
      'f.quit()',
    ].join('\n'));
    expect(out).toBe('502\n');
    await rec.until(() => rec.of('peer.left', sid).length === 1);
    const logs = mgr.ruleHits(sid);
    expect(logs).toHaveLength(1);
    const [log] = logs;
    expect(log).toMatchObject({ state: 'ready', total: 5 });
    expect(log!.leftAt).toBeGreaterThan(0);
    expect(log!.addr).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(log!.hits).toHaveLength(1); // the list carries the newest hit only
    expect(line(log!.hits[0]!)).toBe('quit QUIT ready → ready');
    const [full] = mgr.ruleHits(sid, log!.peer);
    expect(full!.hits.map(line)).toEqual([
      '@greeting  start → start',
      'user USER alice start → auth',
      'pass PASS pw auth → ready',
      'no-data RETR notes.txt ready → ready',
      'quit QUIT ready → ready',
    ]);
    expect(full!.hits[1]).toMatchObject({ n: 1, name: 'USER', set: { user: 'alice' } });
    expect(full!.hits[3]).toMatchObject({ n: 11, name: 'Data channel commands (502)' });
    // the stats event carries a counter only, never the entries
    await poll(() => rec.of('rules.stats', sid).some((e) => e.hits === 5), 5000, 'the hit count in rules.stats');
    expect(rec.of('rules.stats', sid).every((e) => !('hitLog' in e) && !('entries' in e))).toBe(true);
  });

  it('starts an empty log on a reconnect, logs misses, escapes control characters, and keeps the newest entries', async () => {
    const { sid, port } = await ftpServer();
    const open = async (): Promise<Socket> => {
      const s = connect(port, '127.0.0.1');
      sockets.push(s);
      s.on('error', () => undefined);
      await new Promise<void>((r) => s.once('connect', () => r()));
      return s;
    };
    const a = await open();
    a.write('USER bob\r\nPASS x\r\n');
    const key = (): string => mgr.info(sid).peers[0]!.peerId;
    await poll(() => mgr.info(sid).peers.length === 1 && mgr.ruleHits(sid, key())[0]?.total === 3, 5000, 'three hits');
    const first = key();
    a.destroy();
    await rec.until(() => rec.of('peer.left', sid).length === 1);
    const b = await open();
    await poll(() => mgr.info(sid).peers.length === 1, 5000, 'the second connection');
    b.write('PWD\r\nHELLO\x01\tthere\r\n');
    await poll(() => mgr.ruleHits(sid, key())[0]?.total === 3, 5000, 'the second log');
    const [now] = mgr.ruleHits(sid, key());
    expect(now!.leftAt).toBeUndefined();
    expect(now!.hits.map(line)).toEqual([
      '@greeting  start → start',
      'login-first PWD start → start', // before login: 530
      'login-first HELLO\\x01\\tthere start → start',
    ]);
    const all = mgr.ruleHits(sid);
    expect(all.map((l) => [l.peer, l.leftAt === undefined])).toEqual([[key(), true], [first, false]]);
    expect(all[1]!.state).toBe('ready');
    // bounded: the newest MAX_PEER_HITS, first in first out; the total keeps counting
    b.write('NOOP\r\n'.repeat(MAX_PEER_HITS + 10));
    await poll(() => mgr.ruleHits(sid, key())[0]?.total === 3 + MAX_PEER_HITS + 10, 10_000, 'every NOOP');
    const [big] = mgr.ruleHits(sid, key());
    expect(big!.hits).toHaveLength(MAX_PEER_HITS);
    expect(big!.hits.every((h) => h.ruleId === 'noop')).toBe(true);
  });
});
