/** A scriptable Bridge for store tests: canned answers per command, events and states pushed by hand. */
import { err } from '../../../shared/protocol';
import type { CommandInput, CommandName, CommandResults, NetEvent, Result } from '../../../shared/protocol';
import type { Bridge, ConnectionState } from '../bridge/types';

/** A canned answer, or a promise of one (to hold a request pending). */
type Handler<C extends CommandName> = (args: CommandInput<C>) => Result<CommandResults[C]> | Promise<Result<CommandResults[C]>>;

export class FakeBridge implements Bridge {
  readonly kind = 'ws' as const;
  readonly calls: { cmd: CommandName; args: unknown }[] = [];
  private handlers = new Map<CommandName, (args: unknown) => Result<unknown> | Promise<Result<unknown>>>();
  private eventCbs = new Set<(events: NetEvent[]) => void>();
  private stateCbs = new Set<(s: ConnectionState) => void>();

  on<C extends CommandName>(cmd: C, h: Handler<C>): this {
    this.handlers.set(cmd, h as (args: unknown) => Result<unknown> | Promise<Result<unknown>>);
    return this;
  }

  request<C extends CommandName>(cmd: C, args: CommandInput<C>): Promise<Result<CommandResults[C]>> {
    this.calls.push({ cmd, args });
    const h = this.handlers.get(cmd);
    const r = h ? h(args) : err('UNKNOWN_COMMAND', `no fake answer for ${cmd}`);
    return Promise.resolve(r as Result<CommandResults[C]> | Promise<Result<CommandResults[C]>>);
  }

  onEvents(cb: (events: NetEvent[]) => void): () => void {
    this.eventCbs.add(cb);
    return () => this.eventCbs.delete(cb);
  }

  onConnection(cb: (state: ConnectionState) => void): () => void {
    this.stateCbs.add(cb);
    return () => this.stateCbs.delete(cb);
  }

  emit(events: NetEvent[]): void {
    for (const cb of this.eventCbs) cb(events);
  }

  setState(s: ConnectionState): void {
    for (const cb of this.stateCbs) cb(s);
  }

  callsOf(cmd: CommandName): unknown[] {
    return this.calls.filter((c) => c.cmd === cmd).map((c) => c.args);
  }
}
