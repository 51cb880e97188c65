/**
 * A built-in profile's server moves on to the
 * next free port when its own is taken, and session names are distinct.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { formatReason } from '../../shared/protocol/reason-format';
import { sessionConfigSchema, type SessionConfigInput } from '../../shared/protocol/schemas';
import { EventCollector, rejection } from '../../test/fixtures/net-helpers';
import { SessionManager } from './manager';
import { distinctName } from './session-names';
import { NEXT_FREE_TRIES } from './session-tcp-server';

const server = (c: Partial<SessionConfigInput> = {}) =>
  sessionConfigSchema.parse({ kind: 'tcp-server', host: '127.0.0.1', port: 0, ...c });

let mgr: SessionManager;
const blockers: Server[] = [];

/** Hold a loopback port (a real listener), so the engine finds it in use. */
function occupy(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ host: '127.0.0.1', port }, () => {
      blockers.push(s);
      resolve((s.address() as { port: number }).port);
    });
  });
}

/** A port whose next `n` neighbours are free too at the time asked (retried: other tests bind ports). */
async function freeRun(n: number): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await occupy();
    blockers.pop()?.close();
    if (p + n > 65_535) continue;
    const held: Server[] = [];
    try {
      for (let k = 1; k <= n; k++) {
        await occupy(p + k);
        held.push(blockers.pop() as Server);
      }
      return p;
    } catch {
      // a neighbour is taken: try another
    } finally {
      for (const s of held) s.close();
    }
  }
  throw new Error('no run of free ports');
}

beforeEach(() => {
  mgr = new SessionManager(new EventCollector().sink);
});
afterEach(async () => {
  await mgr.closeAll();
  for (const s of blockers.splice(0)) s.close();
});

describe('nextFreePort', () => {
  it('listens on the next free port when its own is taken, and says which and why', async () => {
    const wanted = await freeRun(2);
    await occupy(wanted);
    const info = await mgr.open(server({ port: wanted, nextFreePort: true }));
    expect(info.state).toBe('listening');
    expect(info.local?.port).toBe(wanted + 1);
    expect(info.config).toMatchObject({ port: wanted, nextFreePort: true });
    const last = info.statusLog.at(-1);
    expect(last?.why).toEqual({ key: 'status.listeningInstead', params: { addr: `127.0.0.1:${wanted + 1}`, wanted } });
    expect(last?.reason).toBe(formatReason(last!.why!));
    // no error entry for the port that was taken: the user sees one outcome
    expect(info.statusLog.some((h) => h.state === 'error')).toBe(false);
  });

  it('takes its own port when that is free (plain "Listening on")', async () => {
    const wanted = await freeRun(1);
    const info = await mgr.open(server({ port: wanted, nextFreePort: true }));
    expect(info.local?.port).toBe(wanted);
    expect(info.statusLog.at(-1)?.why?.key).toBe('status.listening');
  });

  it('without the option a port in use is still ADDRESS_IN_USE', async () => {
    const port = await occupy();
    const e = await rejection(mgr.open(server({ port })));
    expect(e.code).toBe('ADDRESS_IN_USE');
  });

  it(`gives up when the ${NEXT_FREE_TRIES} ports above are taken too: ADDRESS_IN_USE for the last one, no session`, async () => {
    const wanted = await freeRun(NEXT_FREE_TRIES);
    for (let p = wanted; p <= wanted + NEXT_FREE_TRIES; p++) await occupy(p);
    const e = await rejection(mgr.open(server({ port: wanted, nextFreePort: true })));
    expect(e.code).toBe('ADDRESS_IN_USE');
    expect(e.why).toMatchObject({ key: 'os.portInUse', params: { port: wanted + NEXT_FREE_TRIES } });
    expect(mgr.list()).toEqual([]);
  });
});

describe('distinct session names', () => {
  it('distinctName adds the first free " (n)"', () => {
    expect(distinctName('Echo', new Set())).toBe('Echo');
    expect(distinctName(' Echo ', new Set(['Echo']))).toBe('Echo (2)');
    expect(distinctName('Echo', new Set(['Echo', 'Echo (2)']))).toBe('Echo (3)');
    // a name that already ends in " (n)" counts from its base
    expect(distinctName('Echo (2)', new Set(['Echo', 'Echo (2)']))).toBe('Echo (3)');
    // case matters: these look different
    expect(distinctName('echo', new Set(['Echo']))).toBe('echo');
    // never longer than the schema's 100 characters
    const long = 'x'.repeat(100);
    expect(distinctName(long, new Set([long]))).toHaveLength(100);
  });

  it('a second session with the same name is opened as "name (2)", a third as "name (3)"', async () => {
    const a = await mgr.open(server({ name: 'Echo' }));
    const b = await mgr.open(server({ name: 'Echo' }));
    const c = await mgr.open(server({ name: 'Echo' }));
    expect([a.name, b.name, c.name]).toEqual(['Echo', 'Echo (2)', 'Echo (3)']);
    expect(c.config.name).toBe('Echo (3)');
  });

  it('unnamed sessions of one kind to the same place are told apart; a server and its client keep the address', async () => {
    const a = await mgr.open(server());
    const port = a.local?.port as number;
    const client = (n?: string) => sessionConfigSchema.parse({ kind: 'tcp-client', host: '127.0.0.1', port, ...(n ? { name: n } : {}) });
    const c1 = await mgr.open(client());
    const c2 = await mgr.open(client());
    expect(a.name).toBe(`127.0.0.1:${port}`);
    expect(c1.name).toBe(`127.0.0.1:${port}`);
    expect(c2.name).toBe(`127.0.0.1:${port} (2)`);
  });

  it('renaming to a name another session has gives a distinct one; keeping its own name changes nothing', async () => {
    const a = await mgr.open(server({ name: 'Alpha' }));
    const b = await mgr.open(server({ name: 'Beta' }));
    expect((await mgr.update(b.sessionId, { name: 'Alpha' })).name).toBe('Alpha (2)');
    expect((await mgr.update(a.sessionId, { name: 'Alpha' })).name).toBe('Alpha');
    // once the first is gone its name is free again
    await mgr.close(a.sessionId);
    expect((await mgr.open(server({ name: 'Alpha' }))).name).toBe('Alpha');
  });
});
