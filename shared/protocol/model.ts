/** Plain data the engine reports about itself. All JSON-safe. */
import type { ErrorCode } from './errors';
import type { Reason } from './reason-format';
import type { CaptureInfo, SpillInfo } from './recording';
import type { LogBounds } from './log';
import type { RuleSet } from './rules';
import type { SessionConfig, SessionKind } from './schemas';
import type { TlsInfo } from './tls';
import type { UdpStats } from './udp';

export interface Counters {
  rxBytes: number;
  txBytes: number;
  rxMessages: number;
  txMessages: number;
}

export const zeroCounters = (): Counters => ({ rxBytes: 0, txBytes: 0, rxMessages: 0, txMessages: 0 });

export interface Endpoint {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

/** How many status changes a session keeps (SessionInfo.statusLog), in the engine and in a client. */
export const STATUS_LOG_CAP = 50;

export type SessionState =
  | 'idle'
  | 'connecting'
  | 'connected' // tcp-client
  | 'listening' // tcp-server
  | 'open' // udp
  | 'reconnecting'
  | 'closed'
  | 'error';

export interface StatusEntry {
  state: SessionState;
  /** Why the state changed: an English sentence (`why` has the structure) */
  reason: string;
  /** the same as a key of shared/protocol/reasons.ts plus parameters, for a UI's own language */
  why?: Reason;
  ts: number;
  code?: ErrorCode;
  sysCode?: string;
}

export interface PeerInfo {
  peerId: string;
  remote: Endpoint;
  local?: Endpoint;
  connectedAt: number;
  counters: Counters;
  /** TLS server: this client's handshake (version, cipher, SNI asked for, its certificate) */
  tls?: TlsInfo;
  /** when the reply rules use states: where this peer is in the dialogue ('start' at first) */
  ruleState?: string;
}

export interface SessionInfo {
  sessionId: string;
  kind: SessionKind;
  name: string;
  config: SessionConfig;
  state: SessionState;
  /** the local endpoint once bound (a server's real port when 0 was asked) */
  local?: Endpoint;
  /** tcp-client: the remote it is connected to */
  remote?: Endpoint;
  /** TLS client: the current connection's handshake (absent while not connected) */
  tls?: TlsInfo;
  /** recent status changes, oldest first (at most STATUS_LOG_CAP) */
  statusLog: StatusEntry[];
  peers: PeerInfo[];
  counters: Counters;
  /** udp: the last source a datagram came from */
  lastSender?: Endpoint;
  /** udp: multicast groups joined, as "group@iface" or "group" */
  groups: string[];
  /** udp: per-source statistics, kernel drops, the receive buffer granted */
  udp?: UdpStats;
  createdAt: number;
  /** reply rules (absent: none set) */
  rules?: RuleSet;
  /** raw capture to files (absent: never started) */
  capture?: CaptureInfo;
  /** the session's on-disk record (the log): its size, limit and what the limit dropped */
  spill?: SpillInfo;
  /** the seqs a view of the log can show */
  log?: LogBounds;
}

export interface NetInterfaceAddress {
  name: string;
  address: string;
  family: 'IPv4' | 'IPv6';
  netmask: string;
  cidr: string | null;
  internal: boolean;
  /** IPv6 scope id, for link-local addresses */
  scopeId?: number;
}

export interface SendReport {
  /** bytes written and acknowledged by the write callback, summed over targets */
  bytes: number;
  /** number of targets written to */
  targets: number;
}
