/** Reply rules, periodic sends, sequences and file transfers. */
import { WbError } from '../../shared/protocol';
import type { HandlerModule, HubContext } from './context';

export type AutomationCommand =
  | 'rules.set'
  | 'rules.stats'
  | 'periodic.start'
  | 'sequence.start'
  | 'schedule.stop'
  | 'schedule.list'
  | 'transfer.begin'
  | 'transfer.chunk'
  | 'transfer.end'
  | 'transfer.cancel';

const pending = (): never => {
  throw new WbError('INTERNAL', 'This command is not available in this build yet');
};

export function automationModule(_ctx: HubContext): HandlerModule<AutomationCommand> {
  return {
    handlers: {
      'rules.set': pending,
      'rules.stats': pending,
      'periodic.start': pending,
      'sequence.start': pending,
      'schedule.stop': pending,
      'schedule.list': pending,
      'transfer.begin': pending,
      'transfer.chunk': pending,
      'transfer.end': pending,
      'transfer.cancel': pending,
    },
  };
}
