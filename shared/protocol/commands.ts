/**
 * The command table: one entry per command, with the schema its arguments
 * must pass and (as a type) what it answers. Grouped by domain; each group
 * is served by one handler module in electron/commands/. Both transports,
 * the dispatcher and the bridges derive from this table.
 */
import { z } from 'zod';
import { automationCommands } from './automation';
import { command, type ResultOf } from './command-def';
import { desktopCommands } from './desktop';
import { logCommands } from './log';
import type { NetInterfaceAddress, SendReport, SessionInfo } from './model';
import { profileCommands } from './profiles';
import { recordingCommands } from './recording';
import { tlsCommands } from './tls';
import { udpCommands } from './udp-commands';
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

/** Sessions, peers, UDP multicast, system queries and the send preview. */
export const sessionCommands = {
  /** List the machine's network interfaces and addresses. */
  'system.interfaces': command(z.object({}).strict()).returns<NetInterfaceAddress[]>(),
  /** Resolve a host name to its addresses. */
  'system.resolve': command(z.object({ host: hostSchema }).strict()).returns<{ address: string; family: 'IPv4' | 'IPv6' }[]>(),
  /** Create a session and start it (connect, listen or bind). */
  'session.open': command(z.object({ config: sessionConfigSchema }).strict()).returns<SessionInfo>(),
  /** Start a stopped session again with its current config. */
  'session.start': command(z.object(sid).strict()).returns<SessionInfo>(),
  /** Stop a session's sockets but keep the session (state → closed). */
  'session.stop': command(z.object(sid).strict()).returns<SessionInfo>(),
  /** Stop and remove a session. */
  'session.close': command(z.object(sid).strict()).returns<null>(),
  /** All live sessions, so a reloaded UI can re-sync. */
  'session.list': command(z.object({}).strict()).returns<SessionInfo[]>(),
  /** Change options of a live session. */
  'session.update': command(z.object({ ...sid, options: sessionOptionsSchema }).strict()).returns<SessionInfo>(),
  /** Zero the session's and its peers' counters. */
  'session.resetCounters': command(z.object(sid).strict()).returns<SessionInfo>(),
  /** Encode and send a payload. Answers after the write callbacks. */
  'session.send': command(
    z.object({ ...sid, payload: sendPayloadSchema, target: sendTargetSchema.default({ kind: 'default' }) }).strict(),
  ).returns<SendReport>(),
  /** Disconnect one of a server's peers. */
  'peer.disconnect': command(z.object({ ...sid, peerId: peerIdSchema }).strict()).returns<null>(),
  /** Join or leave a multicast group on a UDP session. */
  'udp.multicast': command(
    z
      .object({
        ...sid,
        action: z.enum(['join', 'leave']),
        group: z.string().trim().min(1).max(64),
        iface: z.string().trim().max(64).optional(),
      })
      .strict(),
  ).returns<SessionInfo>(),
  /** Encode a payload without sending it: the preview of the exact bytes. */
  'codec.preview': command(z.object({ payload: sendPayloadSchema }).strict()).returns<{ bytes: Uint8Array }>(),
} as const;

export const commands = {
  ...sessionCommands,
  ...automationCommands,
  ...recordingCommands,
  ...profileCommands,
  ...logCommands,
  ...tlsCommands,
  ...udpCommands,
  /** desktop app only (the IPC transport answers them; serve mode refuses them) */
  ...desktopCommands,
} as const;

type Table = typeof commands;
export type CommandName = keyof Table;
export const COMMAND_NAMES = Object.keys(commands) as CommandName[];

export type CommandArgs<C extends CommandName> = z.output<Table[C]['args']>;
export type CommandInput<C extends CommandName> = z.input<Table[C]['args']>;
export type CommandResults = { [C in CommandName]: ResultOf<Table[C]> };

/** A request as it travels: one command and its (unvalidated) arguments. */
export interface CommandRequest<C extends CommandName = CommandName> {
  cmd: C;
  args: CommandInput<C>;
}

export const isCommandName = (s: unknown): s is CommandName =>
  typeof s === 'string' && Object.prototype.hasOwnProperty.call(commands, s);
