/**
 * A TLS client session's current handshake (SessionInfo.tls). Status events
 * do not carry it, so it is read from the engine once each time the session
 * becomes connected (session.list), or taken from a command's answer
 * (`take`, e.g. session.start's). Absent while not connected.
 */
import { ref, watch, type Ref } from 'vue';
import type { SessionInfo, TlsInfo } from '../../../shared/protocol';
import { useBridgeStore } from '../stores/bridge';

export function useSessionTls(session: Ref<SessionInfo | undefined>): { tls: Ref<TlsInfo | undefined>; take: (info: SessionInfo) => void } {
  const bridge = useBridgeStore();
  const tls = ref<TlsInfo | undefined>(session.value?.tls);
  let asked = 0;

  const take = (info: SessionInfo): void => {
    asked++;
    tls.value = info.state === 'connected' ? info.tls : undefined;
  };

  watch(
    () => {
      const s = session.value;
      if (!s || s.kind !== 'tcp-client' || !('tls' in s.config) || !s.config.tls) return '';
      // a new connection is a new status entry
      return `${s.sessionId}:${s.state}:${s.statusLog.length}:${s.statusLog[s.statusLog.length - 1]?.ts ?? 0}`;
    },
    async (key) => {
      const s = session.value;
      if (!key || !s || s.state !== 'connected') {
        tls.value = undefined;
        return;
      }
      if (s.tls) tls.value = s.tls;
      const mine = ++asked;
      const r = await bridge.request('session.list', {}, { silent: true });
      if (mine !== asked || !r.ok) return;
      const now = r.data.find((i) => i.sessionId === s.sessionId);
      tls.value = now?.state === 'connected' ? now.tls : undefined;
    },
    { immediate: true },
  );
  return { tls, take };
}
