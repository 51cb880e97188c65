/**
 * Events flow Node → UI only, always inside a batch. Every event carries a
 * timestamp `ts` (ms since the epoch) and the session it belongs to.
 */
import type { CaptureInfo, ExportInfo, ScheduleInfo, TransferInfo } from './automation';
import type { ErrorCode } from './errors';
import type { RuleStat } from './rules';
import type { Counters, Endpoint, PeerInfo, SessionInfo, StatusEntry } from './model';

export interface SessionOpenedEvent {
  type: 'session.opened';
  ts: number;
  sessionId: string;
  info: SessionInfo;
}
export interface SessionRemovedEvent {
  type: 'session.removed';
  ts: number;
  sessionId: string;
}
export interface SessionStatusEvent {
  type: 'session.status';
  ts: number;
  sessionId: string;
  status: StatusEntry;
  local?: Endpoint;
  remote?: Endpoint;
}
export interface PeerJoinedEvent {
  type: 'peer.joined';
  ts: number;
  sessionId: string;
  peer: PeerInfo;
}
export interface PeerLeftEvent {
  type: 'peer.left';
  ts: number;
  sessionId: string;
  peerId: string;
  remote: Endpoint;
  reason: string;
}
export interface DataEvent {
  type: 'data';
  ts: number;
  sessionId: string;
  /**
   * Per session: 1 for the session's first data event (rx or tx), then +1 for
   * every further one. Lets a UI that replays `session.history` drop rows it
   * already has, so a row is never shown twice or out of order.
   */
  seq: number;
  dir: 'rx' | 'tx';
  /** server: the peer; client: 'conn'; udp: absent */
  peerId?: string;
  /** the other end: where rx came from, where tx went */
  remote: Endpoint;
  /** one framed message (rx) or one send (tx) */
  bytes: Uint8Array;
  /** bytes decoded with the session's rx encoding by a per-peer streaming decoder */
  text: string;
}
export interface ErrorEvent {
  type: 'error';
  ts: number;
  sessionId: string;
  peerId?: string;
  remote?: Endpoint;
  code: ErrorCode;
  /** user-facing sentence */
  message: string;
  sysCode?: string;
}
export interface CountersEvent {
  type: 'counters';
  ts: number;
  sessionId: string;
  counters: Counters;
  peers: Record<string, Counters>;
}
/** Data rows the hub left out of a slow client's view (never of the counters). */
export interface ViewDroppedEvent {
  type: 'view.dropped';
  ts: number;
  sessionId: string;
  messages: number;
  bytes: number;
}
export interface SessionUpdatedEvent {
  type: 'session.updated';
  ts: number;
  sessionId: string;
  info: SessionInfo;
}

/** Rule hit counters changed (coalesced: the latest per session per batch). */
export interface RulesStatsEvent {
  type: 'rules.stats';
  ts: number;
  sessionId: string;
  stats: RuleStat[];
}
/** A periodic send or sequence progressed or ended (coalesced per scheduleId). */
export interface ScheduleProgressEvent {
  type: 'schedule.progress';
  ts: number;
  sessionId: string;
  schedule: ScheduleInfo;
}
/** A file transfer progressed or ended (coalesced per transferId). */
export interface TransferProgressEvent {
  type: 'transfer.progress';
  ts: number;
  sessionId: string;
  transfer: TransferInfo;
}
/** An export progressed or ended (coalesced per exportId). */
export interface ExportProgressEvent {
  type: 'export.progress';
  ts: number;
  sessionId: string;
  export: ExportInfo;
}
/** Capture files started, grew or stopped (coalesced per session). */
export interface CaptureUpdatedEvent {
  type: 'capture.updated';
  ts: number;
  sessionId: string;
  capture: CaptureInfo;
}

export type NetEvent =
  | RulesStatsEvent
  | ScheduleProgressEvent
  | TransferProgressEvent
  | ExportProgressEvent
  | CaptureUpdatedEvent
  | SessionOpenedEvent
  | SessionRemovedEvent
  | SessionStatusEvent
  | SessionUpdatedEvent
  | PeerJoinedEvent
  | PeerLeftEvent
  | DataEvent
  | ErrorEvent
  | CountersEvent
  | ViewDroppedEvent;

export type NetEventType = NetEvent['type'];

/** Where the engine pushes events. */
export type EventSink = (event: NetEvent) => void;
