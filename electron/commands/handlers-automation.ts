/** Reply rules, periodic sends, sequences and file transfers. */
import type { automationCommands } from '../../shared/protocol';
import type { CommandContext, HandlerModule } from './context';
import { encodePayload } from '../net/payload';
import { tryRules } from '../net/rules-try';

export function automationModule({ manager }: CommandContext): HandlerModule<keyof typeof automationCommands> {
  return {
    handlers: {
      'rules.set': ({ sessionId, rules }) => manager.setRules(sessionId, rules),
      'rules.stats': ({ sessionId }) => manager.ruleStats(sessionId),
      'rules.hits': ({ sessionId, peer }) => manager.ruleHits(sessionId, peer),
      'rules.try': ({ sessionId, rules, framing, messages }) => {
        const { config } = manager.info(sessionId);
        return tryRules(rules, config.rxEncoding, framing ?? config.framing, messages.map((m) => encodePayload(m)));
      },
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
