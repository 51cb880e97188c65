/**
 * One entry of the command table: the schema its arguments must pass and
 * (as a type only) what it answers. Written `command(schema).returns<T>()`,
 * so a command's contract is one line in one place.
 */
import type { z } from 'zod';

export interface CommandDef<S extends z.ZodType = z.ZodType, R = unknown> {
  /** validates (and fills the defaults of) the arguments at the Node boundary */
  readonly args: S;
  /** never set: carries the result type */
  readonly result?: R;
}

export function command<S extends z.ZodType>(args: S): { returns<R>(): CommandDef<S, R> } {
  return { returns: <R>() => ({ args }) as CommandDef<S, R> };
}

/** The result type of a table entry. */
export type ResultOf<D> = D extends CommandDef<z.ZodType, infer R> ? R : never;
