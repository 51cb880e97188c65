/**
 * Serve mode: one Node process serves the built renderer over HTTP and the
 * engine over a WebSocket on `/ws`, so any browser gets the same UI backed by
 * the same hub as the desktop app.
 *
 * Guards, all checked before the WebSocket upgrade:
 * - Host must name this server (defeats DNS rebinding);
 * - Origin, when present (browsers always send it), must be this server;
 * - the token is always required (subprotocol `wirebench.token.<token>` or `?token=`);
 * - messages are binary frames no larger than `maxMessageBytes`.
 *
 * Capture and export files can be downloaded from `/files/captures/<name>`
 * and `/files/exports/<name>` with the same token (`?token=`), see files.ts.
 */
import { promises as fsp } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { hostname as osHostname } from 'node:os';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { decodeFrame, encodeFrame, err, isDesktopCommand, say, WIRE_VERSION, type Result, type WireMessage } from '../../shared/protocol';
import { Backend } from '../backend';
import { isFilesRequest, serveDataFile } from './files';
import { CSP_HEADER, TOKEN_PROTOCOL_PREFIX, WS_PATH } from '../../shared/protocol/serve';
import { cspFromHtml, securityHeaders, sendText, serveStatic } from './static';
import { tokenFromProtocols, tokensEqual } from './token';
import { clearCookie, FORGET_PATH, setCookie, tokenExchange, tokenFromCookie } from './cookie';

export interface WebHostOptions {
  host: string;
  /** 0 = any free port */
  port: number;
  token: string;
  /** the built renderer (out/renderer) */
  staticDir: string;
  /** required to bind anything but a loopback address */
  allowRemote?: boolean;
  /** share a hub (tests, embedding); by default the host owns one and disposes it on close */
  hub?: Backend;
  /** data directory of the hub the host creates (ignored with `hub`) */
  dataDir?: string;
  /** largest WebSocket message accepted, bytes (default 32 MiB) */
  maxMessageBytes?: number;
  /** ping interval; a client that misses one pong is dropped (default 15 s) */
  heartbeatMs?: number;
}

export interface WebHost {
  /** http://host:port/ without the token */
  url: string;
  /** the same URL with `?token=…`: what a user opens */
  urlWithToken: string;
  port: number;
  hub: Backend;
  /** number of connected WebSocket clients */
  readonly clientCount: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
const DEFAULT_HEARTBEAT_MS = 15_000;

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  return /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** "127.0.0.1" → "127.0.0.1", "::1" → "[::1]", "0.0.0.0" → "127.0.0.1" (for URLs a user can open) */
function urlHost(bound: string): string {
  if (bound === '0.0.0.0' || bound === '') return '127.0.0.1';
  if (bound === '::') return '[::1]';
  return isIP(bound) === 6 ? `[${bound}]` : bound;
}

/** Split a Host header into lower-case name (brackets kept off) and port. */
function parseHostHeader(value: string): { name: string; port: number } | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m || m[1] === undefined) return null;
  return { name: m[1].toLowerCase().replace(/^\[|\]$/g, ''), port: m[2] !== undefined ? Number(m[2]) : 80 };
}

function httpRefusal(socket: Duplex, status: number, reason: string): void {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Error';
  const body = `${reason}\n`;
  try {
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  } catch {
    socket.destroy();
  }
}

/** A request as a client may send it; everything else about it is the hub's job to validate. */
type ParsedRequest =
  | { ok: true; id: number; cmd: string; args: unknown }
  /** an id we can answer to */
  | { ok: false; id: number; why: string }
  /** nothing to answer to: close the connection with this reason */
  | { ok: false; id?: undefined; why: string };

function asRequest(v: unknown): ParsedRequest {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return { ok: false, why: 'Malformed request: expected an object {t:"req", id, cmd, args}' };
  }
  const m = v as Record<string, unknown>;
  const id = m.id;
  if (typeof id !== 'number' || !Number.isFinite(id)) return { ok: false, why: 'Malformed request: the id must be a number' };
  if (!Number.isSafeInteger(id) || id < 0) return { ok: false, id, why: 'Malformed request: the id must be a whole number from 0 to 2^53 − 1' };
  if (m.t !== 'req' || typeof m.cmd !== 'string') return { ok: false, id, why: 'Malformed request: expected {t:"req", id, cmd, args}' };
  return { ok: true, id, cmd: m.cmd, args: m.args };
}

