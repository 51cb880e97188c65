/** Electron IPC channel names, named by direction. Only main and preload use them. */
export const IPC_CHANNELS = {
  /** renderer → main, invoke: (cmd: CommandName, args: unknown) → Result */
  command: 'wirebench:renderer->main:command',
  /** main → renderer, send: (NetEvent[] batch, seq: number) */
  events: 'wirebench:main->renderer:events',
  /** renderer → main, send: seq of the last batch the page has processed (flow control) */
  ack: 'wirebench:renderer->main:ack',
} as const;
