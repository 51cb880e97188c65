/** UDP logging commands: per-source statistics and their CSV export. */
import { z } from 'zod';
import { command } from './command-def';
import { sessionIdSchema } from './schemas';
import type { UdpSourcesFile, UdpStats } from './udp';

const sid = { sessionId: sessionIdSchema };

export const udpCommands = {
  /** The per-source statistics of a UDP session, with the kernel's drop count. */
  'udp.stats': command(z.object(sid).strict()).returns<UdpStats>(),
  /** Write the per-source statistics as a CSV file in the exports folder. */
  'udp.exportSources': command(z.object(sid).strict()).returns<UdpSourcesFile>(),
};
