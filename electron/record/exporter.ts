/**
 * Export of a session's whole log: the record's messages, streamed in
 * order through the format writers into a file, with backpressure (at most
 * one stream buffer and one read chunk in memory) and progress reports.
 */
import { createWriteStream } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../store/private';
import { WbError } from '../../shared/protocol/errors';
import { say, type Reason } from '../../shared/protocol/reason-format';
import type { ExportFormat, ExportInfo } from '../../shared/protocol/recording';
import { createExportWriter, type ExportOptions } from './export/writers';
import type { ExportMessage } from './export/message';

/** Where an export reads the session's messages from, in order. */
export interface ExportSource {
  read(): AsyncGenerator<ExportMessage>;
}

/** File extension of each format (the hexdump gets a name suffix instead). */
export const EXPORT_EXT: Record<ExportFormat, string> = {
  'txt-text': 'txt',
  'txt-hexdump': 'txt',
  csv: 'csv',
  jsonl: 'jsonl',
  pcapng: 'pcapng',
};

export interface ExportJob {
  info: ExportInfo;
  snapshot: ExportSource;
  options: ExportOptions;
  /** called at most every `progressMs` while running, and once at the end (done: true) */
  onProgress(info: ExportInfo): void;
  /** true to abandon the export (the file is left as far as it got) */
  cancelled(): boolean;
  progressMs?: number;
  /** the file was chosen in a save dialog, which asked before replacing it (default: never overwrite) */
  overwrite?: boolean;
}

const describe = (e: unknown): { error: string; errorWhy?: Reason } => {
  if (e instanceof WbError) return { error: e.message, ...(e.why ? { errorWhy: e.why } : {}) };
  const errorWhy = say('export.failed', { detail: e instanceof Error ? e.message : String(e) });
  return { error: new WbError('WRITE_FAILED', errorWhy).message, errorWhy };
};

/** Run the export to its end. Never rejects: the last progress report carries any error. */
export async function runExport(job: ExportJob): Promise<ExportInfo> {
  const info = job.info;
  const every = job.progressMs ?? 100;
  let last = Date.now();
  const out = createWriteStream(info.path, { flags: job.overwrite ? 'w' : 'wx', mode: PRIVATE_FILE_MODE });
  out.on('error', () => undefined); // reported by the writer
  const writer = createExportWriter(info.format, out, job.options);
  try {
    for await (const rec of job.snapshot.read()) {
      if (job.cancelled()) throw new WbError('WRITE_FAILED', say('export.cancelled'));
      const wait = writer.write(rec);
      if (wait) await wait;
      info.records += 1;
      info.bytes = out.bytesWritten + out.writableLength;
      const now = Date.now();
      if (now - last >= every) {
        last = now;
        job.onProgress({ ...info });
      }
    }
    await writer.end();
    info.bytes = out.bytesWritten;
  } catch (e) {
    Object.assign(info, describe(e));
    out.destroy();
  }
  info.done = true;
  job.onProgress({ ...info });
  return { ...info };
}
