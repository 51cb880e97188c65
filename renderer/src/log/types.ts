import type { Endpoint } from '../../../shared/protocol';

export type LogDir = 'rx' | 'tx' | 'info' | 'error';

/** One row of a session's log. Stored raw (never reactive), formatted lazily. */
export interface LogEntry {
  /** monotonically increasing per session, survives ring eviction */
  seq: number;
  ts: number;
  dir: LogDir;
  peerId?: string;
  remote?: Endpoint;
  /** rx/tx payload */
  bytes?: Uint8Array;
  /** decoded text for rx/tx; the message for info/error */
  text: string;
}
