/**
 * The preload exposes three names (PreloadApi): `request(cmd, args)`, the
 * event subscription and the platform. No raw ipcRenderer, no channel names:
 * every request goes to the one command channel, where the main process
 * checks the sender and validates the command and its arguments against the
 * command table. It imports only electron and shared protocol code.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, type NetEvent, type PreloadApi } from '../../shared/protocol/ipc';

// One listener for the page's lifetime: it hands each batch to the subscribers,
// then acknowledges it, so the main process knows how far behind the page is
// (flow control: the hub pauses TCP reading while too much is unacknowledged).
const subscribers = new Set<(events: NetEvent[]) => void>();
ipcRenderer.on(IPC_CHANNELS.events, (_e: IpcRendererEvent, events: NetEvent[], batchNo: number) => {
  for (const cb of subscribers) {
    try {
      cb(events);
    } catch (err) {
      console.error('[wirebench] event subscriber failed', err);
    }
  }
  ipcRenderer.send(IPC_CHANNELS.ack, batchNo);
});

const api: PreloadApi = {
  request: (cmd, args) => ipcRenderer.invoke(IPC_CHANNELS.command, cmd, args),
  onEvents: (cb) => {
    subscribers.add(cb);
    return () => {
      subscribers.delete(cb);
    };
  },
  platform: process.platform,
};

contextBridge.exposeInMainWorld('wirebench', Object.freeze(api));
