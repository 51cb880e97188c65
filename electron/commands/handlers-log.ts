/** The session log: windows by seq, search and the view start, all read from the record. */
import { CodecError } from '../../shared/codec/types';
import { say, WbError, type logCommands } from '../../shared/protocol';
import type { CommandContext, HandlerModule } from './context';

export function logModule({ records }: CommandContext): HandlerModule<keyof typeof logCommands> {
  return {
    handlers: {
      'log.read': (args) => records.read(args),
      'log.search': async (args) => {
        try {
          return await records.search(args);
        } catch (e) {
          if (e instanceof CodecError) {
            throw new WbError('INVALID_ARGUMENT', say('schema.searchQuery', { why: e.why ?? say('plain', { text: e.message }) }), { field: 'filter.query' });
          }
          throw e;
        }
      },
      'log.clear': ({ sessionId }) => records.clear(sessionId),
    },
  };
}
