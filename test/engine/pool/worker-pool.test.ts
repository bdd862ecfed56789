import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createChildProcessHost } from '../../../src/engine/pool/child-process-host.js';
import { WorkerPool } from '../../../src/engine/pool/worker-pool.js';
import type { UnitAssignment } from '../../../src/shared/worker-protocol.js';

const entry = fileURLToPath(new URL('./fixtures/pool-worker.mjs', import.meta.url));

const unit: UnitAssignment = {
  sessionId: 's',
  unitId: 1,
  unitIndex: 0,
  attempt: 1,
  repoId: 'r',
  root: '/tmp',
  stateDbPath: '/tmp/none.sqlite',
  target: { kind: 'embedded', path: '/tmp/none-graph.sqlite' },
  files: [{ id: 1, path: 'a.py', language: 'python' }],
  options: { batchSize: 10, progressIntervalMs: 100 },
};

function pool(mode: string, unitTimeoutMs = 10_000): WorkerPool {
  return new WorkerPool(createChildProcessHost({ entry }), { size: 2, unitTimeoutMs, env: { POOL_WORKER_MODE: mode } });
}

describe('WorkerPool', () => {
  it('runs a unit to done', async () => {
    const result = await pool('ok').run(unit);
    expect(result).toEqual({ kind: 'done', stats: expect.objectContaining({ filesDone: 1 }) });
  });

  it("gives a unit's result when its worker says done, and frees the worker's slot only when its process has exited", async () => {
    const p = new WorkerPool(createChildProcessHost({ entry }), { size: 1, unitTimeoutMs: 10_000, env: { POOL_WORKER_MODE: 'linger-after-done' } });
    const pids: number[] = [];
    const first = await p.run(unit, { onStarted: (worker) => pids.push(worker.pid!) });
    expect(first.kind).toBe('done');
    // The result came while the process still runs, and the process still holds the only slot.
    expect(isAlive(pids[0]!)).toBe(true);
    expect(p.runningCount).toBe(1);
    const second = p.run(unit, { onStarted: (worker) => pids.push(worker.pid!) });
    await new Promise((resume) => setTimeout(resume, 300));
    expect(pids).toHaveLength(1);
    process.kill(pids[0]!, 'SIGKILL');
    expect((await second).kind).toBe('done');
    expect(pids).toHaveLength(2);
    expect(pids[1]).not.toBe(pids[0]);
    p.kill();
    await expect.poll(() => isAlive(pids[1]!), { timeout: 5000 }).toBe(false);
  });

  it('reports a worker that fails before it is ready as a start-up failure, with its reason', async () => {
    const result = await pool('fail-at-start').run(unit);
    expect(result.kind).toBe('failed');
    if (result.kind !== 'failed') return;
    expect(result.startup).toBe(true);
    expect(result.reason).toMatch(/grammar missing/);
  });

  it('a worker killed before it was ready is an ordinary failure (retried), not a start-up failure', async () => {
    const p = pool('hang-before-ready');
    const running = p.run(unit, { onStarted: (worker) => setTimeout(() => worker.kill(), 300) });
    const result = await running;
    expect(result.kind).toBe('failed');
    if (result.kind === 'failed') expect(result.startup).toBe(false);
  });

  it('kills a unit over its time limit and fails only that unit', async () => {
    const result = await pool('hang', 500).run(unit);
    expect(result.kind).toBe('failed');
    if (result.kind !== 'failed') return;
    expect(result.startup).toBe(false);
    expect(result.reason).toMatch(/took longer than/);
  });

  it('runs units in workers started ahead, and ends the spares no unit took', async () => {
    const p = pool('ok');
    const spawned: { pid: number | undefined; kill(): void }[] = [];
    const host = createChildProcessHost({ entry });
    const spawning = new WorkerPool(
      { spawn: (options) => { const worker = host.spawn(options); spawned.push(worker); return worker; } },
      { size: 2, unitTimeoutMs: 10_000, env: { POOL_WORKER_MODE: 'ok' } },
    );
    spawning.warmUp();
    expect(spawned).toHaveLength(2);
    // Let both finish starting (and say 'ready') before a unit is bound to one of them.
    await new Promise((resume) => setTimeout(resume, 500));
    let ranIn: number | undefined;
    const result = await spawning.run(unit, { onStarted: (worker) => (ranIn = worker.pid) });
    expect(result).toEqual({ kind: 'done', stats: expect.objectContaining({ filesDone: 1 }) });
    expect(spawned).toHaveLength(2);
    expect(ranIn).toBe(spawned[0]!.pid);
    const spare = spawned[1]!.pid!;
    expect(isAlive(spare)).toBe(true);
    spawning.dispose();
    await expect.poll(() => isAlive(spare), { timeout: 5000 }).toBe(false);
    // Without warm-up a unit still starts its own worker.
    expect((await p.run(unit)).kind).toBe('done');
  });

  it('reports a spare that failed before its unit came as a start-up failure of that unit', async () => {
    const p = pool('fail-at-start');
    p.warmUp();
    await new Promise((resume) => setTimeout(resume, 500));
    const result = await p.run(unit);
    expect(result.kind).toBe('failed');
    if (result.kind !== 'failed') return;
    expect(result.startup).toBe(true);
    expect(result.reason).toMatch(/grammar missing/);
    p.dispose();
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
