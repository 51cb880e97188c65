/**
 * One message (an rx or tx row of a session's record) as the export writers
 * see it, plus the local end and the transport, which the pcapng writer needs
 * to synthesize IP and TCP/UDP headers. (Raw capture files are another thing:
 * see capture.ts.)
 */
import type { Endpoint } from '../../../shared/protocol/model';

export interface ExportMessage {
  /** ms since the epoch; may carry fractional microseconds (e.g. 1700000000123.456) */
  ts: number;
  dir: 'rx' | 'tx';
  transport: 'tcp' | 'udp';
  /** this end of the conversation */
  local: Endpoint;
  /** the other end: where rx came from, where tx went */
  remote: Endpoint;
  /** server: the peer; client: 'conn'; udp: absent */
  peerId?: string;
  bytes: Uint8Array;
  /** bytes decoded with the session's rx/tx encoding, when known */
  text?: string;
}

export type { ExportFormat } from '../../../shared/protocol/recording';
