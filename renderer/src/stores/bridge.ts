/**
 * Holds the one Bridge (raw, never reactive) and its connection state, and
 * offers `request`: every command goes through it, and a failure is shown to
 * the user in their words unless the caller shows it itself (`silent`).
 */
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { AppNotice, CommandInput, CommandName, CommandResults, Err, NetInterfaceAddress, Result } from '../../../shared/protocol';
import type { Bridge, ConnectionState } from '../bridge/types';

/** How errors reach the screen; App.vue plugs in naive-ui's notification API. */
export interface Notifier {
  error(err: Err, context?: string): void;
  /** something the engine tells the user that belongs to no session */
  notice(notice: Exclude<AppNotice, { code: 'RESYNC' }>): void;
}

const consoleNotifier: Notifier = {
  error(e, context) {
    console.error(`[wirebench] ${context ? `${context}: ` : ''}${e.message} (${e.code})`);
  },
  notice(n) {
    console.warn(`[wirebench] ${n.code}: ${n.file} → ${n.movedTo} (${n.reason})`);
  },
};

/** The WebSocket bridge also reports a refused access token. */
interface AuthAware {
  onAuthError(cb: (error: { reason: string; message: string }) => void): () => void;
}

export interface RequestOptions {
  /** do not show a failure: the caller displays it (e.g. inside a dialog) */
  silent?: boolean;
  /** short label of what was attempted, shown as the notification title */
  context?: string;
}

export const useBridgeStore = defineStore('bridge', () => {
  const bridge = shallowRef<Bridge | null>(null);
  const state = ref<ConnectionState>('connecting');
  /** true once the transport has been open at least once */
  const everOpened = ref(false);
  /** serve mode: the host refused the page's access token (reconnecting will not help) */
  const authRejected = ref(false);
  let notifier: Notifier = consoleNotifier;
  let detach: (() => void) | null = null;

  const kind = computed(() => bridge.value?.kind ?? null);
  /** A download link for a file the engine wrote, or null (see Bridge.fileUrl). */
  const fileUrl = (folder: 'exports' | 'captures', name: string): string | null => bridge.value?.fileUrl(folder, name) ?? null;
  /** the socket dropped after having worked: the UI says "Reconnecting…" */
  const reconnecting = computed(() => everOpened.value && state.value !== 'open');

  /** Install the transport. Listeners for its state are added here once. */
  function attach(b: Bridge): void {
    detach?.();
    bridge.value = markRaw(b);
    state.value = 'connecting';
    authRejected.value = false;
    const offState = b.onConnection((s) => {
      state.value = s;
      if (s === 'open') {
        everOpened.value = true;
        authRejected.value = false;
      }
    });
    const auth = (b as Partial<AuthAware>).onAuthError;
    const offAuth = typeof auth === 'function' ? auth.call(b, () => (authRejected.value = true)) : null;
    detach = () => {
      offState();
      offAuth?.();
    };
  }

  function setNotifier(n: Notifier | null): void {
    notifier = n ?? consoleNotifier;
  }

  function notifyError(e: Err, context?: string): void {
    notifier.error(e, context);
  }

  function notifyNotice(n: Exclude<AppNotice, { code: 'RESYNC' }>): void {
    notifier.notice(n);
  }

  async function request<C extends CommandName>(
    cmd: C,
    args: CommandInput<C>,
    opts: RequestOptions = {},
  ): Promise<Result<CommandResults[C]>> {
    const b = bridge.value;
    let result: Result<CommandResults[C]>;
    if (!b) {
      result = { ok: false, code: 'INTERNAL', message: 'Wirebench is not connected to its engine yet.' };
    } else {
      try {
        result = await b.request(cmd, args);
      } catch (e) {
        // a Bridge must not throw; if one does, it still becomes a Result
        result = { ok: false, code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
      }
    }
    if (!result.ok && !opts.silent) notifyError(result, opts.context);
    return result;
  }

  /** The machine's interface addresses, fetched on demand and cached. */
  const interfaces = shallowRef<NetInterfaceAddress[]>([]);
  let interfacesAt = 0;
  async function loadInterfaces(maxAgeMs = 10_000): Promise<NetInterfaceAddress[]> {
    if (interfaces.value.length && Date.now() - interfacesAt < maxAgeMs) return interfaces.value;
    const r = await request('system.interfaces', {}, { silent: true });
    if (r.ok) {
      interfaces.value = r.data;
      interfacesAt = Date.now();
    }
    return interfaces.value;
  }

  return {
    bridge,
    state,
    everOpened,
    kind,
    fileUrl,
    reconnecting,
    authRejected,
    interfaces,
    attach,
    setNotifier,
    notifyError,
    notifyNotice,
    request,
    loadInterfaces,
  };
});
