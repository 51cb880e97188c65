/**
 * Runtime schemas for everything that crosses a transport into Node.
 * Types are inferred from these, so the contract is written once.
 */
import { z } from 'zod';
import { CHECKSUM_KINDS, ENDIANS, LINE_ENDINGS } from '../codec/types';
import { ENCODINGS } from './encodings';
import { say, schemaMessage } from './reason-format';
import { tlsClientSchema, tlsServerSchema } from './tls';
import { MAX_UDP_RECV_BUFFER, udpSequenceSchema } from './udp';

const PORT_NUMBER = schemaMessage(say('schema.portNumber'));
const PORT_WHOLE = schemaMessage(say('schema.portWhole'));

/** Largest text/hex string one send command may carry (characters). */
export const MAX_SEND_TEXT = 8 * 1024 * 1024;
/** Largest raw payload one send command may carry (bytes). */
export const MAX_SEND_BYTES = 16 * 1024 * 1024;
/** Largest UDP payload over IPv4 (65,535 − 8 UDP − 20 IP). */
export const MAX_UDP4_PAYLOAD = 65_507;
/** Largest UDP payload over IPv6 without jumbograms (65,535 − 8 UDP). */
export const MAX_UDP6_PAYLOAD = 65_527;

export const bytesSchema = z.instanceof(Uint8Array, { message: schemaMessage(say('schema.bytes')) });

export const portSchema = z
  .number({ message: PORT_NUMBER })
  .int(PORT_WHOLE)
  .min(1, schemaMessage(say('schema.portRange')))
  .max(65535, schemaMessage(say('schema.portRange')));
/** A bind port: 0 lets the OS pick a free one. */
export const bindPortSchema = z
  .number({ message: PORT_NUMBER })
  .int(PORT_WHOLE)
  .min(0, schemaMessage(say('schema.bindPortRange')))
  .max(65535, schemaMessage(say('schema.bindPortRange')));

export const hostSchema = z
  .string()
  .trim()
  .min(1, schemaMessage(say('schema.hostEmpty')))
  .max(253, schemaMessage(say('schema.hostTooLong')))
  .refine((s) => !/[\s/\\]/.test(s), schemaMessage(say('schema.hostChars')));

export const encodingSchema = z.enum(ENCODINGS);
export const lineEndingSchema = z.enum(LINE_ENDINGS);
export const checksumSpecSchema = z.object({
  kind: z.enum(CHECKSUM_KINDS),
  endian: z.enum(ENDIANS).default('be'),
});

export const framerSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('raw') }),
  z.object({
    kind: z.literal('delimiter'),
    delimiter: bytesSchema.refine((b) => b.length > 0 && b.length <= 64, schemaMessage(say('schema.delimiter'))),
    keep: z.boolean().default(false),
  }),
  z.object({ kind: z.literal('fixed'), length: z.number().int().min(1).max(MAX_SEND_BYTES) }),
  z.object({
    kind: z.literal('length-prefix'),
    width: z.union([z.literal(1), z.literal(2), z.literal(4)]),
    endian: z.enum(ENDIANS).default('be'),
    includesPrefix: z.boolean().default(false),
    /** bytes before the length field (Modbus TCP: 4) */
    offset: z.number().int().min(0).max(64).optional(),
  }),
  z.object({ kind: z.literal('idle'), gapMs: z.number().int().min(1).max(60_000) }),
]);

const id = z.string().min(1).max(64);
export const sessionIdSchema = id;
export const peerIdSchema = id;

const common = {
  name: z.string().max(100).optional(),
  /** Encoding used to decode received bytes into the text column. */
  rxEncoding: encodingSchema.default('utf-8'),
  /** How received bytes are cut into messages (log rows, rules). */
  framing: framerSpecSchema.default({ kind: 'raw' }),
};

export const reconnectSchema = z.object({
  enabled: z.boolean().default(false),
  initialDelayMs: z.number().int().min(50).max(600_000).default(1000),
  maxDelayMs: z.number().int().min(50).max(3_600_000).default(30_000),
  /** 0 = unlimited */
  maxAttempts: z.number().int().min(0).max(1_000_000).default(0),
});

export const tcpClientConfigSchema = z.object({
  kind: z.literal('tcp-client'),
  ...common,
  host: hostSchema,
  port: portSchema,
  localAddress: z.string().trim().max(64).optional(),
  localPort: bindPortSchema.optional(),
  connectTimeoutMs: z.number().int().min(100).max(600_000).default(5000),
  keepAlive: z.boolean().default(false),
  keepAliveDelayMs: z.number().int().min(0).max(3_600_000).default(60_000),
  noDelay: z.boolean().default(true),
  reconnect: reconnectSchema.default({ enabled: false, initialDelayMs: 1000, maxDelayMs: 30_000, maxAttempts: 0 }),
  /** TLS over this connection (shared/protocol/tls.ts); absent: plain TCP */
  tls: tlsClientSchema.optional(),
});

