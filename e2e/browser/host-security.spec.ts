// Issue 5: the browser host answers only with its token and only on loopback.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { chromiumMissingReason } from '../helpers/chromium.js';
import { nonLoopbackIPv4 } from '../helpers/network.js';
import { useServedApp } from '../helpers/served-app.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipping e2e/browser/host-security.spec.ts: ${missing}`);
const externalAddress = nonLoopbackIPv4();
if (!externalAddress) console.log('skipping the non-loopback check of e2e/browser/host-security.spec.ts: this machine has no IPv4 address other than loopback');

/** The HTTP status of a WebSocket upgrade to /rpc, or 101 when it was accepted. */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

/** How a TCP connection to address:port ends: 'connected' or the error code. */
function tcpOutcome(address: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 5_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('ETIMEDOUT');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe.skipIf(missing !== null)('browser host: token and loopback', () => {
  const app = useServedApp('repograph-e2e-host-');

  it('refuses requests without the token with 401', async () => {
    const bare = await fetch(`${app.serve.origin}/`);
    expect(bare.status).toBe(401);
    expect(await bare.text()).toContain('token');
    expect((await fetch(`${app.serve.origin}/?token=not-the-token`)).status).toBe(401);
    expect((await fetch(`${app.serve.origin}/index.html`)).status).toBe(401);

    const wsOrigin = app.serve.origin.replace('http:', 'ws:');
    expect(await upgradeStatus(`${wsOrigin}/rpc`)).toBe(401);
    expect(await upgradeStatus(`${wsOrigin}/rpc?token=not-the-token`)).toBe(401);
    expect(await upgradeStatus(`${wsOrigin}/rpc?token=${encodeURIComponent(app.serve.token)}`)).toBe(101);

    // A browser without the token gets the refusal, not the app.
    const response = await app.page.goto(`${app.serve.origin}/`);
    expect(response?.status()).toBe(401);
    expect(await app.page.getByTestId('nav-projects').count()).toBe(0);
  });

  it('serves the app with the token, then drops the token from the address bar', async () => {
    const response = await app.page.goto(app.serve.url);
    expect(response?.status()).toBe(200);
    await app.page.getByTestId('nav-projects').waitFor();
    // The app talks to the host: the host's version arrives over the RPC socket.
    await expect.poll(async () => (await app.page.locator('.host-info').textContent())?.trim()).toMatch(/^browser · v\d+\.\d+\.\d+/);
    expect(app.page.url()).not.toContain(app.serve.token);
    // A reload keeps working (the token lives in sessionStorage and a cookie, not the URL).
    await app.page.reload();
    await app.page.getByTestId('nav-projects').waitFor();
    await expect.poll(async () => (await app.page.locator('.host-info').textContent())?.trim()).toMatch(/^browser/);
  });

  it.skipIf(externalAddress === null)('is not reachable on a non-loopback address', async () => {
    expect(await tcpOutcome('127.0.0.1', app.serve.port)).toBe('connected');
    expect(await tcpOutcome(externalAddress!, app.serve.port)).toBe('ECONNREFUSED');
    await expect(fetch(`http://${externalAddress}:${app.serve.port}/?token=${app.serve.token}`)).rejects.toThrow();
  });
});
