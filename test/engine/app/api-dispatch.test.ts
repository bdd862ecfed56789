import { describe, expect, it } from 'vitest';
import { dispatchApiCall, isApiMethod } from '../../../src/engine/app/api-dispatch.js';
import { API_METHODS, type RepographApi } from '../../../src/shared/api.js';

describe('dispatchApiCall', () => {
  const received: unknown[] = [];
  const api = {
    startParse: async (request: unknown) => {
      received.push(request);
      return { sessionId: 's' };
    },
    cancel: async () => undefined,
    listProjects: async () => {
      throw new TypeError('boom');
    },
  } as unknown as RepographApi;

  it('calls the method with validated (stripped) arguments', async () => {
    const result = await dispatchApiCall(api, 'startParse', [{ root: '/r', target: { kind: 'embedded' }, extra: 'dropped' }]);
    expect(result).toEqual({ ok: true, result: { sessionId: 's' } });
    expect(received).toEqual([{ root: '/r', target: { kind: 'embedded' } }]);
    expect(await dispatchApiCall(api, 'cancel', ['s'])).toEqual({ ok: true, result: undefined });
  });

  it('turns unknown methods, bad args and thrown errors into ErrorData', async () => {
    expect(await dispatchApiCall(api, 'hasOwnProperty', [])).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatchApiCall(api, 'startParse', [{ root: 1 }])).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('startParse') } });
    expect(await dispatchApiCall(api, 'listProjects', [])).toEqual({ ok: false, error: { name: 'TypeError', code: 'INTERNAL', message: 'boom' } });
  });

  it('knows every API method and nothing else', () => {
    for (const method of API_METHODS) expect(isApiMethod(method)).toBe(true);
    expect(isApiMethod('constructor')).toBe(false);
    expect(isApiMethod(undefined)).toBe(false);
  });
});
