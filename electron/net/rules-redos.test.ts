/**
 * A reply rule's regex runs on RE2 (linear time): no message from a peer can
 * stall the engine, whatever pattern the user wrote. On a backtracking engine
 * `(a+)+$` against 28 × 'a' + '!' took 24 s and froze every session.
 */
import { createConnection, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Backend } from '../backend';
import type { Result, SessionInfo } from '../../shared/protocol';

let backend: Backend | undefined;
let dir: string | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await backend?.dispose();
  backend = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function ok<T>(cmd: string, args: unknown): Promise<T> {
  const r = (await backend!.handle(cmd, args)) as Result<T>;
  if (!r.ok) throw new Error(`${cmd}: ${r.message}`);
  return r.data;
}

async function server(rules: unknown): Promise<SessionInfo> {
  const info = await ok<SessionInfo>('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 } });
  await ok('rules.set', { sessionId: info.sessionId, rules });
  return info;
}

function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
    sockets.push(s);
  });
}

/** Send `text` and resolve with the time until `want` came back. */
function roundTrip(s: Socket, text: string, want: string): Promise<number> {
  return new Promise((resolve) => {
    let got = '';
    const t0 = performance.now();
    const onData = (d: Buffer) => {
      got += d.toString('latin1');
      if (got.includes(want)) {
        s.off('data', onData);
        resolve(performance.now() - t0);
      }
    };
    s.on('data', onData);
    s.write(text);
  });
}

const rule = (pattern: string, flags = '', template = 'matched') => ({
  echo: false,
  rules: [{ id: 'r1', name: 'evil', enabled: true, match: { kind: 'regex', pattern, flags }, reply: { template } }],
});

describe('reply rule regexes cannot stall the engine', () => {
  it('a catastrophic pattern on hostile input leaves another session answering at once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wb-redos-'));
    backend = new Backend({ dataDir: dir });
    const evil = await server(rule('(a+)+$', 'i'));
    const echo = await ok<SessionInfo>('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 } });
    await ok('rules.set', { sessionId: echo.sessionId, rules: { echo: true, rules: [] } });
    const attacker = await connect(evil.local!.port);
    const student = await connect(echo.local!.port);
    expect(await roundTrip(student, 'warm-up\n', 'warm-up')).toBeLessThan(5000);

    // the event loop's longest stall while the hostile messages are matched
    let worst = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 1);
    try {
      for (const n of [28, 30, 1000, 30_000]) attacker.write('a'.repeat(n) + '!');
      const rtts: number[] = [];
      for (let i = 0; i < 20; i++) rtts.push(await roundTrip(student, `ping ${i}\n`, `ping ${i}`));
      // a backtracking engine needs seconds to minutes here; RE2 a few milliseconds
      expect(Math.max(...rtts)).toBeLessThan(1000);
      // let every hostile message be matched before judging the stall
      await new Promise<void>((resolve) => {
        const check = () => (backend!.manager.info(evil.sessionId).counters.rxBytes >= 28 + 30 + 1000 + 30_000 + 4 ? resolve() : setTimeout(check, 5));
        check();
      });
      await roundTrip(student, 'after\n', 'after');
    } finally {
      clearInterval(probe);
    }
    // generous for a loaded 2-core CI machine; the backtracking engine stalled for 24 s
    expect(worst).toBeLessThan(1000);
  });

  it('a match still captures groups for the reply', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wb-redos-'));
    backend = new Backend({ dataDir: dir });
    const info = await server(rule('^HELO (?<host>\\S+)', 'i', '250 hello {{host}} ({{1}})\r\n'));
    const s = await connect(info.local!.port);
    await roundTrip(s, 'helo mail.example.com\r\n', '250 hello mail.example.com (mail.example.com)\r\n');
  });

  it('refuses back-references and look-arounds when the rule is set, in words', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wb-redos-'));
    backend = new Backend({ dataDir: dir });
    const info = await ok<SessionInfo>('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 } });
    for (const [pattern, why] of [
      ['(a)\\1', /Back-references .* linear time/],
      ['foo(?=bar)', /Look-arounds .* linear time/],
      ['(?<!x)y', /Look-arounds/],
      ['(unclosed', /The regex is not valid/],
    ] as const) {
      const r = (await backend.handle('rules.set', { sessionId: info.sessionId, rules: rule(pattern) })) as Result<unknown>;
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe('INVALID_ARGUMENT');
        expect(r.message).toMatch(why);
      }
    }
  });
});
