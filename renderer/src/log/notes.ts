/**
 * The text an info or error row shows, in the user's language: the engine
 * sends a structured `note` next to its English sentence, and the view
 * phrases it with its own messages (called for visible rows only).
 */
import { localizeReason } from '../i18n/reasons';
import { formatEndpoint } from './format';
import type { LogRow } from './types';

export type Translate = (key: string, params?: Record<string, unknown>) => string;

export function rowText(row: LogRow, t: Translate): string {
  const note = row.note;
  if (!note) return row.text;
  const reason = (subject: Parameters<typeof localizeReason>[0]): string => localizeReason(subject, (key, params) => t(key, params));
  const peer = formatEndpoint(row.remote);
  switch (note.kind) {
    case 'status':
      return note.reason ? reason(note) : t(`state.${note.state}`);
    case 'peer.joined':
      return peer ? t('log.peerJoined', { peer }) : row.text;
    case 'peer.left':
      if (!peer) return row.text;
      return note.reason ? t('log.peerLeft', { peer, reason: reason(note) }) : t('log.peerLeftNoReason', { peer });
    case 'error': {
      const message = reason(note);
      return note.sysCode ? `${message} (${note.sysCode})` : message;
    }
    case 'paused':
      return t(note.paused ? 'log.readPausedRow' : 'log.readResumedRow');
    default:
      return row.text;
  }
}
