import { afterEach, describe, expect, it } from 'vitest';
import { createEventBatcher } from '../../../src/engine/app/event-batcher.js';
import type { EngineEvent } from '../../../src/shared/events.js';
import type { WorkUnitSummary } from '../../../src/shared/session.js';

const unit = (id: number): WorkUnitSummary => ({ id, index: id }) as unknown as WorkUnitSummary;
const progress = (unitId: number, filesDone: number): EngineEvent => ({
  type: 'unit.progress', sessionId: 's', unitId, filesDone, nodes: filesDone * 2, edges: 0, at: Date.now(),
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createEventBatcher', () => {
  const closers: Array<() => void> = [];
  afterEach(() => closers.splice(0).forEach((close) => close()));

  it('delivers at most one batch per interval', async () => {
    const batches: EngineEvent[][] = [];
    const batcher = createEventBatcher((events) => batches.push(events), 50);
    closers.push(() => batcher.close());
    const started = Date.now();
    while (Date.now() - started < 260) {
      batcher.push({ type: 'unit.started', sessionId: 's', unit: unit(Date.now()), at: Date.now() });
      await sleep(2);
    }
    batcher.close();
    // ~260 ms at one batch per 50 ms: about 5-6 batches plus the final flush, never one per event.
    expect(batches.length).toBeGreaterThanOrEqual(2);
    expect(batches.length).toBeLessThanOrEqual(8);
    expect(batches.flat().length).toBeGreaterThan(batches.length * 3);
  });

  it('collapses progress of one unit to the latest value and keeps order otherwise', async () => {
    const batches: EngineEvent[][] = [];
    const batcher = createEventBatcher((events) => batches.push(events), 20);
    batcher.push({ type: 'session.stage', sessionId: 's', stage: 'parsing', at: 1 });
    batcher.push({ type: 'unit.started', sessionId: 's', unit: unit(1), at: 2 });
    batcher.push(progress(1, 1));
    batcher.push(progress(2, 1));
    batcher.push(progress(1, 5));
    batcher.push(progress(2, 7));
    batcher.push({ type: 'unit.completed', sessionId: 's', unit: unit(1), at: 3 });
    batcher.push(progress(1, 9));
    batcher.push({ type: 'session.completed', sessionId: 's', counters: {} as never, durationMs: 1, at: 4 });
    await sleep(60);
    expect(batches).toHaveLength(1);
    const summary = batches[0]!.map((e) => (e.type === 'unit.progress' ? `progress:${e.unitId}:${e.filesDone}` : e.type));
    expect(summary).toEqual([
      'session.stage',
      'unit.started',
      'progress:1:5',
      'progress:2:7',
      'unit.completed',
      'progress:1:9',
      'session.completed',
    ]);
    batcher.close();
  });

  it('flushes pending events on close and ignores later pushes', () => {
    const batches: EngineEvent[][] = [];
    const batcher = createEventBatcher((events) => batches.push(events), 10_000);
    batcher.push({ type: 'session.failed', sessionId: 's', error: { name: 'E', code: 'INTERNAL', message: 'x' }, at: 1 });
    batcher.close();
    batcher.push(progress(1, 1));
    batcher.close();
    expect(batches).toEqual([[expect.objectContaining({ type: 'session.failed' })]]);
  });
});
