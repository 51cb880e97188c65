/**
 * Contract for recording: raw capture files, exports of a session's record
 * (its whole log, on disk) and the record's size limit.
 */
import { z } from 'zod';
import { command } from './command-def';
import type { Reason } from './reason-format';
import { sessionIdSchema } from './schemas';

const sid = { sessionId: sessionIdSchema };

export const EXPORT_FORMATS = ['txt-text', 'txt-hexdump', 'csv', 'jsonl', 'pcapng'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Languages an export's header lines can be written in (txt-text, txt-hexdump). */
export const EXPORT_LANGUAGES = ['en', 'zh-CN'] as const;
export type ExportLanguage = (typeof EXPORT_LANGUAGES)[number];

/** `bin`: the received bytes as they came; `pcapng`: one packet per received chunk (per datagram for UDP). */
export const CAPTURE_FORMATS = ['bin', 'pcapng'] as const;
export type CaptureFormat = (typeof CAPTURE_FORMATS)[number];

export interface CaptureFile {
  /** absent: the session-wide file */
  peerId?: string;
  /** absolute path on the machine running the engine */
  path: string;
  /** name relative to the data directory's captures folder, for downloads */
  name: string;
  bytes: number;
  /** pcapng: packets written (one per datagram) */
  packets?: number;
}

export interface CaptureInfo {
  active: boolean;
  perPeer: boolean;
  /** absent on an idle session: nothing captured */
  format?: CaptureFormat;
  /** the files on disk, oldest first (with rotation: those the retention kept) */
  files: CaptureFile[];
  /** rotating: files closed so far (deleted ones included) */
  rotated?: number;
}

/** Rotation of capture files: a new file past a size or an age; at most `keep` files per peer (or the session). */
export const captureRotationSchema = z
  .object({
    maxBytes: z.number().int().min(4096).optional(),
    maxAgeMs: z.number().int().min(1000).optional(),
    keep: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();
export type CaptureRotation = z.infer<typeof captureRotationSchema>;

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


export const recordingCommands = {
  /** Save every received byte to raw files, per session or per peer. */
  'capture.start': command(
    z
      .object({
        ...sid,
        perPeer: z.boolean().default(false),
        /** default: pcapng for a UDP session (one packet per datagram), bin for TCP */
        format: z.enum(CAPTURE_FORMATS).optional(),
        /** rotate the files by size and/or age, with a retention limit */
        rotate: captureRotationSchema.optional(),
      })
      .strict(),
  ).returns<CaptureInfo>(),
  'capture.stop': command(z.object(sid).strict()).returns<CaptureInfo>(),
  /** Export the session's whole record to a file. */
  'export.start': command(
    z
      .object({
        ...sid,
        format: z.enum(EXPORT_FORMATS),
        timeZone: z.enum(['local', 'utc']).default('local'),
        /** the language of the header lines of txt-text and txt-hexdump files (default English) */
        language: z.enum(EXPORT_LANGUAGES).default('en'),
      })
      .strict(),
  ).returns<ExportInfo>(),
  /** Change how much disk the record of each session may use. */
  'spill.configure': command(z.object({ limitBytes: z.number().int().min(1024 * 1024).max(64 * 1024 ** 3) }).strict()).returns<{
    limitBytes: number;
  }>(),
} as const;
