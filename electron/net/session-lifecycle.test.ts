/**
 * A session closed while it is still opening: open() must settle (never hang
 * a command), close() must finish, and no listening socket may be left behind.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionConfigSchema, type SessionConfigInput } from '../../shared/protocol/schemas';
import { EventCollector, poll } from '../../test/fixtures/net-helpers';
import { SessionManager } from './manager';

let rec: EventCollector;
let mgr: SessionManager;

beforeEach(() => {
  rec = new EventCollector();
  mgr = new SessionManager(rec.sink);
});
afterEach(async () => {
  await mgr.closeAll();
});

/** Settles within `ms`, or says it hung. */
function settled(p: Promise<unknown>, ms = 2000): Promise<string> {
  return Promise.race([
    p.then(
      () => 'resolved',
      (e: { code?: string }) => `rejected ${e.code ?? ''}`,
    ),
    new Promise<string>((r) => setTimeout(() => r('hung'), ms).unref()),
  ]);
}

const listeners = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'UDPWrap').length;

const cases: Array<[string, SessionConfigInput]> = [
  ['tcp-server on 127.0.0.1', { kind: 'tcp-server', host: '127.0.0.1', port: 0 }],
  ['tcp-server on localhost (resolved first)', { kind: 'tcp-server', host: 'localhost', port: 0 }],
  ['udp on 127.0.0.1', { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0 }],
  ['udp on localhost (resolved first)', { kind: 'udp', bindAddress: 'localhost', bindPort: 0 }],
];

describe('closing a session while it opens', () => {
  for (const [label, input] of cases) {
    it(`${label}: open() fails at once, close() finishes, no socket is left open`, async () => {
      const before = listeners();
      const opening = mgr.open(sessionConfigSchema.parse(input));
      const closing = mgr.close('s1');
      expect(await settled(opening)).toMatch(/^rejected /);
      expect(await settled(closing)).toBe('resolved');
      expect(mgr.list()).toEqual([]);
      expect(rec.of('session.opened')).toEqual([]);
      // a late 'listening' (after a name lookup) must close its socket again
      await new Promise((r) => setTimeout(r, 100));
      await poll(() => listeners() <= before, 2000, 'no listening socket left behind');
    });
  }
});
