/** Raw capture, exports of a session's record, and the record's size limit. */
import type { recordingCommands } from '../../shared/protocol';
import type { CommandContext, HandlerModule } from './context';

export function recordingModule({ recorder, records }: CommandContext): HandlerModule<keyof typeof recordingCommands> {
  return {
    handlers: {
      'capture.start': ({ sessionId, perPeer, format, rotate }) => recorder.startCapture(sessionId, perPeer, format, rotate),
      'capture.stop': ({ sessionId }) => recorder.stopCapture(sessionId),
      'export.start': ({ sessionId, format, timeZone, language }) => recorder.startExport(sessionId, format, timeZone, language),
      'spill.configure': ({ limitBytes }) => records.configure(limitBytes),
    },
  };
}
