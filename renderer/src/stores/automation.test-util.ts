/** Session infos for the automation and profile store tests. */
import { type NetEvent, type SessionInfo } from '../../../shared/protocol';
import { sessionInfo } from './session-info.test-util';

export function serverInfo(sessionId: string, createdAt = Number(sessionId.replace(/\D/g, '')) || 1): SessionInfo {
  return sessionInfo({ kind: 'tcp-server', host: '127.0.0.1', port: 0 }, { sessionId, createdAt });
}

export const openedEvent = (info: SessionInfo): NetEvent => ({ type: 'session.opened', ts: 1, sessionId: info.sessionId, info });
