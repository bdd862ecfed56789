import { describe, expect, it } from 'vitest';
import { RpcError } from '../../../../src/renderer/src/api/browser-bridge.js';
import { toRpcError, wrapPreloadApi } from '../../../../src/renderer/src/api/preload-bridge.js';
import type { RepographApi } from '../../../../src/shared/api.js';

// Stands in for the preload's api object: what contextBridge hands the renderer is plain functions.
function preloadApi(overrides: Partial<Record<keyof RepographApi, (...args: unknown[]) => Promise<unknown>>>): RepographApi {
  return overrides as unknown as RepographApi;
}

describe('wrapPreloadApi', () => {
  it('rebuilds a plain {name, code, message} rejection as an RpcError with the same code and message', async () => {
    const api = wrapPreloadApi(
      preloadApi({
        testConnection: () => Promise.reject({ name: 'RepographError', code: 'NEO4J_AUTH', message: 'Neo4j refused the password' }),
      }),
    );
    const rejection: unknown = await api.testConnection({ name: 'a', uri: 'bolt://x', username: 'u', database: '' }).catch((error: unknown) => error);
    expect(rejection).toBeInstanceOf(RpcError);
    expect(rejection).toBeInstanceOf(Error);
    expect(rejection).toMatchObject({ code: 'NEO4J_AUTH', name: 'RepographError', message: 'Neo4j refused the password' });
  });

  it('passes arguments and results through unchanged', async () => {
    const seen: unknown[] = [];
    const api = wrapPreloadApi(
      preloadApi({
        getSession: (...args) => {
          seen.push(...args);
          return Promise.resolve({ id: 's1' });
        },
      }),
    );
    await expect(api.getSession('s1')).resolves.toEqual({ id: 's1' });
    expect(seen).toEqual(['s1']);
  });

  it('turns a rejection that is not error-shaped into an INTERNAL RpcError naming the call', () => {
    const error = toRpcError('listProjects', 42);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'INTERNAL', message: 'listProjects: 42' });
  });
});
