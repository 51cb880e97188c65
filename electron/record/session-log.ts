/** One session's record with what reading it needs: its name, transport, receive encoding and peer table. */
import type { Encoding } from '../../shared/protocol/encodings';
import type { PeerTable } from './peers';
import type { SessionRecord } from './session-record';

export interface SessionLog {
  id: string;
  name: string;
  transport: 'tcp' | 'udp';
  encoding: Encoding;
  record: SessionRecord;
  peers: PeerTable;
}
