/**
 * The IPC adapter onto the hub. Every invoke is checked for its sender frame,
 * schema-parsed by the hub's dispatcher and answered with a Result; nothing
 * ever throws back across the boundary.
 *
 * Only *types* come from electron here, so the adapter is testable with a
 * fake ipcMain and webContents (the Electron binary cannot run in CI).
 */
import { err, IPC_CHANNELS, type NetEvent, type Result } from '../../shared/protocol';
import type { Backend } from '../backend';
import { eventWeight } from '../hub/hub';

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

export function registerIpcHandlers(ipcMain: IpcMainLike, hub: Pick<Backend, 'handle'>, isAllowed: SenderCheck): () => void {
  ipcMain.handle(IPC_CHANNELS.command, async (event, cmd, args): Promise<Result<unknown>> => {
    try {
      if (!isAllowed(event)) {
        return err('FORBIDDEN', 'This frame is not allowed to use Wirebench');
      }
      return await hub.handle(cmd, args);
    } catch (e) {
      return err('INTERNAL', `Internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  return () => ipcMain.removeHandler(IPC_CHANNELS.command);
}

export interface WindowEvents {
  /** The page processed every batch up to `seq`. */
  ack(seq: number): void;
  /** The page is (re)loading: what it had not acknowledged will never be. */
  reset(): void;
  detach(): void;
}

/**
 * Streams hub batches to one window's renderer until the window is gone.
 * Each batch carries a sequence number that the preload acknowledges after
 * the page handled it; the bytes not yet acknowledged are this client's
 * backlog, which is how the hub sees a page that falls behind.
 */
export function attachWindowEvents(hub: Pick<Backend, 'attach'>, contents: WebContentsLike): WindowEvents {
  const outstanding = new Map<number, number>();
  let backlog = 0;
  let seq = 0;
  const client = hub.attach({
    send: (events: NetEvent[]) => {
      if (contents.isDestroyed()) return;
      seq += 1;
      const w = events.reduce((n, e) => n + eventWeight(e), 0);
      outstanding.set(seq, w);
      backlog += w;
      contents.send(IPC_CHANNELS.events, events, seq);
    },
    backlog: () => backlog,
  });
  let detached = false;
  const detach = () => {
    if (detached) return;
    detached = true;
    client.detach();
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
    },
    reset: () => {
      outstanding.clear();
      backlog = 0;
    },
    detach,
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
  const listener = (event: InvokeEventLike, seq: unknown): void => {
    if (!isAllowed(event) || typeof seq !== 'number') return;
    windowOf(event.sender.id)?.ack(seq);
  };
  ipcMain.on(IPC_CHANNELS.ack, listener);
  return () => ipcMain.removeListener(IPC_CHANNELS.ack, listener);
}
