/**
 * Contract for automation: reply rules, periodic sends, send sequences and
 * file transfers.
 */
import { z } from 'zod';
import { command } from './command-def';
import type { SessionInfo } from './model';
import { ruleSetSchema, type PeerHitLog, type RuleStat, type RuleTryResult } from './rules';
import { say, schemaMessage, type Reason } from './reason-format';
import { framerSpecSchema, sendPayloadSchema, sendTargetSchema, sessionIdSchema } from './schemas';

const sid = { sessionId: sessionIdSchema };
const jobId = z.string().min(1).max(64);

// ── periodic sends and sequences ─────────────────────────────────────────────

export const periodicStartSchema = z
  .object({
    ...sid,
    payload: sendPayloadSchema,
    target: sendTargetSchema.default({ kind: 'default' }),
    intervalMs: z.number().int().min(1, 'the interval must be at least 1 ms').max(86_400_000),
    /** 0 = until stopped */
    count: z.number().int().min(0).max(1_000_000_000).default(0),
  })
  .strict();

export const sequenceItemSchema = z.object({
  payload: sendPayloadSchema,
  /** wait this long before sending this item */
  delayMs: z.number().int().min(0).max(86_400_000).default(0),
});

export const sequenceStartSchema = z
  .object({
    ...sid,
    name: z.string().max(100).optional(),
    target: sendTargetSchema.default({ kind: 'default' }),
    items: z.array(sequenceItemSchema).min(1, schemaMessage(say('schema.sequenceEmpty'))).max(1000),
    /** run the items again and again; `loops` 0 = until stopped */
    loop: z.boolean().default(false),
    loops: z.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export interface ScheduleInfo {
  scheduleId: string;
  sessionId: string;
  kind: 'periodic' | 'sequence';
  name?: string;
  /** sends that completed (write callback succeeded) */
  sent: number;
  /** planned sends; 0 = until stopped */
  total: number;
  running: boolean;
  startedAt: number;
  /** why it stopped: finished, stopped by the user, or the error (English) */
  endReason?: string;
  /** the same, structured (a key of shared/protocol/reasons.ts plus parameters) */
  endWhy?: Reason;
}

// ── file transfers (streamed from the UI in chunks; each chunk resolves after its writes) ──

export const MAX_TRANSFER_CHUNK = 1024 * 1024;

export interface TransferInfo {
  transferId: string;
  sessionId: string;
  name: string;
  size: number;
  sent: number;
  done: boolean;
  cancelled: boolean;
  /** why it failed (English) */
  error?: string;
  /** the same, structured */
  errorWhy?: Reason;
}

export const automationCommands = {
  /** Set a session's reply rules (echo, greeting, ordered rules). */
  'rules.set': command(z.object({ ...sid, rules: ruleSetSchema }).strict()).returns<SessionInfo>(),
  /** Hit counters and last match of every rule. */
  'rules.stats': command(z.object(sid).strict()).returns<RuleStat[]>(),
  /**
   * The hit log: what the rules did with each peer's messages, with the
   * state before and after. With `peer` (a peer id, 'conn' or
   * 'address:port'): that peer's whole log (its current connection first,
   * then logs of earlier connections with that key that are still kept).
   * Without: every peer's log (connected peers, then the last 16 that left,
   * newest first), each with only its newest hit.
   */
  'rules.hits': command(z.object({ ...sid, peer: z.string().min(1).max(200).optional() }).strict()).returns<PeerHitLog[]>(),
  /**
   * "Try it": run `rules` on `messages` (as framed messages from one pretend
   * peer, in order from state start) with the session's encoding and
   * `framing` (default: the session's); nothing is sent. Tells what the last
   * message did.
   */
  'rules.try': command(
    z
      .object({
        ...sid,
        rules: ruleSetSchema,
        framing: framerSpecSchema.optional(),
        messages: z.array(sendPayloadSchema).min(1).max(200),
      })
      .strict(),
  ).returns<RuleTryResult>(),
  /** Send one payload every intervalMs, count times (0 = until stopped). */
  'periodic.start': command(periodicStartSchema).returns<ScheduleInfo>(),
  /** Run a list of sends with delays, once or in a loop. */
  'sequence.start': command(sequenceStartSchema).returns<ScheduleInfo>(),
  /** Stop a periodic send or a sequence. */
  'schedule.stop': command(z.object({ ...sid, scheduleId: jobId }).strict()).returns<ScheduleInfo>(),
  /** Periodic sends and sequences of one session (or of all). */
  'schedule.list': command(z.object({ sessionId: sessionIdSchema.optional() }).strict()).returns<ScheduleInfo[]>(),
  /** Start sending a file: the UI then streams it with transfer.chunk. */
  'transfer.begin': command(
    z
      .object({
        ...sid,
        target: sendTargetSchema.default({ kind: 'default' }),
        name: z.string().min(1).max(255),
        size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      })
      .strict(),
  ).returns<TransferInfo>(),
  /** One chunk of a file; answers after it was written (backpressure). */
  'transfer.chunk': command(
    z
      .object({
        transferId: jobId,
        bytes: z
          .instanceof(Uint8Array)
          .refine((b) => b.length > 0 && b.length <= MAX_TRANSFER_CHUNK, schemaMessage(say('schema.chunkSize'))),
      })
      .strict(),
  ).returns<TransferInfo>(),
  'transfer.end': command(z.object({ transferId: jobId }).strict()).returns<TransferInfo>(),
  'transfer.cancel': command(z.object({ transferId: jobId }).strict()).returns<TransferInfo>(),
} as const;
