/**
 * The new-session dialog's starting values. Every option the engine has a
 * default for takes it from the protocol's schemas (parsed once here), so the
 * dialog can never disagree with a session opened through the API. Only what
 * the schemas leave to the user is the dialog's own suggestion: the client's
 * host and port (a local service on 8080), the server's port (8080) and
 * UDP's bind address (any IPv4).
 */
import { tcpClientConfigSchema, tcpServerConfigSchema, udpConfigSchema, type Encoding, type SessionKind } from '../../../shared/protocol';

const client = tcpClientConfigSchema.parse({ kind: 'tcp-client', host: '127.0.0.1', port: 8080 });
const server = tcpServerConfigSchema.parse({ kind: 'tcp-server', port: 8080 });
const udp = udpConfigSchema.parse({ kind: 'udp', bindAddress: '0.0.0.0' });

export function newSessionForm(rxEncoding: Encoding) {
  return {
    kind: 'tcp-client' as SessionKind,
    name: '',
    rxEncoding,
    // tcp client
    host: client.host,
    clientPort: String(client.port),
    localAddress: '',
    localPort: '',
    connectTimeoutMs: client.connectTimeoutMs,
    keepAlive: client.keepAlive,
    keepAliveDelayMs: client.keepAliveDelayMs,
    noDelay: client.noDelay,
    reconnect: client.reconnect.enabled,
    reconnectInitialMs: client.reconnect.initialDelayMs,
    reconnectMaxMs: client.reconnect.maxDelayMs,
    reconnectAttempts: client.reconnect.maxAttempts,
    // tcp server
    serverHost: server.host,
    serverPort: String(server.port),
    maxClients: server.maxClients,
    // udp
    udpBind: udp.bindAddress ?? '0.0.0.0',
    udpPort: String(udp.bindPort),
    remoteHost: '',
    remotePort: '',
    broadcast: udp.broadcast,
    reuseAddr: udp.reuseAddr,
    multicastTtl: udp.multicastTtl,
    multicastLoopback: udp.multicastLoopback,
  };
}
