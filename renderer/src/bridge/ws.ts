/**
 * The Bridge in serve mode: one WebSocket to the Wirebench host, binary frames
 * (shared/protocol/wire.ts), requests matched to answers by id, event batches
 * delivered in order, and automatic reconnection with backoff. The app
 * re-syncs with `session.list` on every 'open'; sessions live on in the host.
 *
 * Written against a minimal socket shape (not the DOM lib) so the same code
 * runs in Node tests with the `ws` package's client.
 */
import type { CommandInput, CommandName, CommandResults } from '../../../shared/protocol/commands';
import type { Err, Result } from '../../../shared/protocol/errors';
import type { NetEvent } from '../../../shared/protocol/events';
import { decodeFrame, encodeFrame, WIRE_VERSION } from '../../../shared/protocol/wire';
import { TOKEN_PATTERN, TOKEN_PROTOCOL_PREFIX, WS_PATH } from '../../../shared/protocol/serve';
import type { Bridge, ConnectionState } from './types';

/** The subset of the WebSocket API the bridge uses. */
export interface SocketLike {
  binaryType: string;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

export interface AuthError {
  reason: 'missing' | 'rejected';
  message: string;
}

export interface WsBridgeOptions {
  /** default: ws(s)://<location.host>/ws */
  url?: string;
  /** default: `?token=` of the page (then remembered for this tab), else the remembered one */
  token?: string;
  /** how long a request made while disconnected waits for the connection (default 10 s) */
  connectWaitMs?: number;
  /** default: the global WebSocket */
  socketFactory?: SocketFactory;
  /**
   * Whether the host answers plain HTTP; used to tell "wrong token" from "host
   * down" after repeated refusals. Default: a HEAD request to the host's origin.
   */
  probe?: () => Promise<boolean>;
}

export interface WsBridge extends Bridge {
  readonly kind: 'ws';
  /** The host refused the token: called with the reason (at once for late subscribers). */
  onAuthError(cb: (error: AuthError) => void): () => void;
  readonly authError: AuthError | undefined;
  readonly state: ConnectionState;
  /** Close for good: no reconnection; waiting requests answer NOT_CONNECTED. */
  close(): void;
}

/** Link to a file the engine wrote: `/files/exports/a%20b.csv?token=…` (without a token the server's cookie is the key). */
export function downloadUrl(folder: 'exports' | 'captures', name: string, token: string): string {
  const path = name.split('/').filter(Boolean).map(encodeURIComponent).join('/');
  return `/files/${folder}/${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

export const TOKEN_STORAGE_KEY = 'wirebench.token';
export const AUTH_ERROR_MESSAGE =
  'The access token is missing or wrong — open the URL printed by `npm run serve`.';
const BACKOFF_START_MS = 250;
const BACKOFF_MAX_MS = 5000;
/** consecutive refusals before we ask whether the host is up at all */
const REFUSALS_BEFORE_PROBE = 3;

interface BrowserGlobals {
  location?: { protocol: string; host: string; search: string; pathname: string; hash: string };
  sessionStorage?: { getItem(k: string): string | null; setItem(k: string, v: string): void };
  history?: { state: unknown; replaceState(state: unknown, unused: string, url: string): void };
  WebSocket?: new (url: string, protocols?: string[]) => SocketLike;
}
const browser = (): BrowserGlobals => globalThis as unknown as BrowserGlobals;

/**
 * The token from `?token=` (remembered in sessionStorage and removed from the
 * address bar so it does not leak through screenshots or bookmarks), or the
 * one remembered by this tab.
 */
export function takePageToken(): string | undefined {
  const g = browser();
  const loc = g.location;
  if (loc) {
    const params = new URLSearchParams(loc.search);
    const fromUrl = params.get('token');
    if (fromUrl) {
      try {
        g.sessionStorage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
      } catch {
        // storage disabled: the token still works until the tab reloads
      }
      params.delete('token');
      const qs = params.toString();
      try {
        g.history?.replaceState(g.history.state, '', `${loc.pathname}${qs ? `?${qs}` : ''}${loc.hash}`);
      } catch {
        // not fatal
      }
      return fromUrl;
    }
  }
  try {
    return g.sessionStorage?.getItem(TOKEN_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function defaultUrl(): string {
  const loc = browser().location;
  if (!loc) throw new Error('createWsBridge: no page location; pass opts.url');
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${WS_PATH}`;
}

function defaultFactory(): SocketFactory {
  return (url, protocols) => {
    const Ctor = browser().WebSocket;
    if (!Ctor) throw new Error('WebSocket is not available');
    return new Ctor(url, protocols);
  };
}

/** HEAD on the host's origin: true when the HTTP side answers. */
function httpProbe(wsUrl: string): () => Promise<boolean> {
  return async () => {
    try {
      const u = new URL(wsUrl);
      u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
      // a query string instead of `cache: 'no-store'`, which Node's RequestInit type lacks
      const res = await fetch(`${u.origin}/?probe=${Date.now()}`, { method: 'HEAD' });
      return res.ok;
    } catch {
      return false;
    }
  };
}

const notConnected = (message: string): Err => ({ ok: false, code: 'NOT_CONNECTED', message });

interface Pending {
  frame: Uint8Array;
  resolve: (r: Result<unknown>) => void;
  sent: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

function isResult(v: unknown): v is Result<unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as { ok?: unknown; code?: unknown; message?: unknown };
  return r.ok === true || (r.ok === false && typeof r.code === 'string' && typeof r.message === 'string');
}

export function createWsBridge(opts: WsBridgeOptions = {}): WsBridge {
  const url = opts.url ?? defaultUrl();
  const rawToken = opts.token ?? takePageToken();
  const token = rawToken !== undefined && TOKEN_PATTERN.test(rawToken) ? rawToken : undefined;
  const factory = opts.socketFactory ?? defaultFactory();
  const probe = opts.probe ?? httpProbe(url);
  const connectWaitMs = opts.connectWaitMs ?? 10_000;

  const eventListeners = new Set<(events: NetEvent[]) => void>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  const authListeners = new Set<(e: AuthError) => void>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let state: ConnectionState = 'connecting';
  let socket: SocketLike | undefined;
  let backoffMs = BACKOFF_START_MS;
  let refusals = 0;
  let authError: AuthError | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const setState = (s: ConnectionState): void => {
    if (s === state) return;
    state = s;
    for (const cb of stateListeners) {
      try {
        cb(s);
      } catch (e) {
        console.error('Wirebench: a connection listener failed', e);
      }
    }
  };

  const setAuthError = (e: AuthError): void => {
    authError = e;
    for (const cb of authListeners) {
      try {
        cb(e);
      } catch (err) {
        console.error('Wirebench: an auth-error listener failed', err);
      }
    }
  };

  const trySend = (p: Pending): boolean => {
    if (!socket || state !== 'open') return false;
    try {
      socket.send(p.frame);
      p.sent = true;
      return true;
    } catch {
      return false;
    }
  };

  const flushWaiting = (): void => {
    for (const p of pending.values()) {
      if (p.sent) continue;
      if (!trySend(p)) break;
      if (p.timer !== undefined) clearTimeout(p.timer);
      p.timer = undefined;
    }
  };

  const onFrame = (data: unknown): void => {
    let bytes: Uint8Array;
    if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
    else if (data instanceof Uint8Array) bytes = data;
    else return; // text frames are not part of the protocol
    let msg: unknown;
    try {
      msg = decodeFrame(bytes);
    } catch (e) {
      console.error('Wirebench: undecodable frame from the host', e);
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as { t?: unknown; id?: unknown; result?: unknown; events?: unknown; version?: unknown };
    if (m.t === 'res' && typeof m.id === 'number') {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      p.resolve(isResult(m.result) ? m.result : { ok: false, code: 'INTERNAL', message: 'Malformed answer from the host' });
    } else if (m.t === 'events' && Array.isArray(m.events)) {
      const events = m.events as NetEvent[];
      for (const cb of eventListeners) {
        try {
          cb(events);
        } catch (e) {
          console.error('Wirebench: an event listener failed', e);
        }
      }
    } else if (m.t === 'hello' && m.version !== WIRE_VERSION) {
      console.warn(`Wirebench: the host speaks wire version ${String(m.version)}, this page ${WIRE_VERSION}; reload the page`);
    }
  };

  const scheduleReconnect = (): void => {
    if (closed || retryTimer !== undefined) return;
    const delay = backoffMs;
    backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect();
    }, delay);
  };

