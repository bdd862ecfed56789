import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createChildProcessHost, exitReason } from '../../../src/engine/pool/child-process-host.js';
import { workerProcessEnv, type WorkerExit, type WorkerProcess } from '../../../src/engine/pool/worker-host.js';
import type { CoordinatorMessage } from '../../../src/shared/worker-protocol.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tempDir = useTempDir('repograph-ca-');
const echoEntry = fileURLToPath(new URL('./fixtures/echo-worker.mjs', import.meta.url));
const tsEntry = fileURLToPath(new URL('./fixtures/ts-worker.ts', import.meta.url));

// The fixture understands messages outside the coordinator protocol.
const sendRaw = (worker: WorkerProcess, message: object) => worker.send(message as unknown as CoordinatorMessage);

function nextMessage(worker: WorkerProcess, type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    worker.onMessage((message) => {
      const record = message as Record<string, unknown>;
      if (record.type === type) resolve(record);
    });
  });
}

function exitOf(worker: WorkerProcess): { exit: Promise<WorkerExit>; calls: () => number } {
  let calls = 0;
  const exit = new Promise<WorkerExit>((resolve) => {
    worker.onExit((value) => {
      calls += 1;
      resolve(value);
    });
  });
  return { exit, calls: () => calls };
}

describe('createChildProcessHost', () => {
  const host = createChildProcessHost({ entry: echoEntry });

  it('exchanges messages (advanced serialization) and passes env, the heap sizes and the JIT flag', async () => {
    const worker = host.spawn({ id: 'w-echo', env: { REPOGRAPH_TEST_ENV: 'yes' }, maxOldSpaceMb: 256, minSemiSpaceMb: 16, turboInlining: false });
    const watched = exitOf(worker);
    await nextMessage(worker, 'ready');
    expect(worker.pid).toBeGreaterThan(0);
    const reply = nextMessage(worker, 'echo');
    sendRaw(worker, { type: 'echo', payload: { big: 10n, when: new Map([['a', 1]]) } });
    const message = await reply;
    expect(message.payload).toEqual({ big: 10n, when: new Map([['a', 1]]) });
    expect(message.env).toBe('yes');
    expect(message.execArgv).toEqual(expect.arrayContaining(['--max-old-space-size=256', '--min-semi-space-size=16', '--no-turbo-inlining']));
    sendRaw(worker, { type: 'exit', code: 0 });
    expect(await watched.exit).toEqual({ code: 0, signal: null, reason: 'exited' });
  });

  it('starts a worker that opens no TLS connection without NODE_EXTRA_CA_CERTS, and keeps it for one that may', async () => {
    // A real certificate: Node parses the bundle at start-up and warns about a file it cannot load.
    const bundle = join(tempDir(), 'extra-ca.pem');
    writeFileSync(bundle, rootCertificates[0]!);
    const previous = process.env.NODE_EXTRA_CA_CERTS;
    process.env.NODE_EXTRA_CA_CERTS = bundle;
    try {
      const seen: Record<string, unknown> = {};
      for (const tls of [false, true]) {
        const worker = host.spawn({ id: `w-tls-${tls}`, tls });
        const watched = exitOf(worker);
        await nextMessage(worker, 'ready');
        const reply = nextMessage(worker, 'echo');
        sendRaw(worker, { type: 'echo', payload: null });
        seen[String(tls)] = (await reply).extraCaCerts;
        sendRaw(worker, { type: 'exit', code: 0 });
        await watched.exit;
      }
      expect(seen).toEqual({ false: null, true: bundle });
    } finally {
      if (previous === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = previous;
    }
  });

  it('reports a non-zero exit code as crashed, once, also to late listeners', async () => {
    const worker = host.spawn({ id: 'w-code' });
    const watched = exitOf(worker);
    await nextMessage(worker, 'ready');
    sendRaw(worker, { type: 'exit', code: 3 });
    expect(await watched.exit).toEqual({ code: 3, signal: null, reason: 'crashed' });
    const late = await new Promise<WorkerExit>((resolve) => worker.onExit(resolve));
    expect(late.reason).toBe('crashed');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(watched.calls()).toBe(1);
    sendRaw(worker, { type: 'echo' }); // after exit: ignored, not thrown
  });

  it('reports process.abort() as crashed', async () => {
    const worker = host.spawn({ id: 'w-abort' });
    const watched = exitOf(worker);
    await nextMessage(worker, 'ready');
    sendRaw(worker, { type: 'abort' });
    const exit = await watched.exit;
    expect(exit.reason).toBe('crashed');
    expect(exit.signal).toBe('SIGABRT');
  });

  it('reports kill() as killed', async () => {
    const worker = host.spawn({ id: 'w-kill' });
    const watched = exitOf(worker);
    await nextMessage(worker, 'ready');
    const hanging = nextMessage(worker, 'hanging');
    sendRaw(worker, { type: 'hang' });
    await hanging;
    worker.kill();
    worker.kill();
    expect(await watched.exit).toEqual({ code: null, signal: 'SIGKILL', reason: 'killed' });
    expect(watched.calls()).toBe(1);
  });

  it('reports a V8 heap exhaustion as oom', async () => {
    const worker = host.spawn({ id: 'w-oom', maxOldSpaceMb: 32 });
    const watched = exitOf(worker);
    await nextMessage(worker, 'ready');
    sendRaw(worker, { type: 'oom' });
    expect((await watched.exit).reason).toBe('oom');
  });

  it('runs a TypeScript entry through tsx', async () => {
    const worker = createChildProcessHost({ entry: tsEntry }).spawn({ id: 'w-ts' });
    const watched = exitOf(worker);
    expect((await nextMessage(worker, 'ready')).greeting).toBe('from typescript');
    sendRaw(worker, { type: 'stop' });
    expect((await watched.exit).reason).toBe('exited');
  });

  it('passes the environment on unchanged unless told the worker opens no TLS connection', () => {
    const base = { NODE_EXTRA_CA_CERTS: '/certs/team-ca.pem', PATH: '/usr/bin' };
    expect(workerProcessEnv({ id: 'w', env: { REPOGRAPH_TEST_ENV: 'yes' } }, base)).toEqual({ ...base, REPOGRAPH_TEST_ENV: 'yes' });
    expect(workerProcessEnv({ id: 'w', tls: true }, base)).toEqual(base);
    expect(workerProcessEnv({ id: 'w', tls: false }, base)).toEqual({ PATH: '/usr/bin' });
    expect(base.NODE_EXTRA_CA_CERTS).toBe('/certs/team-ca.pem');
  });

  it('classifies exits', () => {
    expect(exitReason(0, null, false, '')).toBe('exited');
    expect(exitReason(null, 'SIGTERM', false, '')).toBe('killed');
    expect(exitReason(0, null, true, '')).toBe('killed');
    expect(exitReason(134, null, false, 'FATAL ERROR: ... JavaScript heap out of memory')).toBe('oom');
    expect(exitReason(null, 'SIGSEGV', false, '')).toBe('crashed');
  });
});
