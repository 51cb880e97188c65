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
api['onEvents'] = (cb: (events: NetEvent[]) => void) => {
  const listener = (_e: IpcRendererEvent, events: NetEvent[]) => cb(events);
  ipcRenderer.on(IPC_CHANNELS.events, listener);
  return () => {
    ipcRenderer.removeListener(IPC_CHANNELS.events, listener);
  };
};
api['platform'] = process.platform;

contextBridge.exposeInMainWorld('wirebench', Object.freeze(api));
