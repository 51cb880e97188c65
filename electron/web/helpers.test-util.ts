/**
 * Test helpers for serve mode: a throw-away static dir and a WebSocket client
 * that speaks the wire protocol, over real loopback sockets.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { decodeFrame, encodeFrame, type WireMessage } from '../../shared/protocol';
import type { NetEvent, Result } from '../../shared/protocol';

export const TEST_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'";

/** <tmp>/site/{index.html, assets/app.js} and a secret next to the site. */
export function makeSite(): { root: string; staticDir: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'wirebench-web-'));
  const staticDir = join(root, 'site');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(
    join(staticDir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8">\n` +
      `<meta http-equiv="Content-Security-Policy" content="${TEST_CSP}">\n` +
      `<title>Wirebench</title></head><body><div id="app"></div><script type="module" src="/assets/app.js"></script></body></html>`,
  );
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("wirebench");\n');
  writeFileSync(join(root, 'secret.txt'), 'TOP-SECRET\n');
  return { root, staticDir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export interface Received {
  msg: WireMessage;
  isBinary: boolean;
}

/** A wire-protocol client: request/response by id and a log of every message. */
export class WireClient {
  readonly received: Received[] = [];
  private nextId = 1;
  private waiters: Array<() => void> = [];
  closeInfo: { code: number; reason: string } | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      let msg: WireMessage;
      try {
        msg = decodeFrame(bytes) as WireMessage;
      } catch {
        msg = { t: 'hello', version: -1, serverTime: 0 };
      }
      this.received.push({ msg, isBinary });
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closeInfo = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => undefined);
  }

  static open(url: string, token: string, headers: Record<string, string> = {}): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, [`wirebench.token.${token}`], { headers });
      const client = new WireClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolve once `pred` holds for the received log (or the socket closed). */
  async until<T>(pred: () => T | undefined, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = pred();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error('timed out waiting');
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  events(): NetEvent[] {
    return this.received.flatMap((r) => (r.msg.t === 'events' ? r.msg.events : []));
  }

  untilEvent<E extends NetEvent>(pred: (e: NetEvent) => e is E): Promise<E>;
  untilEvent(pred: (e: NetEvent) => boolean): Promise<NetEvent>;
  untilEvent(pred: (e: NetEvent) => boolean): Promise<NetEvent> {
    return this.until(() => this.events().find(pred));
  }

  sendRaw(data: Uint8Array | string): void {
    this.ws.send(data);
  }

  async request<T = unknown>(cmd: string, args: unknown): Promise<Result<T>> {
    const id = this.nextId++;
    this.ws.send(encodeFrame({ t: 'req', id, cmd, args }));
    const res = await this.until(() => {
      const hit = this.received.find((r) => r.msg.t === 'res' && r.msg.id === id);
      return hit?.msg.t === 'res' ? hit.msg.result : undefined;
    });
    return res as Result<T>;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** The HTTP status a refused upgrade answered, or 101 when it was accepted. */
export function upgradeStatus(url: string, protocols: string[], headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.on('error', () => undefined);
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
  });
}
