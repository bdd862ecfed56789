// Exposes the typed app API as window.repograph and nothing else. Built as CommonJS: a
// sandboxed preload cannot be an ES module.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiMethod, RepographApi, RepographBridge } from '../shared/api.js';
import type { ErrorData } from '../shared/errors.js';
import type { EngineEvent } from '../shared/events.js';
import { IPC_EVENTS_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/rpc/protocol.js';

type InvokeResult = { ok: true; result: unknown } | { ok: false; error: ErrorData };

function call(method: ApiMethod) {
  return async (...args: unknown[]): Promise<unknown> => {
    const outcome = (await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, { method, args })) as InvokeResult;
    if (outcome.ok) return outcome.result;
    // contextBridge rebuilds a rejected Error from its message alone, losing `code`; a plain
    // {name, code, message} object crosses intact, so that is what the renderer receives.
    throw { name: outcome.error.name, code: outcome.error.code, message: outcome.error.message };
  };
}

// Listed here rather than taken from API_METHODS: that would pull zod into the preload, and a
// sandboxed preload can require nothing but electron. `satisfies` keeps the list complete.
const METHODS = {
  pickFolder: true,
  hostInfo: true,
  listProjects: true,
  startParse: true,
  resume: true,
  cancel: true,
  getSession: true,
  getGraphStats: true,
  getSettings: true,
  saveSettings: true,
  testConnection: true,
} satisfies Record<ApiMethod, true>;

const api = Object.fromEntries(Object.keys(METHODS).map((method) => [method, call(method as ApiMethod)])) as unknown as RepographApi;

const bridge: RepographBridge = {
  api,
  onEvent(listener: (events: EngineEvent[]) => void) {
    // Never hand the renderer the IpcRendererEvent: it exposes `sender` (ipcRenderer itself).
    const relay = (_event: IpcRendererEvent, events: EngineEvent[]) => listener(events);
    ipcRenderer.on(IPC_EVENTS_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(IPC_EVENTS_CHANNEL, relay);
    };
  },
};

contextBridge.exposeInMainWorld('repograph', bridge);
