// One call of the app API as every serving side (Electron IPC, the browser host's WebSocket)
// performs it: validate the method and its arguments, call the service, turn errors into data.
import { apiArgumentSchemas, type ApiMethod, type RepographApi } from '../../shared/api.js';
import { RepographError, toErrorData, type ErrorData } from '../../shared/errors.js';
import type { EngineEvent } from '../../shared/events.js';

/** What a host needs from the engine: the API to serve and its event stream. */
export interface ServedAppService {
  api: RepographApi;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  /** Stops workers after their current batch; hosts call it on shutdown when present. */
  close?(): Promise<void>;
}

export type ApiCallResult = { ok: true; result: unknown } | { ok: false; error: ErrorData };

export function isApiMethod(method: unknown): method is ApiMethod {
  return typeof method === 'string' && Object.hasOwn(apiArgumentSchemas, method);
}

/** Never throws: a bad method, bad arguments or a failing call all come back as `ok: false`. */
export async function dispatchApiCall(api: RepographApi, method: unknown, args: unknown): Promise<ApiCallResult> {
  try {
    if (!isApiMethod(method)) {
      throw new RepographError('INVALID_INPUT', `Unknown API method ${JSON.stringify(method)}: the UI and the engine are from different versions; reload the window.`);
    }
    const parsed = apiArgumentSchemas[method].safeParse(args);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`).join('; ');
      throw new RepographError('INVALID_INPUT', `Invalid arguments for ${method}: ${issues}`);
    }
    const call = api[method] as (...callArgs: unknown[]) => Promise<unknown>;
    const result = await call.apply(api, parsed.data as unknown[]);
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error: toErrorData(error) };
  }
}
