/**
 * Contract for automation, capture, export and profiles: periodic sends,
 * send sequences, file transfers, raw capture files, log exports from the
 * engine's spill log, and saved profiles / the last workspace.
 */
import { z } from 'zod';
import { ruleSetSchema } from './rules';
import { say, schemaMessage, type Reason } from './reason-format';
import { CHECKSUM_KINDS, ENDIANS } from '../codec/types';
import {
  encodingSchema,
  lineEndingSchema,
  sendPayloadSchema,
  sendTargetSchema,
  sessionConfigSchema,
  sessionIdSchema,
} from './schemas';

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

// ── capture and export ───────────────────────────────────────────────────────

export const EXPORT_FORMATS = ['txt-text', 'txt-hexdump', 'csv', 'jsonl', 'pcapng'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Languages an export's header lines can be written in (txt-text, txt-hexdump). */
export const EXPORT_LANGUAGES = ['en', 'zh-CN'] as const;
export type ExportLanguage = (typeof EXPORT_LANGUAGES)[number];

export interface CaptureFile {
  /** absent: the session-wide file */
  peerId?: string;
  /** absolute path on the machine running the engine */
  path: string;
  /** name relative to the data directory's captures folder, for downloads */
  name: string;
  bytes: number;
}

export interface CaptureInfo {
  active: boolean;
  perPeer: boolean;
  files: CaptureFile[];
}

export interface SpillInfo {
  /** bytes of records on disk now */
  bytes: number;
  records: number;
  limitBytes: number;
  /** records dropped from the start of the spill log because of the limit */
  droppedRecords: number;
  /** why the session's record could not be written to disk, in words (only its newest rows are then kept, in memory) */
  error?: string;
}

export interface ExportInfo {
  exportId: string;
  sessionId: string;
  format: ExportFormat;
  path: string;
  /** name relative to the data directory's exports folder, for downloads */
  name: string;
  records: number;
  totalRecords: number;
  /** records the spill log had already dropped (over its size limit) before this export began: the export starts after them */
  droppedRecords?: number;
  bytes: number;
  done: boolean;
  /** why it failed (English) */
  error?: string;
  /** the same, structured */
  errorWhy?: Reason;
  /** the language of the file's header lines */
  language?: ExportLanguage;
}

// ── profiles ─────────────────────────────────────────────────────────────────

export const quickCommandSchema = z.object({
  name: z.string().min(1).max(100),
  payload: sendPayloadSchema,
});

export const savedSequenceSchema = z.object({
  name: z.string().min(1).max(100),
  items: z.array(sequenceItemSchema).min(1).max(1000),
  loop: z.boolean().default(false),
});

/** Longest text or hex a saved send form keeps (characters). */
export const MAX_SAVED_SEND_TEXT = 64 * 1024;
export const MAX_SEND_HISTORY = 50;

/** What the send panel shows for a session: a draft, or one entry of its history. */
export const sendFormSchema = z.object({
  mode: z.enum(['text', 'hex']).default('text'),
  text: z.string().max(MAX_SAVED_SEND_TEXT).default(''),
  hex: z.string().max(MAX_SAVED_SEND_TEXT).default(''),
  /** only when the user picked one; absent: the session's receive encoding */
  encoding: encodingSchema.optional(),
  escapes: z.boolean().default(false),
  lineEnding: lineEndingSchema.default('none'),
  checksum: z.enum(['none', ...CHECKSUM_KINDS]).default('none'),
  endian: z.enum(ENDIANS).default('be'),
});

/** The send panel's settings, draft and history of one session (newest first). */
export const sendSettingsSchema = sendFormSchema.extend({
  history: z.array(sendFormSchema).max(MAX_SEND_HISTORY).default([]),
});

export const profileSessionSchema = z.object({
  config: sessionConfigSchema,
  rules: ruleSetSchema.optional(),
  quickCommands: z.array(quickCommandSchema).max(500).default([]),
  sequences: z.array(savedSequenceSchema).max(100).default([]),
  send: sendSettingsSchema.optional(),
});

export const PROFILE_VERSION = 1;

export const profileSchema = z.object({
  wirebench: z.literal('profile'),
  version: z.literal(PROFILE_VERSION),
  name: z.string().trim().min(1, schemaMessage(say('schema.profileNameEmpty'))).max(100),
  description: z.string().max(1000).optional(),
  savedAt: z.number().int().optional(),
  sessions: z.array(profileSessionSchema).max(100),
});

export type QuickCommand = z.output<typeof quickCommandSchema>;
export type SavedSequence = z.output<typeof savedSequenceSchema>;
export type ProfileSession = z.output<typeof profileSessionSchema>;
export type SavedSendForm = z.output<typeof sendFormSchema>;
export type SendSettings = z.output<typeof sendSettingsSchema>;
export type Profile = z.output<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;

export interface ProfileSummary {
  name: string;
  description?: string;
  savedAt?: number;
  sessions: number;
  /** a built-in example (read-only) */
  builtin: boolean;
  /** a built-in example: its name and description as Reasons, for a UI's own language */
  nameWhy?: Reason;
  descriptionWhy?: Reason;
}

export const automationCommandSchemas = {
  /** Set a session's reply rules (echo, greeting, ordered rules). */
  'rules.set': z.object({ ...sid, rules: ruleSetSchema }).strict(),
  /** Hit counters and last match of every rule. */
  'rules.stats': z.object(sid).strict(),
  /** Send one payload every intervalMs, count times (0 = until stopped). */
  'periodic.start': periodicStartSchema,
  /** Run a list of sends with delays, once or in a loop. */
  'sequence.start': sequenceStartSchema,
  /** Stop a periodic send or a sequence. */
  'schedule.stop': z.object({ ...sid, scheduleId: jobId }).strict(),
  /** Periodic sends and sequences of one session (or of all). */
  'schedule.list': z.object({ sessionId: sessionIdSchema.optional() }).strict(),
  /** Start sending a file: the UI then streams it with transfer.chunk. */
  'transfer.begin': z
    .object({
      ...sid,
      target: sendTargetSchema.default({ kind: 'default' }),
      name: z.string().min(1).max(255),
      size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    })
    .strict(),
  /** One chunk of a file; answers after it was written (backpressure). */
  'transfer.chunk': z
    .object({
      transferId: jobId,
      bytes: z.instanceof(Uint8Array).refine((b) => b.length > 0 && b.length <= MAX_TRANSFER_CHUNK, schemaMessage(say('schema.chunkSize'))),
    })
    .strict(),
  'transfer.end': z.object({ transferId: jobId }).strict(),
  'transfer.cancel': z.object({ transferId: jobId }).strict(),
  /** Save every received byte to raw files, per session or per peer. */
  'capture.start': z.object({ ...sid, perPeer: z.boolean().default(false) }).strict(),
  'capture.stop': z.object(sid).strict(),
  /** Export the session's whole log (from the spill log) to a file. */
  'export.start': z
    .object({
      ...sid,
      format: z.enum(EXPORT_FORMATS),
      timeZone: z.enum(['local', 'utc']).default('local'),
      /** the language of the header lines of txt-text and txt-hexdump files (default English) */
      language: z.enum(EXPORT_LANGUAGES).default('en'),
    })
    .strict(),
  /** Change how much disk the spill log of each session may use. */
  'spill.configure': z.object({ limitBytes: z.number().int().min(1024 * 1024).max(64 * 1024 ** 3) }).strict(),
  'profile.list': z.object({}).strict(),
  'profile.get': z.object({ name: z.string().min(1).max(100) }).strict(),
  /** Save (or overwrite) a profile. */
  'profile.save': z.object({ profile: profileSchema }).strict(),
  'profile.delete': z.object({ name: z.string().min(1).max(100) }).strict(),
  /** Validate a JSON text and save it as a profile; a bad file changes nothing. */
  'profile.import': z.object({ json: z.string().max(16 * 1024 * 1024) }).strict(),
  /** The JSON text of a profile, for download. */
  'profile.export': z.object({ name: z.string().min(1).max(100) }).strict(),
  /** The last workspace (saved automatically), or null. */
  'workspace.get': z.object({}).strict(),
  'workspace.save': z.object({ profile: profileSchema }).strict(),
  /** Open every session of a profile (its rules too). */
  'profile.apply': z.object({ profile: profileSchema }).strict(),
} as const;

