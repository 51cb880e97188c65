/** The socket engine: pure Node, transport- and UI-agnostic. */
export { SessionManager, type SessionManagerOptions } from './manager';
export { listInterfaces, resolveHost } from './system';
export { toWbError, asWbError, type ErrorContext, type NetOp } from './errors';
export { CLIENT_PEER_ID } from './session-tcp-client';
export { isBroadcastAddress } from './session-udp';
export { encodePayload } from './payload';
export { createDecoder, decodeText, encodeText } from './text-codec';
export { RuleEngine, type PeerContext, type Reply } from './rules';
export { Scheduler, type PeriodicArgs, type ScheduleHost, type SequenceArgs } from './scheduler';
export { Transfers, type TransferBegin, type TransferHost } from './transfer';
