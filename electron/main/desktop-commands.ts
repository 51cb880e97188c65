/**
 * The desktop-only commands (shared/protocol/desktop.ts) as the IPC adapter
 * serves them: validated with their schema from the command table, then
 * answered here in the main process (they never reach the engine's
 * dispatcher). Never throws: every outcome is a Result.
 */
import {
  desktopCommands,
  describeIssue,
  err,
  say,
  type CommandArgs,
  type CommandResults,
  type DesktopCommandName,
  type Result,
} from '../../shared/protocol';

export type DesktopHandlers = {
  [C in DesktopCommandName]: (args: CommandArgs<C>) => Promise<Result<CommandResults[C]>> | Result<CommandResults[C]>;
};

export type DesktopDispatcher = (cmd: DesktopCommandName, args: unknown) => Promise<Result<unknown>>;

export function createDesktopDispatcher(handlers: DesktopHandlers): DesktopDispatcher {
  return async (cmd, args) => {
    const parsed = desktopCommands[cmd].args.safeParse(args ?? {});
    if (!parsed.success) {
      const { message, field, why } = describeIssue(parsed.error.issues, say('schema.invalid'));
      return { ...err('INVALID_ARGUMENT', message, field ? { field } : undefined), why };
    }
    try {
      const handler = handlers[cmd] as (a: unknown) => Promise<Result<unknown>> | Result<unknown>;
      return await handler(parsed.data);
    } catch (e) {
      return err('INTERNAL', say('internal', { message: e instanceof Error ? e.message : String(e) }));
    }
  };
}
