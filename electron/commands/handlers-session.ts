/** Sessions, peers, UDP multicast, system queries and the send preview. */
import type { SessionInfo, sessionCommands } from '../../shared/protocol';
import { encodePayload } from '../net/payload';
import { listInterfaces, resolveHost } from '../net/system';
import type { CommandContext, HandlerModule } from './context';

/** What the record and the recorder know about a session (capture files, the log) that the engine does not. */
export type SessionExtras = (sessionId: string) => Partial<SessionInfo>;

export function sessionModule({ manager }: CommandContext, extras: SessionExtras): HandlerModule<keyof typeof sessionCommands> {
  return {
    handlers: {
      'system.interfaces': () => listInterfaces(),
      'system.resolve': ({ host }) => resolveHost(host),
      // a TCP client is kept when its device is down: the user connects once it is up
      'session.open': ({ config }) => manager.open(config, { keepOnFailure: config.kind === 'tcp-client' }),
      'session.start': ({ sessionId }) => manager.start(sessionId),
      'session.stop': ({ sessionId }) => manager.stop(sessionId),
      'session.close': async ({ sessionId }) => {
        await manager.close(sessionId);
        return null;
      },
      // the list re-syncs a reloaded UI, so it carries everything the UI shows about a session
      'session.list': () => manager.list().map((info) => ({ ...info, ...extras(info.sessionId) })),
      'session.update': ({ sessionId, options }) => manager.update(sessionId, options),
      'session.resetCounters': ({ sessionId }) => manager.resetCounters(sessionId),
      'session.send': ({ sessionId, payload, target }) => manager.send(sessionId, payload, target),
      'peer.disconnect': async ({ sessionId, peerId }) => {
        await manager.disconnectPeer(sessionId, peerId);
        return null;
      },
      'udp.multicast': ({ sessionId, action, group, iface }) => manager.multicast(sessionId, action, group, iface),
      'codec.preview': ({ payload }) => ({ bytes: encodePayload(payload) }),
    },
  };
}
