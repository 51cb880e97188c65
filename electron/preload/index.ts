/**
 * The preload exposes a fixed set of named functions (one per command, see
 * COMMAND_METHODS) and an event subscription. No raw ipcRenderer, no
 * channel-name passthrough. It imports only electron and shared protocol code.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { NetEvent } from '../../shared/protocol/events';
import { IPC_CHANNELS } from '../../shared/protocol/ipc';
import { COMMAND_METHODS } from '../../shared/protocol/methods';

const api: Record<string, unknown> = {};
for (const [cmd, method] of Object.entries(COMMAND_METHODS)) {
  api[method] = (args: unknown) => ipcRenderer.invoke(IPC_CHANNELS.command, cmd, args);
}
// One listener for the page's lifetime: it hands each batch to the subscribers,
// then acknowledges it, so the main process knows how far behind the page is
// (flow control: the hub pauses TCP reading while too much is unacknowledged).
const subscribers = new Set<(events: NetEvent[]) => void>();
ipcRenderer.on(IPC_CHANNELS.events, (_e: IpcRendererEvent, events: NetEvent[], seq: number) => {
  for (const cb of subscribers) {
    try {
      cb(events);
    } catch (err) {
      console.error('[wirebench] event subscriber failed', err);
    }
  }
  ipcRenderer.send(IPC_CHANNELS.ack, seq);
});
api['onEvents'] = (cb: (events: NetEvent[]) => void) => {
  subscribers.add(cb);
  return () => {
    subscribers.delete(cb);
  };
};
api['platform'] = process.platform;

contextBridge.exposeInMainWorld('wirebench', Object.freeze(api));
