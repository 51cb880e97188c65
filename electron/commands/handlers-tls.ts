/** TLS: the machine certificate a TLS server session can use. */
import type { tlsCommands } from '../../shared/protocol';
import { ensureMachineCert } from '../net/cert-generate';
import type { CommandContext, HandlerModule } from './context';

export function tlsModule({ dataDir }: CommandContext): HandlerModule<keyof typeof tlsCommands> {
  return {
    handlers: {
      'tls.generateCert': ({ renew }) => ensureMachineCert(dataDir, renew),
    },
  };
}
