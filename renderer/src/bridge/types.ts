/**
 * The renderer's only door to Node. Two implementations: the preload's IPC
 * API under Electron (ipc.ts) and a WebSocket client in serve mode (ws.ts).
 */
import type { CommandInput, CommandName, CommandResults, NetEvent, Result } from '../../../shared/protocol';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface Bridge {
  readonly kind: 'ipc' | 'ws';
  /** Send one command; always resolves with a Result, never rejects. */
  request<C extends CommandName>(cmd: C, args: CommandInput<C>): Promise<Result<CommandResults[C]>>;
  /** Batches of events, in order. Returns an unsubscribe function. */
  onEvents(cb: (events: NetEvent[]) => void): () => void;
  /**
   * Transport state. ws: 'closed' after a drop, then 'connecting' and 'open'
   * again on reconnect; the app re-syncs with session.list on every 'open'.
   * ipc: 'open' at once.
   */
  onConnection(cb: (state: ConnectionState) => void): () => void;
  /**
   * Where the page can download a file the engine wrote (a capture or an
   * export), or null when it cannot (Electron: the file is on this machine,
   * its path is shown instead).
   */
  fileUrl(folder: 'exports' | 'captures', name: string): string | null;
}
