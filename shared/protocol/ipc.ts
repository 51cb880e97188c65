/** Electron IPC channel names, named by direction. Only main and preload use them. */
export const IPC_CHANNELS = {
  /** renderer → main, invoke: (cmd: CommandName, args: unknown) → Result */
  command: 'wirebench:renderer->main:command',
  /** main → renderer, send: NetEvent[] batch */
  events: 'wirebench:main->renderer:events',
} as const;
