import { describe, expect, it } from 'vitest';
import {
  applyEvents,
  etaMs,
  filesPerSecond,
  progressFraction,
  seedSession,
  sessionsNeedingRefresh,
  totalFilesDone,
  unitElapsedMs,
} from '../../../../src/renderer/src/live/run-state.js';
import type { SessionLiveState } from '../../../../src/renderer/src/live/run-state.js';
import type { EngineEvent } from '../../../../src/shared/events.js';
import type { SessionCounters, SessionDetail, WorkUnitSummary } from '../../../../src/shared/session.js';

const S = 's1';

function unit(id: number, overrides: Partial<WorkUnitSummary> = {}): WorkUnitSummary {
  return {
    id,
    index: id - 1,
    path: `src/unit-${id}`,
    status: 'pending',
    attempts: 0,
    filesTotal: 100,
    filesDone: 0,
    filesFailed: 0,
    nodes: 0,
    edges: 0,
    refsLocal: 0,
    refsDeferred: 0,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    error: null,
    ...overrides,
  };
}

const zeroCounters: SessionCounters = {
  filesTotal: 0, filesDone: 0, filesFailed: 0, filesSkipped: 0, nodes: 0, edges: 0,
  refsLocal: 0, refsCrossUnit: 0, refsUnresolved: 0, refsExternal: 0,
};

function plan(at: number, units: WorkUnitSummary[]): EngineEvent {
  return { type: 'session.plan', sessionId: S, filesTotal: units.reduce((n, u) => n + u.filesTotal, 0), filesSkipped: 4, units, at };
}

function progress(at: number, unitId: number, filesDone: number, filesParsed?: number): EngineEvent {
  return { type: 'unit.progress', sessionId: S, unitId, filesDone, nodes: filesDone * 5, edges: filesDone * 7, ...(filesParsed === undefined ? {} : { filesParsed }), at };
}

function run(batches: EngineEvent[][]): SessionLiveState {
  let sessions: Record<string, SessionLiveState> = {};
  for (const batch of batches) sessions = applyEvents(sessions, batch);
  const state = sessions[S];
  if (!state) throw new Error('no session state');
  return state;
}

