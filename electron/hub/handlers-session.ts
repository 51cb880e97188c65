/** Sessions, peers, UDP multicast, system queries and the send preview. */
import { encodePayload } from '../net/payload';
import { listInterfaces, resolveHost } from '../net/system';
import type { HandlerModule, HubContext } from './context';

export type SessionCommand =
  | 'system.interfaces'
  | 'system.resolve'
  | 'session.open'
  | 'session.start'
  | 'session.stop'
  | 'session.close'
  | 'session.list'
  | 'session.update'
  | 'session.resetCounters'
  | 'session.send'
  | 'peer.disconnect'
  | 'udp.multicast'
  | 'codec.preview';

export function sessionModule({ manager }: HubContext): HandlerModule<SessionCommand> {
  return {
    handlers: {
      'system.interfaces': () => listInterfaces(),
      'system.resolve': ({ host }) => resolveHost(host),
      'session.open': ({ config }) => manager.open(config),
      'session.start': ({ sessionId }) => manager.start(sessionId),
      'session.stop': ({ sessionId }) => manager.stop(sessionId),
      'session.close': async ({ sessionId }) => {
        await manager.close(sessionId);
        return null;
      },
      'session.list': () => manager.list(),
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
