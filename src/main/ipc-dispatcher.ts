// The checks every IPC call passes, kept free of electron so they are tested without it:
// the sender must be the app's own page, the arguments must validate, errors come back as data.
import { pathToFileURL } from 'node:url';
import type { RepographApi } from '../shared/api.js';
import { dispatchApiCall, type ApiCallResult } from '../engine/app/api-dispatch.js';

export interface IpcDispatcherOptions<Sender> {
  isTrustedSender(sender: Sender): boolean;
  api: RepographApi;
}

/** Handles one `{method, args}` invoke; never throws across IPC. */
export type IpcDispatcher<Sender> = (sender: Sender, payload: unknown) => Promise<ApiCallResult>;

export function createIpcDispatcher<Sender>(options: IpcDispatcherOptions<Sender>): IpcDispatcher<Sender> {
  return async (sender, payload) => {
    let trusted = false;
    try {
      trusted = options.isTrustedSender(sender);
    } catch {
      trusted = false;
    }
    if (!trusted) {
      // No dedicated code exists for this; it is refused input from the caller's point of view.
      return { ok: false, error: { name: 'RepographError', code: 'INVALID_INPUT', message: 'Refused an API call from a page that is not Repograph\'s own window.' } };
    }
    const record = payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
    return dispatchApiCall(options.api, record.method, record.args);
  };
}

export interface AppPageLocation {
  /** The built renderer's index.html, loaded from file:// in a packaged or built app. */
  rendererFile: string;
  /** electron-vite's dev server (ELECTRON_RENDERER_URL), only in development. */
  devServerUrl?: string;
}

/** Whether a frame URL is the app's own page (not a page it was navigated or framed to). */
export function isAppPageUrl(url: string, location: AppPageLocation): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (location.devServerUrl) {
    try {
      if (parsed.origin === new URL(location.devServerUrl).origin && parsed.origin !== 'null') return true;
    } catch {
      // an unparsable dev URL trusts nothing
    }
  }
  return parsed.protocol === 'file:' && parsed.host === '' && parsed.pathname === pathToFileURL(location.rendererFile).pathname;
}