/** Requests one connection may have unanswered at once; more are refused at once. */
const MAX_IN_FLIGHT = 64;
/** A connection whose unsent answers and events exceed this has stopped reading: it is closed. */
const MAX_BUFFERED_BYTES = 256 * 1024 * 1024;

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  if (!opts.allowRemote && !isLoopbackHost(opts.host)) {
    throw new Error(
      `Refusing to serve on ${opts.host}: it is not a loopback address. Allow remote access explicitly to do this.`,
    );
  }
  const maxPayload = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const ownsHub = !opts.hub;
  const hub = opts.hub ?? new Backend(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {});

  let csp = CSP_HEADER;
  try {
    csp = cspFromHtml(await fsp.readFile(`${opts.staticDir}/index.html`, 'utf8')) ?? CSP_HEADER;
  } catch {
    // no index.html yet: the fallback policy still applies to whatever is served
  }
  const headers = securityHeaders(csp);
  let realRoot = opts.staticDir;
  try {
    realRoot = await fsp.realpath(opts.staticDir);
  } catch {
    // a missing dir answers 404 for every file
  }

  let port = opts.port;
  const boundName = opts.host.toLowerCase().replace(/^\[|\]$/g, '');
  const localNames = new Set([...LOOPBACK_NAMES, boundName, osHostname().toLowerCase()]);

  /** Host must name this server; remote mode also accepts any IP literal (no DNS, no rebinding). */
  const hostAllowed = (value: string | undefined): string | null => {
    if (!value) return null;
    const h = parseHostHeader(value);
    if (!h || h.port !== port) return null;
    const ok = localNames.has(h.name) || (opts.allowRemote === true && isIP(h.name) !== 0);
    return ok ? value.trim().toLowerCase() : null;
  };

  const server: Server = createServer((req, res) => {
    if (!hostAllowed(req.headers.host)) {
      sendText(res, 403, 'Forbidden: unexpected Host header', headers);
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === FORGET_PATH) {
      // same-origin only (SameSite=Strict cookies aside): a page elsewhere cannot log this browser out
      const origin = req.headers.origin;
      if (req.method !== 'POST' || (origin !== undefined && origin.toLowerCase() !== `http://${req.headers.host?.toLowerCase()}`)) {
        sendText(res, 405, 'Method not allowed', { ...headers, Allow: 'POST' });
        return;
      }
      res.writeHead(204, { ...headers, 'Set-Cookie': clearCookie(port), 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    const exchange = isFilesRequest(req.url) ? undefined : tokenExchange(req, opts.token);
    if (exchange !== undefined) {
      // the token moves from the address bar into an HttpOnly cookie
      res.writeHead(303, { ...headers, Location: exchange, 'Set-Cookie': setCookie(port, opts.token), 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    const served = isFilesRequest(req.url)
      ? serveDataFile(req, res, { dataDir: hub.dataDir, token: opts.token, cookieToken: tokenFromCookie(req, port), headers })
      : serveStatic(req, res, { root: opts.staticDir, realRoot, headers });
    served.catch(() => {
      if (!res.headersSent) sendText(res, 500, 'Internal error', headers);
      else res.destroy();
    });
  });
  server.on('clientError', (_e, socket) => socket.destroy());

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
    clientTracking: true,
    perMessageDeflate: false,
    // echo the token protocol: browsers fail a handshake that offered protocols and got none back
    handleProtocols: (protocols) => {
      for (const p of protocols) if (p.startsWith(TOKEN_PROTOCOL_PREFIX)) return p;
      return false;
    },
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refusal = checkUpgrade(req);
    if (refusal) {
      httpRefusal(socket, refusal.status, refusal.reason);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  function checkUpgrade(req: IncomingMessage): { status: number; reason: string } | null {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q >= 0 ? raw.slice(0, q) : raw;
    if (path !== WS_PATH) return { status: 404, reason: 'Not found' };
    const host = hostAllowed(req.headers.host);
    if (!host) return { status: 403, reason: 'Forbidden: unexpected Host header' };
    const origin = req.headers.origin;
    if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
      return { status: 403, reason: 'Forbidden: cross-origin WebSocket connections are not allowed' };
    }
    const fromQuery = q >= 0 ? (new URLSearchParams(raw.slice(q + 1)).get('token') ?? undefined) : undefined;
    const given = tokenFromProtocols(req.headers['sec-websocket-protocol']) ?? fromQuery ?? tokenFromCookie(req, port);
    if (!given) return { status: 401, reason: 'Unauthorized: the access token is missing' };
    if (!tokensEqual(opts.token, given)) return { status: 403, reason: 'Forbidden: the access token is wrong' };
    return null;
  }

  const alive = new WeakMap<WebSocket, boolean>();
  /** unanswered requests per connection */
  const inFlight = new WeakMap<WebSocket, number>();

  function send(ws: WebSocket, msg: WireMessage): void {
    if (ws.readyState !== ws.OPEN) return;
    let frame: Uint8Array;
    try {
      frame = encodeFrame(msg);
    } catch (e) {
      if (msg.t !== 'res') return;
      const message = e instanceof Error ? e.message : String(e);
      frame = encodeFrame({ t: 'res', id: msg.id, result: err('INTERNAL', `Internal error: ${message}`) });
    }
    ws.send(frame, { binary: true }, () => {
      // write errors surface as 'error'/'close' on the socket
    });
  }

  function onConnection(ws: WebSocket): void {
    alive.set(ws, true);
    inFlight.set(ws, 0);
    ws.on('pong', () => alive.set(ws, true));
    // protocol errors (oversize, bad opcode) arrive here; ws then closes the socket itself
    ws.on('error', () => undefined);
    send(ws, { t: 'hello', version: WIRE_VERSION, serverTime: Date.now() });
    const client = hub.attach({
      send: (events) => send(ws, { t: 'events', events }),
      backlog: () => ws.bufferedAmount,
    });
    ws.on('close', () => client.detach());
    ws.on('message', (data: RawData, isBinary: boolean) => onMessage(ws, data, isBinary));
  }

  function onMessage(ws: WebSocket, data: RawData, isBinary: boolean): void {
    if (!isBinary) {
      ws.close(1003, 'Wirebench accepts binary frames only');
      return;
    }
    const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    let value: unknown;
    try {
      value = decodeFrame(bytes);
    } catch {
      ws.close(1007, 'Undecodable frame');
      return;
    }
    const req = asRequest(value);
    if (!req.ok) {
      if (req.id === undefined) ws.close(1008, req.why);
      else send(ws, { t: 'res', id: req.id, result: err('INVALID_ARGUMENT', req.why) });
      return;
    }
    const pending = inFlight.get(ws) ?? 0;
    if (pending >= MAX_IN_FLIGHT) {
      send(ws, { t: 'res', id: req.id, result: err('INVALID_ARGUMENT', `Too many requests at once: wait for the answers to the ${pending} before sending more`) });
      return;
    }
    inFlight.set(ws, pending + 1);
    // native dialogs, the menu, quitting: only the desktop app's main process can answer those
    const answer = isDesktopCommand(req.cmd) ? Promise.resolve(err('FORBIDDEN', say('desktop.only', { cmd: req.cmd }))) : hub.handle(req.cmd, req.args);
    answer
      .catch((e: unknown): Result<unknown> => err('INTERNAL', `Internal error: ${e instanceof Error ? e.message : String(e)}`))
      .then((result) => {
        inFlight.set(ws, (inFlight.get(ws) ?? 1) - 1);
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
          ws.close(1008, 'This connection stopped reading its answers');
          return;
        }
        send(ws, { t: 'res', id: req.id, result });
      });
  }

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      try {
        ws.ping();
      } catch {
        ws.terminate();
      }
    }
  }, heartbeatMs);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error): void => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(opts.port, opts.host);
  });
  server.on('error', () => undefined);
  port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(opts.host)}:${port}/`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(1001, 'Wirebench is shutting down');
      await new Promise<void>((r) => setTimeout(r, 50).unref());
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      if (ownsHub) await hub.dispose();
    })();
    return closing;
  };

  return {
    url,
    urlWithToken: `${url}?token=${encodeURIComponent(opts.token)}`,
    port,
    hub,
    get clientCount() {
      return wss.clients.size;
    },
    close,
  };
}
