// RepographBridge over the browser host's WebSocket RPC (frames in src/shared/rpc/protocol.ts).
// Calls made while disconnected wait for the socket; calls in flight when it drops are rejected.
import type { ApiMethod, RepographApi, RepographBridge } from '../../../shared/api.js';
import { API_METHODS } from '../../../shared/api.js';
import type { ErrorCode } from '../../../shared/errors.js';
import type { EngineEvent } from '../../../shared/events.js';
import type { RpcRequest, ServerFrame } from '../../../shared/rpc/protocol.js';

/** The part of the WebSocket API the bridge uses; the DOM WebSocket and the `ws` package both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface BrowserBridgeOptions {
  /** Full ws:// URL including the token. */
  url: string;
  /** Defaults to the browser's WebSocket. */
  createSocket?: SocketFactory;
  /** First reconnect delay; doubles up to maxReconnectDelayMs. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
}

export interface BrowserBridge extends RepographBridge {
  connectionState(): ConnectionState;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  /** Closes the socket for good; pending and queued calls reject. */
  close(): void;
}

/** An RPC rejection as the renderer sees it: a real Error carrying the engine's error code. */
export class RpcError extends Error {
  readonly code: ErrorCode | 'DISCONNECTED';
  constructor(code: ErrorCode | 'DISCONNECTED', message: string, name = 'RpcError') {
    super(message);
    this.name = name;
    this.code = code;
  }
}

const OPEN = 1;
const TOKEN_KEY = 'repograph.token';

interface PendingCall {
  method: ApiMethod;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

function isServerFrame(value: unknown): value is ServerFrame {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  if (kind === 'events') return Array.isArray((value as { events?: unknown }).events);
  return kind === 'response' && typeof (value as { id?: unknown }).id === 'number';
}

export function createBrowserBridge(options: BrowserBridgeOptions): BrowserBridge {
  const createSocket: SocketFactory =
    options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
  const firstDelay = options.reconnectDelayMs ?? 250;
  const maxDelay = options.maxReconnectDelayMs ?? 5_000;

  const eventListeners = new Set<(events: EngineEvent[]) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const inFlight = new Map<number, PendingCall>();
  const queued: { request: RpcRequest; call: PendingCall }[] = [];
  let nextId = 1;
  let socket: SocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let delay = firstDelay;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  function setState(next: ConnectionState): void {
    if (state === next) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  }

  function handleFrame(raw: unknown): void {
    let frame: unknown;
    try {
      frame = JSON.parse(typeof raw === 'string' ? raw : String(raw));
    } catch {
      console.warn('Repograph host sent a frame that is not JSON; ignored.');
      return;
    }
    if (!isServerFrame(frame)) {
      console.warn('Repograph host sent an unknown frame; ignored.', frame);
      return;
    }
    if (frame.kind === 'events') {
      for (const listener of eventListeners) listener(frame.events);
      return;
    }
    const call = inFlight.get(frame.id);
    if (!call) return;
    inFlight.delete(frame.id);
    if (frame.ok) call.resolve(frame.result);
    else call.reject(new RpcError(frame.error.code, frame.error.message, frame.error.name));
  }

  function send(request: RpcRequest, call: PendingCall): void {
    if (!socket || socket.readyState !== OPEN) {
      queued.push({ request, call });
      return;
    }
    inFlight.set(request.id, call);
    socket.send(JSON.stringify(request));
  }

  function rejectInFlight(message: string): void {
    for (const [id, call] of inFlight) {
      inFlight.delete(id);
      call.reject(new RpcError('DISCONNECTED', `${call.method}: ${message}`));
    }
  }

  function connect(): void {
    reconnectTimer = null;
    const current = createSocket(options.url);
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      delay = firstDelay;
      setState('open');
      for (const { request, call } of queued.splice(0)) send(request, call);
    };
    current.onmessage = (event) => {
      if (socket === current) handleFrame(event.data);
    };
    // Errors are always followed by close, which is where reconnecting happens.
    current.onerror = () => {};
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      rejectInFlight(
        'the connection to the Repograph host was lost before it answered. The host may have restarted; check whether the run continued, then try again.',
      );
      if (state === 'closed') return;
      setState('reconnecting');
      reconnectTimer = setTimeout(connect, delay);
      delay = Math.min(maxDelay, delay * 2);
    };
  }

  function call(method: ApiMethod, args: unknown[]): Promise<unknown> {
    if (state === 'closed') {
      return Promise.reject(new RpcError('DISCONNECTED', `${method}: the connection to the Repograph host is closed.`));
    }
    return new Promise((resolve, reject) => {
      send({ kind: 'request', id: nextId++, method, args }, { method, resolve, reject });
    });
  }

  const api = Object.fromEntries(
    API_METHODS.map((method) => [method, (...args: unknown[]) => call(method, args)]),
  ) as unknown as RepographApi;

  connect();

  return {
    api,
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    connectionState: () => state,
    onConnectionChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      setState('closed');
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const current = socket;
      socket = null;
      current?.close();
      rejectInFlight('the bridge was closed.');
      for (const { call } of queued.splice(0)) {
        call.reject(new RpcError('DISCONNECTED', `${call.method}: the bridge was closed.`));
      }
    },
  };
}

/**
 * Takes the access token from `?token=` (keeping it in sessionStorage so reloads work) and removes
 * it from the visible URL, so it does not end up in screenshots, history or bookmarks.
 */
export function takeAccessToken(win: Pick<Window, 'location' | 'history' | 'sessionStorage'>): string | null {
  const url = new URL(win.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    win.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return win.sessionStorage.getItem(TOKEN_KEY);
}

/** The RPC endpoint on the page's own origin. */
export function rpcUrl(location: Pick<Location, 'protocol' | 'host'>, token: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${scheme}//${location.host}/rpc${query}`;
}
