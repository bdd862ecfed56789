import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { createIpcDispatcher, isAppPageUrl } from '../../src/main/ipc-dispatcher.js';
import type { RepographApi } from '../../src/shared/api.js';
import { RepographError } from '../../src/shared/errors.js';

interface FakeSender {
  frameUrl: string;
}

function createApi(calls: string[]): RepographApi {
  const notUsed = () => Promise.reject(new Error('not used'));
  return {
    pickFolder: async () => '/picked',
    hostInfo: async () => ({ kind: 'electron', nativeFolderPicker: true, version: 'test' }),
    listProjects: notUsed,
    startParse: notUsed,
    resume: async (sessionId) => {
      calls.push(`resume:${sessionId}`);
      return { sessionId };
    },
    cancel: notUsed,
    getSession: async () => {
      throw new RepographError('SESSION_NOT_FOUND', 'No such session: pick one from the list.');
    },
    getGraphStats: notUsed,
    getSettings: notUsed,
    saveSettings: notUsed,
    testConnection: notUsed,
  };
}

describe('createIpcDispatcher', () => {
  const rendererFile = '/opt/Repograph/resources/app.asar/out/renderer/index.html';
  const appUrl = pathToFileURL(rendererFile).href;
  const setup = () => {
    const calls: string[] = [];
    const dispatch = createIpcDispatcher<FakeSender>({
      api: createApi(calls),
      isTrustedSender: (sender) => isAppPageUrl(sender.frameUrl, { rendererFile }),
    });
    return { calls, dispatch };
  };

  it('passes a valid call from the app page through to the API', async () => {
    const { calls, dispatch } = setup();
    expect(await dispatch({ frameUrl: appUrl }, { method: 'resume', args: ['s-1'] })).toEqual({ ok: true, result: { sessionId: 's-1' } });
    expect(await dispatch({ frameUrl: `${appUrl}#/settings` }, { method: 'pickFolder', args: [] })).toEqual({ ok: true, result: '/picked' });
    expect(calls).toEqual(['resume:s-1']);
  });

  it('rejects a foreign sender without calling the API', async () => {
    const { calls, dispatch } = setup();
    for (const frameUrl of ['https://evil.example/', 'file:///tmp/other.html', 'about:blank', 'not a url']) {
      const result = await dispatch({ frameUrl }, { method: 'resume', args: ['s-1'] });
      expect(result, frameUrl).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    expect(calls).toEqual([]);
    const throwing = createIpcDispatcher<FakeSender>({ api: createApi(calls), isTrustedSender: () => { throw new Error('frame gone'); } });
    expect(await throwing({ frameUrl: appUrl }, { method: 'pickFolder', args: [] })).toMatchObject({ ok: false });
  });

  it('rejects invalid input with INVALID_INPUT', async () => {
    const { calls, dispatch } = setup();
    const sender = { frameUrl: appUrl };
    for (const payload of [null, 'resume', { method: 'resume', args: [42] }, { method: 'resume' }, { method: 'resume', args: ['a', 'b'] }, { method: 'toString', args: [] }, { method: '__proto__', args: [] }]) {
      const result = await dispatch(sender, payload);
      expect(result, JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', name: 'RepographError' } });
    }
    expect(calls).toEqual([]);
  });

  it('returns a thrown error as data', async () => {
    const { dispatch } = setup();
    expect(await dispatch({ frameUrl: appUrl }, { method: 'getSession', args: ['x'] })).toEqual({
      ok: false,
      error: { name: 'RepographError', code: 'SESSION_NOT_FOUND', message: 'No such session: pick one from the list.' },
    });
  });
});

describe('isAppPageUrl', () => {
  it('accepts the dev server origin only when one is configured', () => {
    const location = { rendererFile: '/app/out/renderer/index.html', devServerUrl: 'http://localhost:5173/' };
    expect(isAppPageUrl('http://localhost:5173/index.html', location)).toBe(true);
    expect(isAppPageUrl('http://localhost:5174/', location)).toBe(false);
    expect(isAppPageUrl('http://localhost:5173/', { rendererFile: location.rendererFile })).toBe(false);
    expect(isAppPageUrl('file:///app/out/renderer/index.html', location)).toBe(true);
    expect(isAppPageUrl('file:///app/out/renderer/other.html', location)).toBe(false);
  });
});
