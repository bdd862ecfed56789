// Frames of the transport-agnostic RPC between a UI and the engine: WebSocket in the browser
// host, IPC in Electron, direct calls in tests. Errors travel as ErrorData, never as objects.
import type { ApiMethod } from '../api.js';
import type { ErrorData } from '../errors.js';
import type { EngineEvent } from '../events.js';

export interface RpcRequest {
  kind: 'request';
  id: number;
  method: ApiMethod;
  args: unknown[];
}

export type RpcResponse =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: ErrorData };

export interface RpcEvents {
  kind: 'events';
  events: EngineEvent[];
}

export type ServerFrame = RpcResponse | RpcEvents;
export type ClientFrame = RpcRequest;

/** Electron IPC channel names (the preload and main wrappers are the only users). */
export const IPC_INVOKE_CHANNEL = 'repograph:invoke';
export const IPC_EVENTS_CHANNEL = 'repograph:events';
