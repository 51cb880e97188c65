/**
 * validate → dispatch → Result. The one place where untrusted command input
 * from either transport meets the engine. Never throws.
 */
import type { z } from 'zod';
import { commands, describeIssue, err, isCommandName, ok, say, WbError, type Reason, type Result } from '../../shared/protocol';
import type { Handlers } from './context';

/** "config.port: port must be between 1 and 65535" — first issue, in words, with its field and Reason. */
function describeZodError(error: z.ZodError): { message: string; field?: string; why: Reason } {
  return describeIssue(error.issues, say('schema.invalid'));
}

export type Dispatcher = (cmd: unknown, args: unknown) => Promise<Result<unknown>>;

export function createDispatcher(handlers: Handlers): Dispatcher {
  return async (cmd, args) => {
    if (!isCommandName(cmd)) {
      return err('UNKNOWN_COMMAND', say('schema.unknownCommand', { cmd: typeof cmd === 'string' ? cmd.slice(0, 64) : typeof cmd }));
    }
    const parsed = commands[cmd].args.safeParse(args ?? {});
    if (!parsed.success) {
      const { message, field, why } = describeZodError(parsed.error);
      return { ...err('INVALID_ARGUMENT', message, field ? { field } : undefined), why };
    }
    try {
      const handler = handlers[cmd] as (a: unknown) => Promise<unknown> | unknown;
      return ok(await handler(parsed.data));
    } catch (e) {
      if (e instanceof WbError) return e.toResult();
      const message = e instanceof Error ? e.message : String(e);
      return err('INTERNAL', say('internal', { message }));
    }
  };
}
