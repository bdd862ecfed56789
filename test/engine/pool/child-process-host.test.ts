import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createChildProcessHost, exitReason } from '../../../src/engine/pool/child-process-host.js';
import type { WorkerExit, WorkerProcess } from '../../../src/engine/pool/worker-host.js';
import type { CoordinatorMessage } from '../../../src/shared/worker-protocol.js';

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

  it('exchanges messages (advanced serialization) and passes env and the heap sizes', async () => {
    const worker = host.spawn({ id: 'w-echo', env: { REPOGRAPH_TEST_ENV: 'yes' }, maxOldSpaceMb: 256, minSemiSpaceMb: 16 });
    const watched = exitOf(worker);
    await nextMessage(worker, 'ready');
    expect(worker.pid).toBeGreaterThan(0);
    const reply = nextMessage(worker, 'echo');
    sendRaw(worker, { type: 'echo', payload: { big: 10n, when: new Map([['a', 1]]) } });
    const message = await reply;
    expect(message.payload).toEqual({ big: 10n, when: new Map([['a', 1]]) });
    expect(message.env).toBe('yes');
    expect(message.execArgv).toEqual(expect.arrayContaining(['--max-old-space-size=256', '--min-semi-space-size=16']));
    sendRaw(worker, { type: 'exit', code: 0 });
    expect(await watched.exit).toEqual({ code: 0, signal: null, reason: 'exited' });
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

  it('classifies exits', () => {
    expect(exitReason(0, null, false, '')).toBe('exited');
    expect(exitReason(null, 'SIGTERM', false, '')).toBe('killed');
    expect(exitReason(0, null, true, '')).toBe('killed');
    expect(exitReason(134, null, false, 'FATAL ERROR: ... JavaScript heap out of memory')).toBe('oom');
    expect(exitReason(null, 'SIGSEGV', false, '')).toBe('crashed');
  });
});
