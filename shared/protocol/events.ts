/**
 * Events flow Node → UI only, always inside a batch. Every event carries a
 * timestamp `ts` (ms since the epoch) and the session it belongs to.
 *
 * `NetEvent` is what clients receive. The engine emits `EngineEvent`s: the
 * same, plus one `data` event per message, which goes into the session's
 * record and never to a client as such (clients see it in `log.tail` rows).
 */
import type { ScheduleInfo, TransferInfo } from './automation';
import type { CaptureInfo, ExportInfo } from './recording';
import type { DesktopActionEvent } from './desktop';
import type { ErrorCode } from './errors';
import type { LogTailEvent } from './log';
import type { Reason } from './reason-format';
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
  /** English sentence ("Closed by peer") */
  reason: string;
  /** the same, structured (a key of shared/protocol/reasons.ts plus parameters) */
  why?: Reason;
}
/** Engine-internal: one message for the session's record (never sent to a client). */
export interface DataEvent {
  type: 'data';
  ts: number;
  sessionId: string;
  dir: 'rx' | 'tx';
  /** server: the peer; client: 'conn'; udp: absent */
  peerId?: string;
  /** the other end: where rx came from, where tx went */
  remote: Endpoint;
  /** this end (pcapng exports rebuild the packets from both ends) */
  local?: Endpoint;
  /** one framed message (rx) or one send (tx) */
  bytes: Uint8Array;
}
export interface ErrorEvent {
  type: 'error';
  ts: number;
  sessionId: string;
  peerId?: string;
  remote?: Endpoint;
  code: ErrorCode;
  /** user-facing sentence, in English */
  message: string;
  /** the same, structured (a key of shared/protocol/reasons.ts plus parameters) */
  why?: Reason;
  sysCode?: string;
}
export interface CountersEvent {
  type: 'counters';
  ts: number;
  sessionId: string;
  counters: Counters;
  peers: Record<string, Counters>;
}
/**
 * The engine paused (or resumed) reading a session's sockets because its
 * record fell behind on disk. Views never cause a pause.
 */
export interface ReadPausedEvent {
  type: 'session.readPaused';
  ts: number;
  sessionId: string;
  paused: boolean;
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
  /** when the rules use states: each peer's dialogue state by peer id (UDP: "address:port") */
  peerStates?: Record<string, string>;
  /**
   * hit-log entries recorded in this session so far (every peer; absent
   * before the first): only a counter on the event path, a client showing a
   * hit log reads it again with rules.hits when it changes
   */
  hits?: number;
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

/** Something the user should know that belongs to no session. */
export type AppNotice =
  | {
      /** a damaged profiles/workspace file was renamed and the store started afresh */
      code: 'FILE_SET_ASIDE';
      file: string;
      movedTo: string;
      /** the parser's words */
      reason: string;
    }
  | {
      /** this client fell so far behind that events were dropped: ask for session.list again */
      code: 'RESYNC';
    };
export interface AppNoticeEvent {
  type: 'app.notice';
  ts: number;
  notice: AppNotice;
}

export type NetEvent =
  | AppNoticeEvent
  | DesktopActionEvent
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
  | ErrorEvent
  | CountersEvent
  | ReadPausedEvent
  | LogTailEvent;

export type NetEventType = NetEvent['type'];

/** What the engine emits: client events (but the tail, which the hub makes) and data for the record. */
export type EngineEvent = Exclude<NetEvent, LogTailEvent | DesktopActionEvent> | DataEvent;

/** Where the engine pushes events. */
export type EventSink = (event: EngineEvent) => void;
