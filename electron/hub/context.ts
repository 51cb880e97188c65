/**
 * What command handlers get to work with, and the shape of a handler module.
 * One module per domain (sessions, automation, data), merged by dispatch.ts.
 */
import type { CommandArgs, CommandName, CommandResults, NetEvent } from '../../shared/protocol';
import type { SessionManager } from '../net/manager';

export interface HubContext {
  manager: SessionManager;
  /** Folder for captures, exports, spill logs and profiles. */
  dataDir: string;
  /** Push an event to every client as if the engine had emitted it. */
  emit(event: NetEvent): void;
}

export type Handler<C extends CommandName> = (args: CommandArgs<C>) => Promise<CommandResults[C]> | CommandResults[C];
export type Handlers<K extends CommandName = CommandName> = { [C in K]: Handler<C> };

export interface HandlerModule<K extends CommandName> {
  handlers: Handlers<K>;
  /** Sees every engine event before the clients do (capture, spill log). */
  onEvent?(event: NetEvent): void;
  /** Release files and timers when the hub goes. */
  dispose?(): Promise<void>;
}
