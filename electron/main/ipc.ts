/**
 * The IPC adapter onto the hub. Every invoke is checked for its sender frame,
 * schema-parsed by the hub's dispatcher and answered with a Result; nothing
 * ever throws back across the boundary.
 *
 * Only *types* come from electron here, so the adapter is testable with a
 * fake ipcMain and webContents (the Electron binary cannot run in CI).
 */
import { err, IPC_CHANNELS, isDesktopCommand, say, type NetEvent, type Result } from '../../shared/protocol';
import type { Backend } from '../backend';
import { eventWeight } from '../hub/hub';
import type { DesktopDispatcher } from './desktop-commands';

/** The parts of an IpcMainInvokeEvent the adapter reads. */
export interface InvokeEventLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null | undefined;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

/** Decides whether an invoke may reach the engine. */
export type SenderCheck = (event: InvokeEventLike) => boolean;

/** Our own window's top frame, showing our own page; never a sub-frame or a foreign URL. */
export function createSenderCheck(isOurContents: (id: number) => boolean, isOurUrl: (url: string) => boolean): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame) return false;
    if (frame.parent !== null) return false;
    return isOurContents(event.sender.id) && isOurUrl(frame.url);
  };
}

/**
 * Serves the one command channel: engine commands go to the hub's
 * dispatcher, the desktop-only ones (shared/protocol/desktop.ts) to `desktop`
 * in this process.
 */
export function registerIpcHandlers(ipcMain: IpcMainLike, hub: Pick<Backend, 'handle'>, isAllowed: SenderCheck, desktop?: DesktopDispatcher): () => void {
  ipcMain.handle(IPC_CHANNELS.command, async (event, cmd, args): Promise<Result<unknown>> => {
    try {
      if (!isAllowed(event)) {
        return err('FORBIDDEN', 'This frame is not allowed to use Wirebench');
      }
      if (isDesktopCommand(cmd)) return desktop ? await desktop(cmd, args) : err('FORBIDDEN', say('desktop.only', { cmd }));
      return await hub.handle(cmd, args);
    } catch (e) {
      return err('INTERNAL', `Internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  return () => ipcMain.removeHandler(IPC_CHANNELS.command);
}

export interface WindowEvents {
  /** The page processed every batch up to number `batchNo`. */
  ack(batchNo: number): void;
  /** The page is (re)loading: what it had not acknowledged will never be. */
  reset(): void;
  detach(): void;
  /**
   * Send this window (only) a batch of its own, e.g. a menu click; true once
   * the page has handled it, false if it did not within `timeoutMs` (or was
   * reloaded or closed meanwhile).
   */
  push(events: NetEvent[], timeoutMs?: number): Promise<boolean>;
}

/**
 * Streams hub batches to one window's renderer until the window is gone.
 * Each batch carries a number (batchNo: 1, 2, 3…) that the preload acknowledges after
 * the page handled it; the bytes not yet acknowledged are this client's
 * backlog, which is how the hub sees a page that falls behind.
 */
export function attachWindowEvents(hub: Pick<Backend, 'attach'>, contents: WebContentsLike): WindowEvents {
  const outstanding = new Map<number, number>();
  /** pushed batches waiting for their acknowledgement */
  const waiting = new Map<number, (handled: boolean) => void>();
  let backlog = 0;
  let batchNo = 0;
  const send = (events: NetEvent[]): number | null => {
    if (contents.isDestroyed()) return null;
    batchNo += 1;
    const w = events.reduce((n, e) => n + eventWeight(e), 0);
    outstanding.set(batchNo, w);
    backlog += w;
    contents.send(IPC_CHANNELS.events, events, batchNo);
    return batchNo;
  };
  const settleAll = (): void => {
    for (const done of waiting.values()) done(false);
    waiting.clear();
  };
  const client = hub.attach({ send, backlog: () => backlog });
  let detached = false;
  const detach = () => {
    if (detached) return;
    detached = true;
    client.detach();
    settleAll();
  };
  contents.once('destroyed', detach);
  return {
    ack: (upTo) => {
      if (!Number.isInteger(upTo)) return;
      for (const [s, w] of outstanding) {
        if (s > upTo) break;
        backlog -= w;
        outstanding.delete(s);
      }
      for (const [s, done] of waiting) {
        if (s > upTo) continue;
        waiting.delete(s);
        done(true);
      }
    },
    reset: () => {
      outstanding.clear();
      backlog = 0;
      settleAll();
    },
    detach,
    push: (events, timeoutMs = 2000) =>
      new Promise<boolean>((resolve) => {
        const sent = send(events);
        if (sent === null) return resolve(false);
        const timer = setTimeout(() => {
          waiting.delete(sent);
          resolve(false);
        }, timeoutMs);
        waiting.set(sent, (handled) => {
          clearTimeout(timer);
          resolve(handled);
        });
      }),
  };
}

export interface IpcMainOnLike {
  on(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => void): void;
  removeListener(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => void): void;
}

/** Routes the preload's acknowledgements to the window they came from (same sender check as commands). */
export function registerAckHandler(
  ipcMain: IpcMainOnLike,
  windowOf: (webContentsId: number) => WindowEvents | undefined,
  isAllowed: SenderCheck,
): () => void {
  const listener = (event: InvokeEventLike, batchNo: unknown): void => {
    if (!isAllowed(event) || typeof batchNo !== 'number') return;
    windowOf(event.sender.id)?.ack(batchNo);
  };
  ipcMain.on(IPC_CHANNELS.ack, listener);
  return () => ipcMain.removeListener(IPC_CHANNELS.ack, listener);
}
