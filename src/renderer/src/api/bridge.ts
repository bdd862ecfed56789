// The one bridge the renderer uses: Electron's preload if present, else the browser host's WebSocket.
import type { RepographBridge } from '../../../shared/api.js';
import type { ConnectionState } from './browser-bridge.js';
import { createBrowserBridge, rpcUrl, takeAccessToken } from './browser-bridge.js';
import { wrapPreloadApi } from './preload-bridge.js';

declare global {
  interface Window {
    repograph?: RepographBridge;
  }
}

export interface AppBridge extends RepographBridge {
  connectionState(): ConnectionState;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
}

function resolveBridge(): AppBridge {
  const preload = window.repograph;
  if (preload) {
    // IPC has no connection to lose.
    return { api: wrapPreloadApi(preload.api), onEvent: (listener) => preload.onEvent(listener), connectionState: () => 'open', onConnectionChange: () => () => {} };
  }
  return createBrowserBridge({ url: rpcUrl(window.location, takeAccessToken(window)) });
}

export const bridge: AppBridge = resolveBridge();
export const api = bridge.api;
