/** A counters event carries the session's totals and only the peers that changed: 1,000 clients cost 1 per event, not 1,000. */
import { createConnection, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import type { CountersEvent, EngineEvent } from '../../shared/protocol';
import { tcpServerConfigSchema } from '../../shared/protocol/schemas';
import { SessionManager } from './manager';
import { poll as until } from '../../test/fixtures/net-helpers';

let manager: SessionManager | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await manager?.closeAll();
  manager = undefined;
});


it('sends only the counters of the peers whose traffic changed', async () => {
  const events: EngineEvent[] = [];
  manager = new SessionManager((e) => events.push(e));
  const info = await manager.open(tcpServerConfigSchema.parse({ kind: 'tcp-server', host: '127.0.0.1', port: 0 }));
  for (let i = 0; i < 50; i++) {
    const s = createConnection({ host: '127.0.0.1', port: info.local!.port });
    sockets.push(s);
    await new Promise((r) => s.once('connect', r));
  }
  await until(() => manager!.info(info.sessionId).peers.length === 50);
  const talker = sockets[7]!;
  talker.write('hello');
  await until(() => manager!.info(info.sessionId).counters.rxBytes === 5);
  await until(() => events.some((e) => e.type === 'counters' && e.counters.rxBytes === 5));
  const ev = events.filter((e): e is CountersEvent => e.type === 'counters' && e.counters.rxBytes === 5)[0]!;
  const ids = Object.keys(ev.peers);
  expect(ids).toHaveLength(1);
  expect(ev.peers[ids[0]!]).toMatchObject({ rxBytes: 5, rxMessages: 1 });
});
