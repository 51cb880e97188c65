/**
 * The Electron transport: the preload's fixed, named API (`window.wirebench`).
 * One method per command, looked up in COMMAND_METHODS, so no channel names
 * are repeated here. Whatever goes wrong becomes an INTERNAL Result.
 */
import { COMMAND_METHODS, err } from '../../../shared/protocol';
import type { CommandInput, CommandName, CommandResults, PreloadApi, Result } from '../../../shared/protocol';
import type { Bridge, ConnectionState } from './types';

type AnyMethod = (args: unknown) => Promise<Result<unknown>>;

export function createIpcBridge(api: PreloadApi): Bridge {
  return {
    kind: 'ipc',
    async request<C extends CommandName>(cmd: C, args: CommandInput<C>): Promise<Result<CommandResults[C]>> {
      try {
        const method = (api as unknown as Record<string, AnyMethod | undefined>)[COMMAND_METHODS[cmd]];
        if (typeof method !== 'function') return err('INTERNAL', `The app cannot run “${cmd}”: the command is missing.`);
        const result = await method(args);
        if (!result || typeof result !== 'object' || typeof result.ok !== 'boolean') {
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