  const onDrop = (opened: boolean, code: number): void => {
    // answers to requests already sent are lost with the connection; never re-send (no double sends)
    for (const [id, p] of pending) {
      if (!p.sent) continue;
      pending.delete(id);
      p.resolve(notConnected('The connection to the Wirebench host was lost before the answer arrived'));
    }
    setState('closed');
    if (closed) return;
    if (code === 1008) {
      setAuthError({ reason: 'rejected', message: AUTH_ERROR_MESSAGE });
    } else if (!opened) {
      refusals += 1;
      // without a token of its own the page relies on the server's cookie: ask at once whether that was refused
      if ((token === undefined || refusals % REFUSALS_BEFORE_PROBE === 0) && !authError) {
        void probe().then((httpUp) => {
          // the page's host answers HTTP but refuses the socket: the token (or origin) is wrong
          if (httpUp && !closed && state !== 'open' && !authError) {
            setAuthError({ reason: token === undefined ? 'missing' : 'rejected', message: AUTH_ERROR_MESSAGE });
          }
        });
      }
    }
    scheduleReconnect();
  };

  function connect(): void {
    if (closed) return;
    setState('connecting');
    let sock: SocketLike;
    try {
      // no token of its own: the server's HttpOnly cookie (set when the page was opened with ?token=) is the key
      sock = factory(url, token !== undefined ? [`${TOKEN_PROTOCOL_PREFIX}${token}`] : []);
      sock.binaryType = 'arraybuffer';
    } catch (e) {
      console.error('Wirebench: could not open the WebSocket', e);
      onDrop(false, 0);
      return;
    }
    socket = sock;
    let opened = false;
    sock.onopen = () => {
      if (socket !== sock) return;
      opened = true;
      refusals = 0;
      backoffMs = BACKOFF_START_MS;
      authError = undefined;
      setState('open');
      flushWaiting();
    };
    sock.onmessage = (ev) => {
      if (socket === sock) onFrame(ev.data);
    };
    sock.onerror = () => undefined; // a close event follows
    sock.onclose = (ev) => {
      if (socket !== sock) return;
      socket = undefined;
      onDrop(opened, ev.code);
    };
  }

