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
});
