/// <reference types="vite/client" />
import type { PreloadApi } from '../../shared/protocol';

declare global {
  interface Window {
    /** Present under Electron (the preload's contextBridge API); absent in a browser. */
    wirebench?: PreloadApi;
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

export {};
