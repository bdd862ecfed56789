// Serves the renderer and the app API to a browser on this machine only: loopback, a random
// token on every request, same-origin WebSocket RPC. The renderer cannot tell it from Electron.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { RepographError, toErrorData } from '../../shared/errors.js';
import type { ClientFrame, RpcResponse, ServerFrame } from '../../shared/rpc/protocol.js';
import { dispatchApiCall, type ServedAppService } from '../../engine/app/api-dispatch.js';
import { createEventBatcher } from '../../engine/app/event-batcher.js';
import { contentTypeFor, resolveStaticFile } from './static-files.js';

export interface BrowserHostOptions {
  service: ServedAppService;
  /** 0 or omitted: an ephemeral port. */
  port?: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Omitted: a fresh random token. */
  token?: string;
}

export interface BrowserHost {
  /** The page, token included: what the user opens. */
  url: string;
  port: number;
  token: string;
  /** The listening socket's address (always 127.0.0.1). */
  address: AddressInfo;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const MAX_FRAME_BYTES = 1024 * 1024;

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  let port = 0;
  const cookieName = (): string => `repograph_token_${port}`;

  const hasValidToken = (request: IncomingMessage, query: URLSearchParams): boolean => {
    const presented = query.get('token') ?? readCookie(request.headers.cookie, cookieName());
    if (presented === undefined || presented === null) return false;
    const bytes = Buffer.from(presented);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };
  // A page on another site can resolve its own name to 127.0.0.1 (DNS rebinding); its Host shows it.
  const isOwnHost = (host: string | undefined): boolean => host === `${LOOPBACK}:${port}` || host === `localhost:${port}`;

  const server = createServer((request, response) => {
    handleHttp(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, 'Internal error');
      else response.destroy();
      process.stderr.write(`[browser-host] ${request.method} failed: ${toErrorData(error).message}\n`);
    });
  });

  const send = (response: ServerResponse, status: number, body: string): void => {
    response.writeHead(status, { ...securityHeaders(port), 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(body);
  };

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isOwnHost(request.headers.host)) return send(response, 403, 'Forbidden host');
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'Method not allowed');
    // Not `new URL()`: it would normalise "/../x" away before the traversal check sees it.
    const [rawPath = '/', rawQuery = ''] = (request.url ?? '/').split('?', 2);
    const query = new URLSearchParams(rawQuery);
    if (!hasValidToken(request, query)) return send(response, 401, 'Unauthorized: open the URL printed by `repograph serve`, token included.');
    const file = await resolveStaticFile(options.rendererDir, rawPath);
    if (!file) return send(response, 404, 'Not found');
    const headers: Record<string, string | string[]> = {
      ...securityHeaders(port),
      'Content-Type': contentTypeFor(file),
      'Cache-Control': file.endsWith('.html') ? 'no-store' : 'no-cache',
    };
    if (query.has('token')) {
      // The page's own asset requests carry no query; the cookie lets them through.
      headers['Set-Cookie'] = `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    response.writeHead(200, headers);
    if (request.method === 'HEAD') return void response.end();
    createReadStream(file).on('error', () => response.destroy()).pipe(response);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const [rawPath = '/', rawQuery = ''] = (request.url ?? '/').split('?', 2);
    const origin = request.headers.origin;
    const refusal =
      rawPath !== '/rpc' ? '404 Not Found'
      : !isOwnHost(request.headers.host) ? '403 Forbidden'
      : !hasValidToken(request, new URLSearchParams(rawQuery)) ? '401 Unauthorized'
      // Browsers always send Origin; it must be this page. Non-browser clients send none.
      : origin !== undefined && !isOwnHost(originHost(origin)) ? '403 Forbidden'
      : undefined;
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => serveClient(client));
  });

  function serveClient(client: WebSocket): void {
    client.on('message', (data: RawData, isBinary: boolean) => {
      void answer(client, isBinary ? undefined : data.toString());
    });
    client.on('error', () => client.terminate());
  }

  async function answer(client: WebSocket, text: string | undefined): Promise<void> {
    const frame = parseClientFrame(text);
    const outcome = 'error' in frame
      ? { ok: false as const, error: frame.error }
      : await dispatchApiCall(options.service.api, frame.method, frame.args);
    const response = { kind: 'response', id: frame.id, ...outcome } as RpcResponse;
    sendFrame(client, response);
  }

  const broadcast = createEventBatcher((events) => {
    for (const client of sockets.clients) sendFrame(client, { kind: 'events', events });
  });
  const unsubscribe = options.service.subscribe((event) => broadcast.push(event));

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, LOOPBACK, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    unsubscribe();
    broadcast.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new Error(`Port ${options.port} on ${LOOPBACK} is already in use: pass another --port, or 0 for any free port.`, { cause: error });
    }
    throw error;
  }
  const address = server.address() as AddressInfo;
  port = address.port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    address,
    close() {
      closing ??= (async () => {
        unsubscribe();
        broadcast.close();
        for (const client of sockets.clients) client.close(1001, 'server closing');
        await new Promise<void>((resolve) => sockets.close(() => resolve()));
        for (const client of sockets.clients) client.terminate();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

function sendFrame(client: WebSocket, frame: ServerFrame): void {
  if (client.readyState !== WebSocket.OPEN) return;
  let text: string;
  try {
    text = JSON.stringify(frame);
  } catch (error) {
    if (frame.kind !== 'response') return;
    text = JSON.stringify({ kind: 'response', id: frame.id, ok: false, error: toErrorData(error) } satisfies RpcResponse);
  }
  client.send(text);
}

type ParsedFrame = Pick<ClientFrame, 'id'> & ({ method: unknown; args: unknown } | { error: ReturnType<typeof toErrorData> });

/** A malformed frame still gets an answer (to id -1 when it has none), never a crash. */
function parseClientFrame(text: string | undefined): ParsedFrame {
  let value: unknown;
  try {
    value = text === undefined ? undefined : JSON.parse(text);
  } catch {
    value = undefined;
  }
  const record = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const id = typeof record.id === 'number' && Number.isSafeInteger(record.id) ? record.id : -1;
  if (record.kind !== 'request' || id === -1) {
    return { id, error: toErrorData(new RepographError('INVALID_INPUT', 'Malformed RPC frame: expected {kind:"request", id, method, args} as JSON text.')) };
  }
  return { id, method: record.method, args: record.args };
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function originHost(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' ? url.host : undefined;
  } catch {
    return undefined;
  }
}

/** The same policy the renderer's page declares; the WebSocket is same-origin. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://${LOOPBACK}:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
