import { request as httpRequest } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../src/cli/serve/browser-host.js';
import type { RepographApi } from '../../../src/shared/api.js';
import { RepographError } from '../../../src/shared/errors.js';
import type { EngineEvent } from '../../../src/shared/events.js';
import type { RpcResponse, ServerFrame } from '../../../src/shared/rpc/protocol.js';

/** The smallest RepographApi that lets the host be exercised end to end. */
function createTestService() {
  const listeners = new Set<(event: EngineEvent) => void>();
  const calls: string[] = [];
  const notUsed = () => Promise.reject(new Error('not used in this test'));
  const api: RepographApi = {
    pickFolder: async () => null,
    hostInfo: async () => ({ kind: 'browser', nativeFolderPicker: false, version: '0.0.0-test' }),
    listProjects: async () => [],
    startParse: async (request) => {
      calls.push(`startParse:${request.root}`);
      return { sessionId: 'session-1' };
    },
    resume: notUsed,
    cancel: async (sessionId) => {
      calls.push(`cancel:${sessionId}`);
    },
    getSession: async (sessionId) => {
      throw new RepographError('SESSION_NOT_FOUND', `No session ${sessionId}: pick one from the list.`);
    },
    getGraphStats: notUsed,
    getSettings: notUsed,
    saveSettings: notUsed,
    testConnection: notUsed,
  };
  return {
    calls,
    emit: (event: EngineEvent) => listeners.forEach((listener) => listener(event)),
    service: {
      api,
      subscribe(listener: (event: EngineEvent) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
}

function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the HTTP status of a refused upgrade, or 101 when the socket opened. */
function upgradeStatus(url: string, options: { origin?: string } = {}): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, options.origin ? { origin: options.origin } : {});
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', () => undefined);
  });
}

class RpcClient {
  private nextId = 1;
  readonly frames: ServerFrame[] = [];
  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.frames.push(JSON.parse(data.toString()) as ServerFrame));
  }
  static open(url: string): Promise<RpcClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve(new RpcClient(socket)));
      socket.once('error', reject);
    });
  }
  sendRaw(text: string): void {
    this.socket.send(text);
  }
  async call(method: string, args: unknown): Promise<RpcResponse> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ kind: 'request', id, method, args }));
    return this.waitFor((frame): frame is RpcResponse => frame.kind === 'response' && frame.id === id);
  }
  async waitFor<T extends ServerFrame>(match: (frame: ServerFrame) => frame is T, timeoutMs = 3000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('timed out waiting for a frame');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  close(): void {
    this.socket.close();
  }
}

