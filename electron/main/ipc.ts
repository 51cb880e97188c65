/**
 * The IPC adapter onto the hub. Every invoke is checked for its sender frame,
 * schema-parsed by the hub's dispatcher and answered with a Result; nothing
 * ever throws back across the boundary.
 *
 * Only *types* come from electron here, so the adapter is testable with a
 * fake ipcMain and webContents (the Electron binary cannot run in CI).
 */
import { err, IPC_CHANNELS, type NetEvent, type Result } from '../../shared/protocol';
import type { Hub } from '../hub';

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

export function registerIpcHandlers(ipcMain: IpcMainLike, hub: Pick<Hub, 'handle'>, isAllowed: SenderCheck): () => void {
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

/** Streams hub batches to one window's renderer until the window is gone. */
export function attachWindowEvents(hub: Pick<Hub, 'attach'>, contents: WebContentsLike): () => void {
  const client = hub.attach({
    send: (events: NetEvent[]) => {
      if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.events, events);
    },
    backlog: () => 0,
  });
  let detached = false;
  const detach = () => {
    if (detached) return;
    detached = true;
    client.detach();
  };
  contents.once('destroyed', detach);
  return detach;
}
