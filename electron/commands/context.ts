/**
 * What command handlers get to work with, and the shape of a handler module.
 * One module per domain (sessions, automation, data, log), merged by the
 * dispatcher.
 */
import type { CommandArgs, CommandName, CommandResults, NetEvent } from '../../shared/protocol';
import type { SessionManager } from '../net/manager';
import type { Recorder } from '../record/recorder';
import type { RecordStore } from '../record/records';

export interface CommandContext {
  manager: SessionManager;
  /** every session's record (the log) */
  records: RecordStore;
  /** raw capture and exports */
  recorder: Recorder;
  /** Folder for captures, exports, records and profiles. */
  dataDir: string;
  /** Push an event to every client. */
  emit(event: NetEvent): void;
}

export type Handler<C extends CommandName> = (args: CommandArgs<C>) => Promise<CommandResults[C]> | CommandResults[C];
export type Handlers<K extends CommandName = CommandName> = { [C in K]: Handler<C> };

export interface HandlerModule<K extends CommandName> {
  handlers: Handlers<K>;
}
