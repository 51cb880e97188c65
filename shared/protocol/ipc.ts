import type { CommandInput, CommandName, CommandResults } from './commands';
import type { Result } from './errors';
import type { NetEvent } from './events';

export type { NetEvent };

/** Electron IPC channel names, named by direction. Only main and preload use them. */
export const IPC_CHANNELS = {
  /** renderer → main, invoke: (cmd: CommandName, args: unknown) → Result */
  command: 'wirebench:renderer->main:command',
  /** main → renderer, send: (NetEvent[] batch, batchNo: number), batchNo counting 1, 2, 3… per window */
  events: 'wirebench:main->renderer:events',
  /** renderer → main, send: the batchNo of the last batch the page has processed (flow control) */
  ack: 'wirebench:renderer->main:ack',
} as const;

/**
 * What the preload puts on `window.wirebench`: one generic `request` (the
 * main process validates the command name and its arguments against the
 * command table, as the WebSocket server does), the event subscription and
 * the platform. No channel names, no ipcRenderer.
 */
export interface PreloadApi {
  readonly request: <C extends CommandName>(cmd: C, args: CommandInput<C>) => Promise<Result<CommandResults[C]>>;
  /** Subscribe to event batches; returns an unsubscribe function. */
  readonly onEvents: (cb: (events: NetEvent[]) => void) => () => void;
  readonly platform: string;
}
