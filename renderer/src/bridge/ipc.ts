/**
 * The Electron transport: the preload's API (`window.wirebench`), whose
 * `request` carries a command to the main process. Whatever goes wrong
 * becomes an INTERNAL Result.
 */
import { err } from '../../../shared/protocol';
import type { CommandInput, CommandName, CommandResults, PreloadApi, Result } from '../../../shared/protocol';
import type { Bridge, ConnectionState } from './types';

export function createIpcBridge(api: PreloadApi): Bridge {
  return {
    kind: 'ipc',
    async request<C extends CommandName>(cmd: C, args: CommandInput<C>): Promise<Result<CommandResults[C]>> {
      try {
        const result: unknown = await api.request(cmd, args);
        if (!result || typeof result !== 'object' || typeof (result as { ok?: unknown }).ok !== 'boolean') {
          return err('INTERNAL', `The app got no valid answer to “${cmd}”.`);
        }
        return result as Result<CommandResults[C]>;
      } catch (e) {
        return err('INTERNAL', e instanceof Error ? e.message : String(e));
      }
    },
    onEvents(cb) {
      return api.onEvents(cb);
    },
    fileUrl: () => null,
    onConnection(cb: (state: ConnectionState) => void) {
      // IPC is up as soon as the preload exists; report it asynchronously like ws.
      let live = true;
      queueMicrotask(() => {
        if (live) cb('open');
      });
      return () => {
        live = false;
      };
    },
  };
}