export const tcpServerConfigSchema = z.object({
  kind: z.literal('tcp-server'),
  ...common,
  /** '::' = any IPv6 + IPv4 (dual stack), '0.0.0.0' = any IPv4, or one address */
  host: z.string().trim().min(1).max(64).default('0.0.0.0'),
  port: bindPortSchema,
  /**
   * When `port` is taken, listen on the next free one above it (at most 20 further; the status says which
   * and why). The built-in example profiles set it; `port` stays the one asked for, `local` has the real one.
   */
  nextFreePort: z.boolean().optional(),
  /** 0 = unlimited */
  maxClients: z.number().int().min(0).max(100_000).default(0),
  noDelay: z.boolean().default(true),
  keepAlive: z.boolean().default(false),
  /** TLS for every accepted connection (shared/protocol/tls.ts); absent: plain TCP */
  tls: tlsServerSchema.optional(),
});

export const udpConfigSchema = z.object({
  kind: z.literal('udp'),
  ...common,
  family: z.enum(['udp4', 'udp6']).default('udp4'),
  bindAddress: z.string().trim().max(64).optional(),
  bindPort: bindPortSchema.default(0),
  remoteHost: z.string().trim().max(253).optional(),
  remotePort: portSchema.optional(),
  broadcast: z.boolean().default(false),
  reuseAddr: z.boolean().default(false),
  multicastTtl: z.number().int().min(0).max(255).default(1),
  multicastLoopback: z.boolean().default(true),
  /** interface address used for outgoing multicast */
  multicastInterface: z.string().trim().max(64).optional(),
  /** SO_RCVBUF to ask for, in bytes (absent: 8 MiB); SessionInfo.udp.recvBuffer says what the OS granted */
  recvBufferSize: z.number().int().min(4096).max(MAX_UDP_RECV_BUFFER).optional(),
  /** where each datagram carries a sequence number: per-source lost / duplicated / out-of-order counts */
  sequence: udpSequenceSchema.optional(),
});

export const sessionConfigSchema = z.discriminatedUnion('kind', [
  tcpClientConfigSchema,
  tcpServerConfigSchema,
  udpConfigSchema,
]);

/** Options that may be changed on a live session (`session.update`). */
export const sessionOptionsSchema = z
  .object({
    name: z.string().max(100),
    rxEncoding: encodingSchema,
    framing: framerSpecSchema,
    // tcp
    noDelay: z.boolean(),
    keepAlive: z.boolean(),
    maxClients: z.number().int().min(0).max(100_000),
    reconnect: reconnectSchema,
    /** tls client: verify the server's certificate from the next connection on ("retry without verifying") */
    tlsVerify: z.boolean(),
    // udp
    remoteHost: z.string().trim().max(253),
    remotePort: portSchema,
    broadcast: z.boolean(),
    multicastTtl: z.number().int().min(0).max(255),
    multicastLoopback: z.boolean(),
    multicastInterface: z.string().trim().max(64),
    recvBufferSize: z.number().int().min(4096).max(MAX_UDP_RECV_BUFFER),
    /** null: no sequence number (per-source sequence counts start again on any change) */
    sequence: udpSequenceSchema.nullable(),
  })
  .partial()
  .strict();

export const sendPayloadSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    text: z.string().max(MAX_SEND_TEXT),
    encoding: encodingSchema.default('utf-8'),
    escapes: z.boolean().default(false),
    lineEnding: lineEndingSchema.default('none'),
    checksum: checksumSpecSchema.optional(),
  }),
  z.object({
    kind: z.literal('hex'),
    hex: z.string().max(MAX_SEND_TEXT),
    checksum: checksumSpecSchema.optional(),
  }),
  z.object({
    kind: z.literal('bytes'),
    bytes: bytesSchema.refine((b) => b.length <= MAX_SEND_BYTES, schemaMessage(say('schema.payloadTooLarge'))),
  }),
]);

export const sendTargetSchema = z.discriminatedUnion('kind', [
  /** client: its connection; server: every peer; udp: the default remote */
  z.object({ kind: z.literal('default') }),
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('peer'), peerId: peerIdSchema }),
  z.object({ kind: z.literal('address'), host: hostSchema, port: portSchema }),
  z.object({ kind: z.literal('last-sender') }),
]);

export type SessionConfig = z.output<typeof sessionConfigSchema>;
export type SessionConfigInput = z.input<typeof sessionConfigSchema>;
export type TcpClientConfig = z.output<typeof tcpClientConfigSchema>;
export type TcpServerConfig = z.output<typeof tcpServerConfigSchema>;
export type UdpConfig = z.output<typeof udpConfigSchema>;
export type SessionKind = SessionConfig['kind'];
export type SessionOptions = z.output<typeof sessionOptionsSchema>;
export type SendPayload = z.output<typeof sendPayloadSchema>;
export type SendPayloadInput = z.input<typeof sendPayloadSchema>;
export type SendTarget = z.output<typeof sendTargetSchema>;
export type Reconnect = z.output<typeof reconnectSchema>;