describe('applyEvents', () => {
  it('builds the unit grid from plan, start, progress, retry, failure and completion', () => {
    const state = run([
      [{ type: 'session.stage', sessionId: S, stage: 'scanning', at: 1000 }, plan(1100, [unit(2), unit(1), unit(3)])],
      [
        { type: 'session.stage', sessionId: S, stage: 'parsing', at: 1200 },
        { type: 'unit.started', sessionId: S, unit: unit(1, { status: 'running', attempts: 1, startedAt: 1200 }), at: 1200 },
        { type: 'unit.started', sessionId: S, unit: unit(2, { status: 'running', attempts: 1, startedAt: 1200 }), at: 1200 },
        progress(1300, 1, 40),
      ],
      [
        { type: 'unit.failed', sessionId: S, unit: unit(2, { status: 'failed', attempts: 1, error: 'worker crashed' }), willRetry: true, at: 1400 },
        { type: 'file.failed', sessionId: S, unitId: 1, path: 'src/unit-1/bad.py', reason: 'parse timeout', at: 1450 },
        { type: 'unit.completed', sessionId: S, unit: unit(1, { status: 'completed', attempts: 1, filesDone: 99, filesFailed: 1, nodes: 500, edges: 700, durationMs: 800 }), at: 2000 },
        { type: 'unit.failed', sessionId: S, unit: unit(3, { status: 'failed', attempts: 3, error: 'out of memory' }), willRetry: false, at: 2100 },
      ],
    ]);

    expect(state.stage).toBe('parsing');
    expect(state.filesTotal).toBe(300);
    expect(state.filesSkipped).toBe(4);
    expect(state.unitOrder).toEqual([1, 2, 3]);
    expect(state.units[1]).toMatchObject({ status: 'completed', filesDone: 99, filesFailed: 1, nodes: 500, edges: 700, durationMs: 800 });
    expect(state.units[2]).toMatchObject({ status: 'retrying', attempts: 1, error: 'worker crashed' });
    expect(state.units[3]).toMatchObject({ status: 'failed', attempts: 3, error: 'out of memory' });
    expect(state.fileFailures).toEqual([{ unitId: 1, path: 'src/unit-1/bad.py', reason: 'parse timeout' }]);
    expect(totalFilesDone(state)).toBe(99);
    expect(progressFraction(state)).toBeCloseTo(100 / 300);
  });

  it('shows how far the scan got while the session scans, before any plan', () => {
    const scanning = run([
      [
        { type: 'session.stage', sessionId: S, stage: 'scanning', at: 1000 },
        { type: 'scan.progress', sessionId: S, entriesSeen: 1200, filesFound: 40, at: 1100 },
        { type: 'scan.progress', sessionId: S, entriesSeen: 5300, filesFound: 310, at: 1200 },
      ],
    ]);
    expect(scanning.scan).toEqual({ entriesSeen: 5300, filesFound: 310 });
    expect(scanning.filesTotal).toBe(0);
    expect(run([[{ type: 'scan.progress', sessionId: S, entriesSeen: 9, filesFound: 2, at: 1 }, plan(2, [unit(1)])]]).filesTotal).toBe(100);
    // Scanning again (a resume after a cancel during the scan): the old counts are gone.
    const again = run([
      [{ type: 'scan.progress', sessionId: S, entriesSeen: 5300, filesFound: 310, at: 1100 }],
      [{ type: 'session.stage', sessionId: S, stage: 'cancelled', at: 1200 }, { type: 'session.stage', sessionId: S, stage: 'scanning', at: 5000 }],
    ]);
    expect(again.scan).toBeNull();
  });

  it('shows how far the final pass got while the session resolves, from nothing on each new pass', () => {
    const resolving = run([
      [
        { type: 'session.stage', sessionId: S, stage: 'resolving', at: 1000 },
        { type: 'resolve.progress', sessionId: S, referencesDone: 0, referencesTotal: 12_000, at: 1000 },
        { type: 'resolve.progress', sessionId: S, referencesDone: 5_000, referencesTotal: 12_000, at: 1300 },
      ],
    ]);
    expect(resolving.stage).toBe('resolving');
    expect(resolving.resolve).toEqual({ referencesDone: 5_000, referencesTotal: 12_000 });
    // Interrupted, then resumed: the new pass reports its own total, not the old pass's count.
    const again = run([
      [{ type: 'resolve.progress', sessionId: S, referencesDone: 5_000, referencesTotal: 12_000, at: 1300 }],
      [{ type: 'session.stage', sessionId: S, stage: 'interrupted', at: 1400 }, { type: 'session.stage', sessionId: S, stage: 'resolving', at: 9000 }],
    ]);
    expect(again.resolve).toBeNull();
  });

  it('shows a unit parsing before it writes, then writing, and counts only written files as done', () => {
    const parsed = (at: number, filesParsed: number, filesDone = 0): EngineEvent => progress(at, 1, filesDone, filesParsed);
    const parsing = run([
      [plan(1000, [unit(1), unit(2)]), { type: 'unit.started', sessionId: S, unit: unit(1, { status: 'running', attempts: 1, startedAt: 1100 }), at: 1100 }],
      [parsed(1200, 30), parsed(1300, 70)],
    ]);
    expect(parsing.units[1]).toMatchObject({ status: 'running', filesParsed: 70, filesDone: 0 });
    expect(totalFilesDone(parsing)).toBe(0);

    const writing = run([
      [plan(1000, [unit(1), unit(2)]), { type: 'unit.started', sessionId: S, unit: unit(1, { status: 'running', attempts: 1, startedAt: 1100 }), at: 1100 }],
      [parsed(1200, 70), parsed(1400, 100, 40)],
    ]);
    expect(writing.units[1]).toMatchObject({ filesParsed: 100, filesDone: 40 });
    expect(totalFilesDone(writing)).toBe(40);
    // Progress without the field (an older engine) never shows fewer parsed than done.
    expect(run([[plan(1000, [unit(1)]), progress(1100, 1, 25)]]).units[1]).toMatchObject({ filesParsed: 25, filesDone: 25 });
  });

  it('ignores progress for units it does not know and keeps sessions apart', () => {
    const sessions = applyEvents({}, [
      plan(1, [unit(1)]),
      progress(2, 99, 10),
      { type: 'session.stage', sessionId: 'other', stage: 'scanning', at: 3 },
    ]);
    expect(Object.keys(sessions).sort()).toEqual(['other', S]);
    expect(sessions[S]?.unitOrder).toEqual([1]);
    expect(sessions.other?.stage).toBe('scanning');
  });

  it('computes files/s over the recent window and an ETA from it', () => {
    const state = run([
      [plan(0, [unit(1, { filesTotal: 1000 }), unit(2, { filesTotal: 1000 })])],
      [progress(1000, 1, 0), progress(1000, 2, 0)],
      [progress(2000, 1, 50), progress(2000, 2, 50)],
      [progress(3000, 1, 100), progress(3000, 2, 100)],
    ]);
    // 200 files over the 3 s since the plan; the window covers all of it.
    expect(filesPerSecond(state)).toBeCloseTo(200 / 3);
    expect(etaMs(state)).toBe(Math.round((1800 / (200 / 3)) * 1000));
    expect(state.throughput.map((p) => p.at)).toEqual([0, 1000, 2000, 3000]);
    expect(state.throughput[3]?.filesPerSecond).toBeCloseTo(200 / 3);
  });

  it('has an ETA while the units parse, before any file is written', () => {
    const state = run([
      [plan(0, [unit(1, { filesTotal: 1000 }), unit(2, { filesTotal: 1000 })])],
      [progress(1000, 1, 0, 100), progress(1000, 2, 0, 100)],
      [progress(2000, 1, 0, 200), progress(2000, 2, 0, 200)],
    ]);
    // None written yet: files/s counts the files parsed, 400 over the 2 s since the plan.
    expect(filesPerSecond(state)).toBeCloseTo(200);
    expect(state.throughput.at(-1)?.filesPerSecond).toBeCloseTo(200);
    // 1600 left at 200 files/s.
    expect(etaMs(state)).toBe(8000);
    // All parsed, 500 written: the writes left go at the rate of writes.
    const writing = run([
      [plan(0, [unit(1, { filesTotal: 1000 })])],
      [progress(1000, 1, 0, 500)],
      [progress(2000, 1, 0, 1000)],
      [progress(3000, 1, 500, 1000)],
    ]);
    expect(etaMs(writing)).toBe(Math.round((500 / (500 / 3)) * 1000));
    // The last second only wrote (parsed stood at 1000): files/s follows the writes, 500 in it.
    expect(filesPerSecond(run([
      [plan(0, [unit(1, { filesTotal: 1000 })])],
      [progress(1000, 1, 0, 1000)],
      [progress(7000, 1, 0, 1000)],
      [progress(8000, 1, 500, 1000)],
    ]))).toBeCloseTo(500);
  });

  it('forgets throughput older than the window', () => {
    const state = run([
      [plan(0, [unit(1, { filesTotal: 10_000 })])],
      [progress(1000, 1, 5000)],
      [progress(20_000, 1, 5010)],
      [progress(21_000, 1, 5020)],
    ]);
    // The burst of 5000 files before t=1 s is outside the 5 s window; only 20_000..21_000 counts.
    expect(filesPerSecond(state)).toBeCloseTo(10);
  });

  it('has no ETA without a rate, and none once the run is over', () => {
    const idle = run([[plan(0, [unit(1)])]]);
    expect(etaMs(idle)).toBeNull();
    const done = run([
      [plan(0, [unit(1)])],
      [progress(1000, 1, 50)],
      [{ type: 'session.completed', sessionId: S, counters: { ...zeroCounters, filesTotal: 100, filesDone: 100 }, durationMs: 2000, at: 2000 }],
    ]);
    expect(done.stage).toBe('completed');
    expect(done.finishedAt).toBe(2000);
    expect(etaMs(done)).toBeNull();
  });

  it('records a failed session with its message', () => {
    const state = run([
      [{ type: 'session.failed', sessionId: S, error: { name: 'RepographError', code: 'NEO4J_AUTH', message: 'Neo4j refused the password' }, at: 5 }],
    ]);
    expect(state.stage).toBe('failed');
    expect(state.error).toBe('Neo4j refused the password');
  });

  it('keeps the grid through a resume and clears the interruption', () => {
    const state = run([
      [plan(1, [unit(1), unit(2)]), { type: 'session.stage', sessionId: S, stage: 'interrupted', error: 'host died', at: 2 }],
      [{ type: 'session.resumed', sessionId: S, kind: 'resume', filesLeft: 150, changedFiles: [], at: 3 }],
    ]);
    expect(state.unitOrder).toEqual([1, 2]);
    expect(state.error).toBeNull();
    expect(state.finishedAt).toBeNull();
  });

  it('leaves the state alone for an event type it does not know', () => {
    const before = run([[plan(1, [unit(1)])]]);
    const after = applyEvents({ [S]: before }, [{ type: 'session.renamed', sessionId: S, at: 2 } as unknown as EngineEvent])[S];
    expect(after?.unitOrder).toEqual([1]);
  });
});

