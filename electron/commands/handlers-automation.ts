/** Reply rules, periodic sends, sequences and file transfers. */
import type { CommandContext, HandlerModule } from './context';

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

export function automationModule({ manager }: CommandContext): HandlerModule<AutomationCommand> {
  return {
    handlers: {
      'rules.set': ({ sessionId, rules }) => manager.setRules(sessionId, rules),
      'rules.stats': ({ sessionId }) => manager.ruleStats(sessionId),
      'periodic.start': (args) => manager.startPeriodic(args),
      'sequence.start': (args) => manager.startSequence(args),
      'schedule.stop': ({ sessionId, scheduleId }) => manager.stopSchedule(sessionId, scheduleId),
      'schedule.list': ({ sessionId }) => manager.listSchedules(sessionId),
      'transfer.begin': (args) => manager.beginTransfer(args),
      'transfer.chunk': ({ transferId, bytes }) => manager.transferChunk(transferId, bytes),
      'transfer.end': ({ transferId }) => manager.endTransfer(transferId),
      'transfer.cancel': ({ transferId }) => manager.cancelTransfer(transferId),
    },
  };
}
