/**
 * The preload exposes one named function per command (never a channel-name
 * passthrough). This table names them; the IPC bridge uses the same table.
 * Kept free of runtime imports so the sandboxed preload stays tiny.
 */
import type { CommandInput, CommandName, CommandResults } from './commands';
import type { Result } from './errors';
import type { NetEvent } from './events';
export const COMMAND_METHODS = {
  'system.interfaces': 'listInterfaces',
  'system.resolve': 'resolveHost',
  'session.open': 'openSession',
  'session.start': 'startSession',
  'session.stop': 'stopSession',
  'session.close': 'closeSession',
  'session.list': 'listSessions',
  'session.update': 'updateSession',
  'session.resetCounters': 'resetCounters',
  'session.send': 'send',
  'peer.disconnect': 'disconnectPeer',
  'udp.multicast': 'multicast',
  'codec.preview': 'previewPayload',
  'rules.set': 'setRules',
  'rules.stats': 'ruleStats',
  'periodic.start': 'startPeriodic',
  'sequence.start': 'startSequence',
  'schedule.stop': 'stopSchedule',
  'schedule.list': 'listSchedules',
  'transfer.begin': 'beginTransfer',
  'transfer.chunk': 'transferChunk',
  'transfer.end': 'endTransfer',
  'transfer.cancel': 'cancelTransfer',
  'capture.start': 'startCapture',
  'capture.stop': 'stopCapture',
  'export.start': 'startExport',
  'spill.configure': 'configureSpill',
  'profile.list': 'listProfiles',
  'profile.get': 'getProfile',
  'profile.save': 'saveProfile',
  'profile.delete': 'deleteProfile',
  'profile.import': 'importProfile',
  'profile.export': 'exportProfile',
  'workspace.get': 'getWorkspace',
  'workspace.save': 'saveWorkspace',
  'profile.apply': 'applyProfile',
  'log.read': 'readLog',
  'log.search': 'searchLog',
  'log.clear': 'clearLog',
} as const satisfies Record<CommandName, string>;

export type CommandMethod = (typeof COMMAND_METHODS)[CommandName];

/** What the preload puts on `window.wirebench`. */
export type PreloadApi = {
  readonly [C in CommandName as (typeof COMMAND_METHODS)[C]]: (
    args: CommandInput<C>,
  ) => Promise<Result<CommandResults[C]>>;
} & {
  /** Subscribe to event batches; returns an unsubscribe function. */
  readonly onEvents: (cb: (events: NetEvent[]) => void) => () => void;
  readonly platform: string;
};
