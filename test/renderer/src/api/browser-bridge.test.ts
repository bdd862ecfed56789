import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { BrowserBridge, SocketLike } from '../../../../src/renderer/src/api/browser-bridge.js';
import { createBrowserBridge, rpcUrl, RpcError } from '../../../../src/renderer/src/api/browser-bridge.js';
import type { EngineEvent } from '../../../../src/shared/events.js';
import type { RpcRequest, ServerFrame } from '../../../../src/shared/rpc/protocol.js';

type Handler = (request: RpcRequest, reply: (frame: ServerFrame) => void) => void;

interface TestHost {
  server: WebSocketServer;
  port: number;
  requests: RpcRequest[];
  urls: string[];
  broadcast(frame: ServerFrame): void;
  stop(): Promise<void>;
}

async function startHost(handler: Handler, port = 0): Promise<TestHost> {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await once(server, 'listening');
  const requests: RpcRequest[] = [];
  const urls: string[] = [];
  server.on('connection', (socket, request) => {
    urls.push(request.url ?? '');
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as RpcRequest;
      requests.push(frame);
      handler(frame, (reply) => socket.send(JSON.stringify(reply)));
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    requests,
    urls,
    broadcast(frame) {
      for (const client of server.clients) client.send(JSON.stringify(frame));
    },
    async stop() {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const echoVersion: Handler = (request, reply) => {
  if (request.method === 'hostInfo') {
    reply({ kind: 'response', id: request.id, ok: true, result: { kind: 'browser', nativeFolderPicker: false, version: '1.2.3' } });
  } else if (request.method === 'getSession') {
    reply({
      kind: 'response',
      id: request.id,
      ok: false,
      error: { name: 'RepographError', code: 'SESSION_NOT_FOUND', message: `No session ${String(request.args[0])}` },
    });
  }
  // Any other method is left unanswered on purpose.
};

function bridgeFor(port: number): BrowserBridge {
  return createBrowserBridge({
    url: rpcUrl({ protocol: 'http:', host: `127.0.0.1:${port}` }, 'secret token'),
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    reconnectDelayMs: 50,
    maxReconnectDelayMs: 200,
  });
}

const hosts: TestHost[] = [];
const bridges: BrowserBridge[] = [];
afterEach(async () => {
  for (const bridge of bridges.splice(0)) bridge.close();
  for (const host of hosts.splice(0)) await host.stop().catch(() => {});
});

describe('browser bridge', () => {
  it('matches responses to requests, sends the token, and rejects with the error code', async () => {
    const host = await startHost(echoVersion);
    hosts.push(host);
    const bridge = bridgeFor(host.port);
    bridges.push(bridge);

    const [info, failure] = await Promise.all([
      bridge.api.hostInfo(),
      bridge.api.getSession('s-404').then(
        () => null,
        (error: unknown) => error,
      ),
    ]);
    expect(info).toEqual({ kind: 'browser', nativeFolderPicker: false, version: '1.2.3' });
    expect(failure).toBeInstanceOf(Error);
    expect(failure).toBeInstanceOf(RpcError);
    expect((failure as RpcError).code).toBe('SESSION_NOT_FOUND');
    expect((failure as RpcError).message).toBe('No session s-404');
    expect(host.urls[0]).toBe('/rpc?token=secret%20token');
    expect(host.requests.map((r) => [r.method, r.args])).toEqual([
      ['hostInfo', []],
      ['getSession', ['s-404']],
    ]);
    expect(new Set(host.requests.map((r) => r.id)).size).toBe(2);
  });

  it('answers out-of-order responses to the right callers', async () => {
    const held: RpcRequest[] = [];
    let replyLater: ((frame: ServerFrame) => void) | null = null;
    const host = await startHost((request, reply) => {
      held.push(request);
      replyLater = reply;
    });
    hosts.push(host);
    const bridge = bridgeFor(host.port);
    bridges.push(bridge);
    const first = bridge.api.resume('a');
    const second = bridge.api.resume('b');
    await expect.poll(() => held.length).toBe(2);
    const [a, b] = held as [RpcRequest, RpcRequest];
    replyLater!({ kind: 'response', id: b.id, ok: true, result: { sessionId: 'B' } });
    replyLater!({ kind: 'response', id: a.id, ok: true, result: { sessionId: 'A' } });
    await expect(first).resolves.toEqual({ sessionId: 'A' });
    await expect(second).resolves.toEqual({ sessionId: 'B' });
  });

  it('delivers event batches to every listener until unsubscribed', async () => {
    const host = await startHost(echoVersion);
    hosts.push(host);
    const bridge = bridgeFor(host.port);
    bridges.push(bridge);
    await bridge.api.hostInfo();

    const seen: EngineEvent[][] = [];
    const other: EngineEvent[][] = [];
    const unsubscribe = bridge.onEvent((events) => seen.push(events));
    bridge.onEvent((events) => other.push(events));
    const batch: EngineEvent[] = [
      { type: 'session.stage', sessionId: 's1', stage: 'parsing', at: 1 },
      { type: 'unit.progress', sessionId: 's1', unitId: 3, filesDone: 10, nodes: 50, edges: 70, at: 2 },
    ];
    host.broadcast({ kind: 'events', events: batch });
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toEqual(batch);

    unsubscribe();
    host.broadcast({ kind: 'events', events: [batch[0]!] });
    await expect.poll(() => other.length).toBe(2);
    expect(seen.length).toBe(1);
  });

  it('rejects calls in flight when the host goes away, then reconnects when it restarts', async () => {
    const host = await startHost(echoVersion);
    const port = host.port;
    const bridge = bridgeFor(port);
    bridges.push(bridge);
    const states: string[] = [];
    bridge.onConnectionChange((state) => states.push(state));
    await bridge.api.hostInfo();

    const unanswered = bridge.api.listProjects();
    await expect.poll(() => host.requests.length).toBe(2);
    await host.stop();
    const error = await unanswered.then(
      () => null,
      (e: unknown) => e as RpcError,
    );
    expect(error?.code).toBe('DISCONNECTED');
    expect(error?.message).toMatch(/^listProjects: the connection to the Repograph host was lost/);
    expect(bridge.connectionState()).toBe('reconnecting');

    // A call made while the host is down waits for the reconnect instead of failing.
    const waiting = bridge.api.hostInfo();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const restarted = await startHost(echoVersion, port);
    hosts.push(restarted);
    await expect(waiting).resolves.toMatchObject({ version: '1.2.3' });
    await expect(bridge.api.hostInfo()).resolves.toMatchObject({ kind: 'browser' });
    expect(bridge.connectionState()).toBe('open');
    expect(states).toContain('reconnecting');
    expect(states[states.length - 1]).toBe('open');
  });

  it('rejects everything once closed', async () => {
    const host = await startHost(() => {});
    hosts.push(host);
    const bridge = bridgeFor(host.port);
    const pending = bridge.api.listProjects();
    await expect.poll(() => host.requests.length).toBe(1);
    bridge.close();
    await expect(pending).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await expect(bridge.api.hostInfo()).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });
});

describe('rpcUrl', () => {
  it('uses the page origin and encodes the token', () => {
    expect(rpcUrl({ protocol: 'http:', host: 'localhost:4173' }, 'a+b')).toBe('ws://localhost:4173/rpc?token=a%2Bb');
    expect(rpcUrl({ protocol: 'https:', host: 'h' }, null)).toBe('wss://h/rpc');
  });
});