describe('startBrowserHost', () => {
  let dir: string;
  let host: BrowserHost;
  const test = createTestService();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'repograph-serve-'));
    const rendererDir = join(dir, 'renderer');
    await mkdir(join(rendererDir, 'assets'), { recursive: true });
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Repograph</title>');
    await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
    await writeFile(join(dir, 'package.json'), '{"secret":"outside-the-renderer"}');
    host = await startBrowserHost({ service: test.service, rendererDir });
  });
  afterAll(async () => {
    await host?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const base = () => `http://127.0.0.1:${host.port}`;
  const rpcUrl = (token = host.token) => `ws://127.0.0.1:${host.port}/rpc?token=${token}`;

  it('refuses HTTP requests without the right token', async () => {
    expect((await fetch(`${base()}/`)).status).toBe(401);
    expect((await fetch(`${base()}/assets/app.js`)).status).toBe(401);
    expect((await fetch(`${base()}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${base()}/`, { headers: { cookie: `repograph_token_${host.port}=wrong` } })).status).toBe(401);
  });

  it('serves the page with the token, sets the cookie, and serves assets with the cookie', async () => {
    expect(host.url).toBe(`${base()}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(await page.text()).toContain('<title>Repograph</title>');

    const asset = await fetch(`${base()}/assets/app.js`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${base()}/assets/missing.js?token=${host.token}`)).status).toBe(404);
    expect((await fetch(`${base()}/?token=${host.token}`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses path traversal out of the renderer folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/assets/../../package.json', '/%2e%2e%5cpackage.json']) {
      const response = await rawGet(host.port, `${path}?token=${host.token}`);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.body, path).not.toContain('outside-the-renderer');
    }
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const response = await rawGet(host.port, `/?token=${host.token}`, { host: `evil.example:${host.port}` });
    expect(response.status).toBe(403);
  });

  it('refuses WebSocket upgrades without the token, with a wrong one, or from another origin', async () => {
    expect(await upgradeStatus(`ws://127.0.0.1:${host.port}/rpc`)).toBe(401);
    expect(await upgradeStatus(rpcUrl('wrong'))).toBe(401);
    expect(await upgradeStatus(rpcUrl(), { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(rpcUrl(), { origin: base() })).toBe(101);
  });

  it('relays a valid call to the API and returns its result', async () => {
    const client = await RpcClient.open(rpcUrl());
    const started = await client.call('startParse', [{ root: '/tmp/project', target: { kind: 'embedded' } }]);
    expect(started).toEqual({ kind: 'response', id: 1, ok: true, result: { sessionId: 'session-1' } });
    expect(test.calls).toContain('startParse:/tmp/project');
    const info = await client.call('hostInfo', []);
    expect(info).toMatchObject({ ok: true, result: { kind: 'browser', nativeFolderPicker: false } });
    expect(await client.call('pickFolder', [])).toMatchObject({ ok: true, result: null });
    expect(await client.call('cancel', ['session-1'])).toMatchObject({ ok: true });
    client.close();
  });

  it('answers invalid arguments and unknown methods with INVALID_INPUT and keeps serving', async () => {
    const client = await RpcClient.open(rpcUrl());
    const bad = await client.call('startParse', [{ root: '', target: { kind: 'nope' } }]);
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await client.call('constructor', [])).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await client.call('cancel', 'not-an-array')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    client.sendRaw('{not json');
    const malformed = await client.waitFor((f): f is RpcResponse => f.kind === 'response' && f.id === -1);
    expect(malformed).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await client.call('listProjects', [])).toMatchObject({ ok: true, result: [] });
    client.close();
  });

  it('returns a thrown RepographError as {code, message}', async () => {
    const client = await RpcClient.open(rpcUrl());
    const response = await client.call('getSession', ['missing']);
    expect(response).toEqual({
      kind: 'response', id: 1, ok: false,
      error: { name: 'RepographError', code: 'SESSION_NOT_FOUND', message: 'No session missing: pick one from the list.' },
    });
    client.close();
  });

  it('delivers engine events to every client, batched', async () => {
    const first = await RpcClient.open(rpcUrl());
    const second = await RpcClient.open(rpcUrl());
    test.emit({ type: 'session.stage', sessionId: 's', stage: 'parsing', at: 1 });
    for (let filesDone = 1; filesDone <= 50; filesDone += 1) {
      test.emit({ type: 'unit.progress', sessionId: 's', unitId: 7, filesDone, nodes: 0, edges: 0, at: 2 });
    }
    test.emit({ type: 'session.stage', sessionId: 's', stage: 'resolving', at: 3 });
    for (const client of [first, second]) {
      const isEvents = (f: ServerFrame): f is Extract<ServerFrame, { kind: 'events' }> => f.kind === 'events';
      await client.waitFor((f): f is Extract<ServerFrame, { kind: 'events' }> => isEvents(f) && f.events.some((e) => e.type === 'session.stage' && e.stage === 'resolving'));
      const frames = client.frames.filter(isEvents);
      expect(frames.length).toBeLessThanOrEqual(2);
      const events = frames.flatMap((f) => f.events);
      expect(events.map((e) => e.type)).toEqual(['session.stage', 'unit.progress', 'session.stage']);
      expect(events[1]).toMatchObject({ filesDone: 50 });
      client.close();
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(host.address).toMatchObject({ address: '127.0.0.1', family: 'IPv4', port: host.port });
    expect(host.url.startsWith('http://127.0.0.1:')).toBe(true);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((info) => info && info.family === 'IPv4' && !info.internal);
    if (!external) {
      console.log('skipping the non-loopback connection check: this machine has no non-loopback IPv4 address');
      return;
    }
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: external.address, port: host.port });
      socket.setTimeout(2000, () => {
        socket.destroy();
        resolve('timeout');
      });
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    console.log(`connecting to ${external.address}:${host.port} (non-loopback): ${outcome}`);
    expect(outcome).not.toBe('connected');
  });
});
