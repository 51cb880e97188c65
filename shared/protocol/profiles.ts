/**
 * Contract for profiles: saved sets of sessions (config, rules, quick
 * commands, sequences, send settings), the built-in examples, and the last
 * workspace, saved automatically.
 */
import { z } from 'zod';
import { CHECKSUM_KINDS, ENDIANS } from '../codec/types';
import { sequenceItemSchema } from './automation';
import { command } from './command-def';
import type { SessionInfo } from './model';
import { say, schemaMessage, type Reason } from './reason-format';
import { ruleSetSchema } from './rules';
import { encodingSchema, lineEndingSchema, sendPayloadSchema, sessionConfigSchema } from './schemas';

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
/** How many sent messages a session's send box can recall. */
export const MAX_SEND_RECALL = 50;

/** What the send panel shows for a session: a draft, or one entry of its recall list. */
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

const sendRecallSchema = z.array(sendFormSchema).max(MAX_SEND_RECALL);

/**
 * The send panel's settings, draft and recall list (the messages sent, newest
 * first) of one session. Files saved before the rename call the list
 * `history`; it is read as `recall`.
 */
export const sendSettingsSchema = sendFormSchema
  .extend({ recall: sendRecallSchema.optional(), history: sendRecallSchema.optional() })
  .transform(({ recall, history, ...form }) => ({ ...form, recall: recall ?? history ?? [] }));

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


const profileName = z.string().min(1).max(100);

export const profileCommands = {
  'profile.list': command(z.object({}).strict()).returns<ProfileSummary[]>(),
  'profile.get': command(z.object({ name: profileName }).strict()).returns<Profile>(),
  /** Save (or overwrite) a profile. */
  'profile.save': command(z.object({ profile: profileSchema }).strict()).returns<ProfileSummary>(),
  'profile.delete': command(z.object({ name: profileName }).strict()).returns<null>(),
  /** Validate a JSON text and save it as a profile; a bad file changes nothing. */
  'profile.import': command(z.object({ json: z.string().max(16 * 1024 * 1024) }).strict()).returns<ProfileSummary>(),
  /** The JSON text of a profile, for download. */
  'profile.export': command(z.object({ name: profileName }).strict()).returns<{ json: string; fileName: string }>(),
  /** The last workspace (saved automatically), or null. */
  'workspace.get': command(z.object({}).strict()).returns<Profile | null>(),
  'workspace.save': command(z.object({ profile: profileSchema }).strict()).returns<null>(),
  /** Open every session of a profile (its rules too). */
  'profile.apply': command(z.object({ profile: profileSchema }).strict()).returns<SessionInfo[]>(),
} as const;