describe('seedSession', () => {
  const detail: SessionDetail = {
    id: S,
    projectId: 'p1',
    root: '/code/app',
    stage: 'parsing',
    target: 'embedded',
    startedAt: 500,
    updatedAt: 900,
    finishedAt: null,
    error: null,
    resumes: 0,
    counters: { ...zeroCounters, filesTotal: 200, filesSkipped: 2 },
    units: [unit(1, { status: 'running', attempts: 1, filesDone: 30, startedAt: 600 }), unit(2)],
  };

  it('seeds the grid from a snapshot', () => {
    const state = seedSession(undefined, detail);
    expect(state.projectId).toBe('p1');
    expect(state.stage).toBe('parsing');
    expect(state.filesTotal).toBe(200);
    expect(state.unitOrder).toEqual([1, 2]);
    expect(state.units[1]).toMatchObject({ status: 'running', filesDone: 30 });
    expect(state.samples).toEqual([{ at: 900, filesDone: 30, filesParsed: 30 }]);
  });

  it('keeps live progress a stale snapshot has not seen, and a terminal stage', () => {
    const live = applyEvents({}, [
      { type: 'unit.started', sessionId: S, unit: unit(1, { status: 'running', attempts: 1 }), at: 700 },
      progress(800, 1, 60),
      { type: 'unit.completed', sessionId: S, unit: unit(2, { status: 'completed', attempts: 1, filesDone: 100 }), at: 850 },
      { type: 'session.stage', sessionId: S, stage: 'cancelled', at: 860 },
    ])[S];
    const state = seedSession(live, detail);
    expect(state.units[1]).toMatchObject({ status: 'running', filesDone: 60 });
    expect(state.units[2]).toMatchObject({ status: 'completed', filesDone: 100 });
    expect(state.stage).toBe('cancelled');
  });

  it('does not count progress brought in by a late snapshot as throughput', () => {
    // Events for units the window had not seen yet arrive before getSession answers.
    const early = applyEvents({}, [progress(1000, 1, 31), progress(1100, 1, 32)])[S];
    const seeded = seedSession(early, detail);
    expect(filesPerSecond(seeded)).toBe(0);
    const after = applyEvents({ [S]: seeded }, [progress(2100, 1, 40)])[S]!;
    expect(filesPerSecond(after)).toBeCloseTo(10);
  });

  it('takes a newer attempt from the snapshot over an older live one', () => {
    const live = applyEvents({}, [
      { type: 'unit.failed', sessionId: S, unit: unit(1, { status: 'failed', attempts: 1 }), willRetry: false, at: 100 },
    ])[S];
    const state = seedSession(live, { ...detail, units: [unit(1, { status: 'running', attempts: 2, filesDone: 5 })] });
    expect(state.units[1]).toMatchObject({ status: 'running', attempts: 2, filesDone: 5 });
  });
});

describe('helpers', () => {
  it('lists the sessions whose request data went stale', () => {
    const events: EngineEvent[] = [
      progress(1, 1, 1),
      { type: 'session.stage', sessionId: 'a', stage: 'resolving', at: 2 },
      { type: 'session.resumed', sessionId: 'b', kind: 'resume', filesLeft: 1, changedFiles: [], at: 3 },
    ];
    expect([...sessionsNeedingRefresh(events)]).toEqual(['a', 'b']);
  });

  it('measures a running unit against the clock and a finished one by its duration', () => {
    const base = seedSession(undefined, {
      id: S, projectId: 'p', root: '/r', stage: 'parsing', target: 'embedded', startedAt: 0, updatedAt: 0,
      finishedAt: null, error: null, resumes: 0, counters: zeroCounters,
      units: [unit(1, { status: 'running', startedAt: 1000 }), unit(2, { status: 'completed', startedAt: 0, durationMs: 1234 })],
    });
    expect(unitElapsedMs(base.units[1]!, 4000)).toBe(3000);
    expect(unitElapsedMs(base.units[2]!, 4000)).toBe(1234);
  });
});
