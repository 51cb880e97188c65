/** Session infos for the automation and profile store tests. */
import { zeroCounters, type NetEvent, type SessionInfo } from '../../../shared/protocol';

export function serverInfo(sessionId: string, createdAt = Number(sessionId.replace(/\D/g, '')) || 1): SessionInfo {
  return {
    sessionId,
    kind: 'tcp-server',
    name: sessionId,
    config: { kind: 'tcp-server', host: '127.0.0.1', port: 0, maxClients: 0, noDelay: true, keepAlive: false, rxEncoding: 'utf-8', framing: { kind: 'raw' } },
    state: 'listening',
    statusLog: [],
    peers: [],
    counters: zeroCounters(),
    groups: [],
    createdAt,
  };
}

export const openedEvent = (info: SessionInfo): NetEvent => ({ type: 'session.opened', ts: 1, sessionId: info.sessionId, info });
