// The Electron preload's bridge, seen through the same error type as the browser host's.
// The preload rejects with plain {name, code, message} objects (contextBridge would strip `code`
// from a real Error); the renderer wants Errors, so each rejection is rebuilt as an RpcError.
import type { ApiMethod, RepographApi } from '../../../shared/api.js';
import { API_METHODS } from '../../../shared/api.js';
import type { ErrorCode } from '../../../shared/errors.js';
import { RpcError } from './browser-bridge.js';

/** Turns whatever the preload rejected with into an RpcError, keeping its code, name and message. */
export function toRpcError(method: ApiMethod, rejection: unknown): Error {
  if (rejection instanceof RpcError) return rejection;
  if (typeof rejection === 'object' && rejection !== null) {
    const { name, code, message } = rejection as { name?: unknown; code?: unknown; message?: unknown };
    if (typeof message === 'string') {
      return new RpcError(
        (typeof code === 'string' ? code : 'INTERNAL') as ErrorCode,
        message,
        typeof name === 'string' ? name : 'RpcError',
      );
    }
  }
  return new RpcError('INTERNAL', `${method}: ${String(rejection)}`);
}

/** Wraps every API call of the preload's bridge so that its rejections are RpcErrors. */
export function wrapPreloadApi(api: RepographApi): RepographApi {
  const call = (method: ApiMethod) => async (...args: unknown[]): Promise<unknown> => {
    try {
      return await (api[method] as (...callArgs: unknown[]) => Promise<unknown>)(...args);
    } catch (rejection) {
      throw toRpcError(method, rejection);
    }
  };
  return Object.fromEntries(API_METHODS.map((method) => [method, call(method)])) as unknown as RepographApi;
}
