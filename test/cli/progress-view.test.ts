import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressView } from '../../src/cli/progress-view.js';
import type { EngineEvent } from '../../src/shared/events.js';
import type { WorkUnitSummary } from '../../src/shared/session.js';

const S = 's1';

function unit(id: number, filesTotal: number): WorkUnitSummary {
  return {
    id, index: id - 1, path: `src/u${id}`, status: 'pending', attempts: 0, filesTotal, filesDone: 0, filesFailed: 0,
    nodes: 0, edges: 0, refsLocal: 0, refsDeferred: 0, startedAt: null, finishedAt: null, durationMs: null, error: null,
  };
}

/** A non-terminal stream: the view prints one plain line per redraw. */
function plainStream(): { stream: NodeJS.WriteStream; lines: string[] } {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (text: string) => lines.push(...text.split('\n').filter(Boolean)) } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

describe('ProgressView', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('estimates the time left from files parsed before any file is written, then from files written', () => {
    const { stream, lines } = plainStream();
    const view = new ProgressView(stream);
    view.handle({ type: 'session.stage', sessionId: S, stage: 'scanning', at: 0 });
    expect(lines.at(-1)).toMatch(/ETA \?/);
    view.handle({ type: 'session.plan', sessionId: S, filesTotal: 1000, filesSkipped: 0, units: [unit(1, 500), unit(2, 500)], at: 0 });
    for (const id of [1, 2]) view.handle({ type: 'unit.started', sessionId: S, unit: { ...unit(id, 500), status: 'running', attempts: 1 }, at: 0 });

    vi.setSystemTime(2000);
    const progress = (unitId: number, filesDone: number, filesParsed: number): EngineEvent =>
      ({ type: 'unit.progress', sessionId: S, unitId, filesDone, nodes: 0, edges: 0, filesParsed, at: Date.now() });
    view.handle(progress(1, 0, 200));
    // 200 files parsed in 2 s, none written: 100 files/s (parsed), 800 left at that rate.
    expect(lines.at(-1)).toMatch(/0\/1000 files \(\+200 parsed\)  100 files\/s  ETA 8s/);

    vi.setSystemTime(10_000);
    view.handle(progress(1, 500, 500));
    view.handle(progress(2, 0, 500));
    vi.setSystemTime(12_500);
    view.handle(progress(2, 0, 500));
    // All 1000 parsed in 12.5 s (80 files/s); 500 written (40 files/s): 500 left to write at 40.
    expect(lines.at(-1)).toMatch(/500\/1000 files \(\+500 parsed\)  80 files\/s  ETA 13s/);

    // Files that failed are finished too: with every unit ended, nothing is left to wait for.
    vi.setSystemTime(15_000);
    const ended = (id: number, filesDone: number, filesFailed: number): EngineEvent =>
      ({ type: 'unit.completed', sessionId: S, unit: { ...unit(id, 500), status: 'completed', attempts: 1, filesDone, filesFailed }, at: Date.now() });
    view.handle(ended(1, 500, 0));
    view.handle(ended(2, 490, 10));
    view.finish();
    expect(lines.at(-1)).toMatch(/990\/1000 files  \d+ files\/s  ETA 0s/);
  });

  it('says how far the scan got until the plan gives a total', () => {
    const { stream, lines } = plainStream();
    const view = new ProgressView(stream);
    view.handle({ type: 'session.stage', sessionId: S, stage: 'scanning', at: 0 });
    vi.setSystemTime(3000);
    view.handle({ type: 'scan.progress', sessionId: S, entriesSeen: 48_000, filesFound: 9_100, at: Date.now() });
    expect(lines.at(-1)).toBe('scanning: 48000 entries read, 9100 code files found');
    view.handle({ type: 'session.plan', sessionId: S, filesTotal: 9_500, filesSkipped: 0, units: [unit(1, 9_500)], at: Date.now() });
    view.handle({ type: 'session.stage', sessionId: S, stage: 'parsing', at: Date.now() });
    expect(lines.at(-1)).toMatch(/^\[\.+\] 0\/9500 files/);
  });

  it('says how far the final pass got after the last unit', () => {
    const { stream, lines } = plainStream();
    const view = new ProgressView(stream);
    view.handle({ type: 'session.plan', sessionId: S, filesTotal: 100, filesSkipped: 0, units: [unit(1, 100)], at: 0 });
    view.handle({ type: 'unit.completed', sessionId: S, unit: { ...unit(1, 100), status: 'completed', filesDone: 100 }, at: 0 });
    view.handle({ type: 'session.stage', sessionId: S, stage: 'resolving', at: 0 });
    vi.setSystemTime(5000);
    view.handle({ type: 'resolve.progress', sessionId: S, referencesDone: 10_000, referencesTotal: 158_727, at: Date.now() });
    expect(lines.at(-1)).toMatch(/^\[#+\] 100\/100 files  linking references across units: 10000 of 158727$/);
    view.handle({ type: 'session.stage', sessionId: S, stage: 'aggregating', at: Date.now() });
    expect(lines.at(-1)).toMatch(/100\/100 files .* aggregating$/);
  });

  it('ends a log with one line for the last stage, not the same line again', () => {
    const { stream, lines } = plainStream();
    const view = new ProgressView(stream);
    view.handle({ type: 'session.plan', sessionId: S, filesTotal: 100, filesSkipped: 0, units: [unit(1, 100)], at: 0 });
    vi.setSystemTime(4000);
    view.handle({ type: 'unit.completed', sessionId: S, unit: { ...unit(1, 100), status: 'completed', filesDone: 100 }, at: Date.now() });
    view.handle({ type: 'session.stage', sessionId: S, stage: 'completed', at: Date.now() });
    // Later, only the rate has moved (100 files over more seconds): nothing new to say.
    vi.setSystemTime(5000);
    view.finish();
    expect(lines.filter((line) => line.endsWith('completed'))).toEqual([expect.stringMatching(/^\[#+\] 100\/100 files  25 files\/s  ETA 0s  completed$/)]);

    // A finish with news (a unit's last files written after the last line) still prints it.
    const { stream: stream2, lines: lines2 } = plainStream();
    const view2 = new ProgressView(stream2);
    view2.handle({ type: 'session.plan', sessionId: S, filesTotal: 100, filesSkipped: 0, units: [unit(1, 100)], at: 0 });
    view2.handle({ type: 'session.stage', sessionId: S, stage: 'completed', at: 0 });
    view2.handle({ type: 'unit.progress', sessionId: S, unitId: 1, filesDone: 100, nodes: 0, edges: 0, filesParsed: 100, at: 0 });
    expect(lines2.at(-1)).toMatch(/0\/100 files/);
    view2.finish();
    expect(lines2.at(-1)).toMatch(/100\/100 files/);
  });
});
