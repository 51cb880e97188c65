/**
 * The command table: one entry per command, its argument schema and (as a
 * type) what it answers. Both transports and the preload derive from this.
 */
import { z } from 'zod';
import {
  automationCommandSchemas,
  type CaptureInfo,
  type ExportInfo,
  type Profile,
  type ProfileSummary,
  type ScheduleInfo,
  type TransferInfo,
} from './automation';
import { logCommandSchemas, type LogBounds, type LogReadResult, type LogSearchResult } from './log';
import type { NetInterfaceAddress, SendReport, SessionInfo } from './model';
import type { RuleStat } from './rules';
import {
  hostSchema,
  peerIdSchema,
  sendPayloadSchema,
  sendTargetSchema,
  sessionConfigSchema,
  sessionIdSchema,
  sessionOptionsSchema,
} from './schemas';

const sid = { sessionId: sessionIdSchema };

export const commandSchemas = {
  /** List the machine's network interfaces and addresses. */
  'system.interfaces': z.object({}).strict(),
  /** Resolve a host name to its addresses. */
  'system.resolve': z.object({ host: hostSchema }).strict(),
  /** Create a session and start it (connect, listen or bind). */
  'session.open': z.object({ config: sessionConfigSchema }).strict(),
  /** Start a stopped session again with its current config. */
  'session.start': z.object(sid).strict(),
  /** Stop a session's sockets but keep the session (state → closed). */
  'session.stop': z.object(sid).strict(),
  /** Stop and remove a session. */
  'session.close': z.object(sid).strict(),
  /** All live sessions, so a reloaded UI can re-sync. */
  'session.list': z.object({}).strict(),
  /** Change options of a live session. */
  'session.update': z.object({ ...sid, options: sessionOptionsSchema }).strict(),
  /** Zero the session's and its peers' counters. */
  'session.resetCounters': z.object(sid).strict(),
  /** Encode and send a payload. Answers after the write callbacks. */
  'session.send': z
    .object({ ...sid, payload: sendPayloadSchema, target: sendTargetSchema.default({ kind: 'default' }) })
    .strict(),
  /** Disconnect one of a server's peers. */
  'peer.disconnect': z.object({ ...sid, peerId: peerIdSchema }).strict(),
  /** Join or leave a multicast group on a UDP session. */
  'udp.multicast': z
    .object({
      ...sid,
      action: z.enum(['join', 'leave']),
      group: z.string().trim().min(1).max(64),
      iface: z.string().trim().max(64).optional(),
    })
    .strict(),
  /** Encode a payload without sending it: the preview of the exact bytes. */
  'codec.preview': z.object({ payload: sendPayloadSchema }).strict(),
  ...automationCommandSchemas,
  ...logCommandSchemas,
} as const;

export type CommandName = keyof typeof commandSchemas;
export const COMMAND_NAMES = Object.keys(commandSchemas) as CommandName[];

export type CommandArgs<C extends CommandName> = z.output<(typeof commandSchemas)[C]>;
export type CommandInput<C extends CommandName> = z.input<(typeof commandSchemas)[C]>;

export interface CommandResults {
  'system.interfaces': NetInterfaceAddress[];
  'system.resolve': { address: string; family: 'IPv4' | 'IPv6' }[];
  'session.open': SessionInfo;
  'session.start': SessionInfo;
  'session.stop': SessionInfo;
  'session.close': null;
  'session.list': SessionInfo[];
  'session.update': SessionInfo;
  'session.resetCounters': SessionInfo;
  'session.send': SendReport;
  'peer.disconnect': null;
  'udp.multicast': SessionInfo;
  'codec.preview': { bytes: Uint8Array };
  'rules.set': SessionInfo;
  'rules.stats': RuleStat[];
  'periodic.start': ScheduleInfo;
  'sequence.start': ScheduleInfo;
  'schedule.stop': ScheduleInfo;
  'schedule.list': ScheduleInfo[];
  'transfer.begin': TransferInfo;
  'transfer.chunk': TransferInfo;
  'transfer.end': TransferInfo;
  'transfer.cancel': TransferInfo;
  'capture.start': CaptureInfo;
  'capture.stop': CaptureInfo;
  'export.start': ExportInfo;
  'spill.configure': { limitBytes: number };
  'profile.list': ProfileSummary[];
  'profile.get': Profile;
  'profile.save': ProfileSummary;
  'profile.delete': null;
  'profile.import': ProfileSummary;
  'profile.export': { json: string; fileName: string };
  'workspace.get': Profile | null;
  'workspace.save': null;
  'profile.apply': SessionInfo[];
  'log.read': LogReadResult;
  'log.search': LogSearchResult;
  'log.clear': LogBounds;
}

/** A request as it travels: one command and its (unvalidated) arguments. */
export interface CommandRequest<C extends CommandName = CommandName> {
  cmd: C;
  args: CommandInput<C>;
}

export const isCommandName = (s: unknown): s is CommandName =>
  typeof s === 'string' && Object.prototype.hasOwnProperty.call(commandSchemas, s);