  function request<C extends CommandName>(cmd: C, args: CommandInput<C>): Promise<Result<CommandResults[C]>> {
    const id = nextId++;
    let frame: Uint8Array;
    try {
      frame = encodeFrame({ t: 'req', id, cmd, args });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return Promise.resolve({ ok: false, code: 'INVALID_ARGUMENT', message: `Arguments cannot be sent: ${message}` });
    }
    return new Promise<Result<unknown>>((resolve) => {
      const p: Pending = { frame, resolve, sent: false, timer: undefined };
      pending.set(id, p);
      if (trySend(p)) return;
      if (closed) {
        pending.delete(id);
        resolve(notConnected('Not connected to the Wirebench host'));
        return;
      }
      p.timer = setTimeout(() => {
        if (pending.get(id) !== p || p.sent) return;
        pending.delete(id);
        resolve(notConnected('Not connected to the Wirebench host'));
      }, connectWaitMs);
    }) as Promise<Result<CommandResults[C]>>;
  }

  connect();

  return {
    kind: 'ws',
    fileUrl: (folder: 'exports' | 'captures', name: string) => downloadUrl(folder, name, token ?? ''),
    request,
    onEvents(cb) {
      eventListeners.add(cb);
      return () => eventListeners.delete(cb);
    },
    onConnection(cb) {
      stateListeners.add(cb);
      cb(state);
      return () => stateListeners.delete(cb);
    },
    onAuthError(cb) {
      authListeners.add(cb);
      if (authError) cb(authError);
      return () => authListeners.delete(cb);
    },
    get authError() {
      return authError;
    },
    get state() {
      return state;
    },
    close() {
      if (closed) return;
      closed = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      retryTimer = undefined;
      const s = socket;
      socket = undefined;
      try {
        s?.close(1000, 'Page closed the connection');
      } catch {
        // already closing
      }
      for (const [id, p] of pending) {
        pending.delete(id);
        if (p.timer !== undefined) clearTimeout(p.timer);
        p.resolve(notConnected('Not connected to the Wirebench host'));
      }
      setState('closed');
    },
  };
}
