/** Pick the transport: the preload's IPC API under Electron, else WebSocket (serve mode). */
import { createIpcBridge } from './ipc';
import { createWsBridge } from './ws';
import type { Bridge } from './types';

export type { Bridge } from './types';

export function createBridge(): Bridge {
  const api = typeof window === 'undefined' ? undefined : window.wirebench;
  return api ? createIpcBridge(api) : createWsBridge();
}
