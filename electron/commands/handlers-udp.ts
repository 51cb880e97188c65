/** UDP logging: per-source statistics and their CSV file. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { udpCommands } from '../../shared/protocol';
import { WbError } from '../../shared/protocol/errors';
import { say } from '../../shared/protocol/reason-format';
import { fileStamp, sanitizeName, uniqueName } from '../record/capture';
import { udpSourcesCsv } from '../record/export/udp-sources-csv';
import { ensurePrivateDirAsync, PRIVATE_FILE_MODE } from '../store/private';
import type { CommandContext, HandlerModule } from './context';

export function udpModule({ manager, recorder }: CommandContext): HandlerModule<keyof typeof udpCommands> {
  return {
    handlers: {
      'udp.stats': ({ sessionId }) => manager.udpStats(sessionId),
      'udp.exportSources': async ({ sessionId }) => {
        const stats = await manager.udpStats(sessionId);
        const info = manager.info(sessionId);
        const dir = recorder.exportDir;
        const name = uniqueName(dir, `${sanitizeName(info.name, sessionId)}-${fileStamp(Date.now())}-sources`, 'csv');
        const path = join(dir, name);
        try {
          await ensurePrivateDirAsync(dir);
          await writeFile(path, udpSourcesCsv(stats), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
        } catch (e) {
          const detail = e instanceof Error ? e.message : String(e);
          throw new WbError('WRITE_FAILED', say('export.writeFailed', { detail }));
        }
        return { path, name, sources: stats.sources.length };
      },
    },
  };
}
