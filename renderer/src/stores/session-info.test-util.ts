/**
 * SessionInfo for renderer tests, built from the protocol's own schema: the
 * config is `sessionConfigSchema.parse(input)`, so every default a test does
 * not name is the engine's.
 */
import { sessionConfigSchema, zeroCounters, type SessionConfigInput, type SessionInfo, type SessionState } from '../../../shared/protocol';

const RUNNING: Record<SessionInfo['kind'], SessionState> = { 'tcp-client': 'connected', 'tcp-server': 'listening', udp: 'open' };

/** A running session of `config`'s kind (`s1` unless `extra.sessionId` says otherwise). */
export function sessionInfo(config: SessionConfigInput, extra: Partial<SessionInfo> = {}): SessionInfo {
  const parsed = sessionConfigSchema.parse(config);
  const sessionId = extra.sessionId ?? 's1';
  return {
    sessionId,
    kind: parsed.kind,
    name: sessionId,
    config: parsed,
    state: RUNNING[parsed.kind],
    statusLog: [],
    peers: [],
    counters: zeroCounters(),
    groups: [],
    createdAt: Number(sessionId.replace(/\D/g, '')) || 1,
    ...extra,
  };
}
