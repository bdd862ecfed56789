// Live state of a run, folded from a getSession snapshot and the engine's event batches.
// Pure functions only, so the zustand store stays thin and this is testable without a DOM.
import { filesParsedOf, type EngineEvent, type ResolveProgress, type ScanProgress } from '../../../shared/events.js';
import type { SessionCounters, SessionDetail, SessionStage, UnitStatus, WorkUnitSummary } from '../../../shared/session.js';
import { secondsLeft } from '../../../shared/time-left.js';

export interface UnitLiveState {
  id: number;
  index: number;
  path: string;
  status: UnitStatus;
  filesTotal: number;
  filesDone: number;
  /** Parsed by the unit's worker, written or not (a unit writes once all its files are parsed). */
  filesParsed: number;
  filesFailed: number;
  nodes: number;
  edges: number;
  attempts: number;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
  error: string | null;
}

export interface FilesDoneSample {
  at: number;
  filesDone: number;
  /** Files through the parser (written, failed, or waiting to be written): what the ETA follows. */
  filesParsed: number;
}

export interface ThroughputPoint {
  at: number;
  filesPerSecond: number;
}

export interface FileFailure {
  unitId: number;
  path: string;
  reason: string;
}

export interface SessionLiveState {
  sessionId: string;
  projectId: string | null;
  stage: SessionStage | null;
  error: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  filesTotal: number;
  filesSkipped: number;
  units: Record<number, UnitLiveState>;
  /** Unit ids ordered by plan index, for the grid. */
  unitOrder: number[];
  samples: FilesDoneSample[];
  throughput: ThroughputPoint[];
  fileFailures: FileFailure[];
  counters: SessionCounters | null;
  /** How far the scan got, while the session is scanning (no plan, so no file total, yet). */
  scan: ScanProgress | null;
  /** How far the final cross-unit pass got, while the session is resolving. */
  resolve: ResolveProgress | null;
}

/** How far back files/s looks: long enough to smooth 10/s batches, short enough to react. */
export const THROUGHPUT_WINDOW_MS = 5_000;
const MAX_SAMPLES = 600;
const MAX_FILE_FAILURES = 500;
const TERMINAL_STAGES: readonly SessionStage[] = ['completed', 'failed', 'cancelled', 'interrupted'];
const UNIT_STATUS_RANK: Record<UnitStatus, number> = { pending: 0, retrying: 1, running: 2, failed: 3, completed: 4 };

export function emptySession(sessionId: string): SessionLiveState {
  return {
    sessionId,
    projectId: null,
    stage: null,
    error: null,
    startedAt: null,
    finishedAt: null,
    filesTotal: 0,
    filesSkipped: 0,
    units: {},
    unitOrder: [],
    samples: [],
    throughput: [],
    fileFailures: [],
    counters: null,
    scan: null,
    resolve: null,
  };
}

function unitFromSummary(unit: WorkUnitSummary): UnitLiveState {
  return {
    id: unit.id,
    index: unit.index,
    path: unit.path,
    status: unit.status,
    filesTotal: unit.filesTotal,
    filesDone: unit.filesDone,
    filesParsed: unit.filesDone,
    filesFailed: unit.filesFailed,
    nodes: unit.nodes,
    edges: unit.edges,
    attempts: unit.attempts,
    startedAt: unit.startedAt,
    finishedAt: unit.finishedAt,
    durationMs: unit.durationMs,
    error: unit.error,
  };
}

function orderUnits(units: Record<number, UnitLiveState>): number[] {
  return Object.values(units)
    .sort((a, b) => a.index - b.index || a.id - b.id)
    .map((unit) => unit.id);
}

/** A snapshot can be older than events already applied, so keep whichever unit state is further along. */
function newerUnit(live: UnitLiveState | undefined, snapshot: UnitLiveState): UnitLiveState {
  if (!live) return snapshot;
  const liveRank = UNIT_STATUS_RANK[live.status];
  const snapshotRank = UNIT_STATUS_RANK[snapshot.status];
  if (live.attempts > snapshot.attempts) return live;
  if (live.attempts === snapshot.attempts && liveRank > snapshotRank) return live;
  if (live.attempts === snapshot.attempts && liveRank === snapshotRank && live.filesDone > snapshot.filesDone) return live;
  return snapshot;
}

/** Seeds (or refreshes) a session from getSession, keeping live progress the snapshot has not seen yet. */
export function seedSession(existing: SessionLiveState | undefined, detail: SessionDetail): SessionLiveState {
  const base = existing ?? emptySession(detail.id);
  const units: Record<number, UnitLiveState> = {};
  for (const summary of detail.units) units[summary.id] = newerUnit(base.units[summary.id], unitFromSummary(summary));
  for (const live of Object.values(base.units)) units[live.id] ??= live;
  const liveIsTerminal = base.stage !== null && TERMINAL_STAGES.includes(base.stage);
  const state: SessionLiveState = {
    ...base,
    projectId: detail.projectId,
    stage: liveIsTerminal ? base.stage : detail.stage,
    error: liveIsTerminal ? base.error : detail.error,
    startedAt: detail.startedAt,
    finishedAt: detail.finishedAt ?? base.finishedAt,
    filesTotal: detail.counters.filesTotal || base.filesTotal,
    filesSkipped: detail.counters.filesSkipped || base.filesSkipped,
    units,
    unitOrder: orderUnits(units),
    counters: detail.counters,
  };
  // Progress the snapshot adds was not seen arriving, so it must not count as throughput: rebaseline.
  const lastSample = base.samples[base.samples.length - 1];
  if (!lastSample) return recordSample(state, detail.updatedAt);
  const filesDone = totalFilesDone(state);
  const filesParsed = totalFilesParsed(state);
  return filesDone === lastSample.filesDone && filesParsed === lastSample.filesParsed
    ? state
    : { ...state, samples: [{ at: lastSample.at, filesDone, filesParsed }] };
}

/** Files through the parser in all units: written, failed, or parsed and waiting to be written. */
export function totalFilesParsed(state: SessionLiveState): number {
  let parsed = 0;
  for (const id of state.unitOrder) {
    const unit = state.units[id];
    if (unit) parsed += Math.max(unit.filesParsed, unit.filesDone + unit.filesFailed);
  }
  return parsed;
}

export function totalFilesDone(state: SessionLiveState): number {
  let done = 0;
  for (const id of state.unitOrder) done += state.units[id]?.filesDone ?? 0;
  return done;
}

export function totalFilesFailed(state: SessionLiveState): number {
  let failed = 0;
  for (const id of state.unitOrder) failed += state.units[id]?.filesFailed ?? 0;
  return failed;
}

function rateOver(samples: FilesDoneSample[], windowMs: number, count: (sample: FilesDoneSample) => number = (sample) => sample.filesDone): number {
  const last = samples[samples.length - 1];
  if (!last) return 0;
  let first = last;
  for (let i = samples.length - 2; i >= 0; i--) {
    const sample = samples[i];
    if (!sample || last.at - sample.at > windowMs) break;
    first = sample;
  }
  const seconds = (last.at - first.at) / 1000;
  if (seconds <= 0) return 0;
  return Math.max(0, (count(last) - count(first)) / seconds);
}

/** Appends a files-done sample at `at` and the files/s point it implies. */
export function recordSample(state: SessionLiveState, at: number): SessionLiveState {
  const filesDone = totalFilesDone(state);
  const filesParsed = totalFilesParsed(state);
  const previous = state.samples[state.samples.length - 1];
  let samples: FilesDoneSample[];
  if (previous && at <= previous.at) {
    samples = [...state.samples.slice(0, -1), { at: previous.at, filesDone, filesParsed }];
  } else {
    samples = [...state.samples, { at, filesDone, filesParsed }];
  }
  if (samples.length > MAX_SAMPLES) samples = samples.slice(samples.length - MAX_SAMPLES);
  const point = { at: samples[samples.length - 1]?.at ?? at, filesPerSecond: throughputOver(samples) };
  const lastPoint = state.throughput[state.throughput.length - 1];
  let throughput = lastPoint && lastPoint.at === point.at ? [...state.throughput.slice(0, -1), point] : [...state.throughput, point];
  if (throughput.length > MAX_SAMPLES) throughput = throughput.slice(throughput.length - MAX_SAMPLES);
  return { ...state, samples, throughput };
}

/**
 * Files/s over the recent window: of files parsed or of files written, whichever moved faster.
 * A unit writes only once all its files are parsed, so written files alone stand still for the
 * whole parse of the first units; parsed ones alone stand still while the last unit writes.
 */
function throughputOver(samples: FilesDoneSample[]): number {
  return Math.max(rateOver(samples, THROUGHPUT_WINDOW_MS), rateOver(samples, THROUGHPUT_WINDOW_MS, (sample) => sample.filesParsed));
}

export function filesPerSecond(state: SessionLiveState): number {
  return throughputOver(state.samples);
}

/** Milliseconds left at the current rate, or null when there is no rate to extrapolate from. */
export function etaMs(state: SessionLiveState): number | null {
  if (state.stage !== null && TERMINAL_STAGES.includes(state.stage)) return null;
  const left = secondsLeft(
    { filesTotal: state.filesTotal, filesParsed: totalFilesParsed(state), filesFinished: totalFilesDone(state) + totalFilesFailed(state) },
    { parsed: rateOver(state.samples, THROUGHPUT_WINDOW_MS, (sample) => sample.filesParsed), finished: rateOver(state.samples, THROUGHPUT_WINDOW_MS) },
  );
  return left === null ? null : Math.round(left * 1000);
}

/** Fraction in [0, 1] of parseable files finished (done or failed). */
export function progressFraction(state: SessionLiveState): number {
  if (state.filesTotal <= 0) return state.stage === 'completed' ? 1 : 0;
  return Math.min(1, (totalFilesDone(state) + totalFilesFailed(state)) / state.filesTotal);
}

export function unitElapsedMs(unit: UnitLiveState, now: number): number | null {
  if (unit.durationMs !== null && (unit.status === 'completed' || unit.status === 'failed')) return unit.durationMs;
  if (unit.startedAt === null) return unit.durationMs;
  return Math.max(0, (unit.finishedAt ?? now) - unit.startedAt);
}

function putUnit(state: SessionLiveState, unit: UnitLiveState): SessionLiveState {
  const isNew = !(unit.id in state.units);
  const units = { ...state.units, [unit.id]: unit };
  return { ...state, units, unitOrder: isNew ? orderUnits(units) : state.unitOrder };
}

function applyEvent(state: SessionLiveState, event: EngineEvent): SessionLiveState {
  switch (event.type) {
    case 'session.stage':
      return {
        ...state,
        stage: event.stage,
        error: event.error ?? (event.stage === 'failed' ? state.error : null),
        startedAt: state.startedAt ?? event.at,
        finishedAt: TERMINAL_STAGES.includes(event.stage) ? event.at : null,
        // A new scan (a resume plans afresh) starts from nothing, not where the last one stopped.
        scan: event.stage === 'scanning' ? null : state.scan,
        resolve: event.stage === 'resolving' ? null : state.resolve,
      };
    case 'scan.progress':
      return { ...state, scan: { entriesSeen: event.entriesSeen, filesFound: event.filesFound } };
    case 'resolve.progress':
      return { ...state, resolve: { referencesDone: event.referencesDone, referencesTotal: event.referencesTotal } };
    case 'session.plan': {
      const units: Record<number, UnitLiveState> = { ...state.units };
      for (const summary of event.units) units[summary.id] = newerUnit(state.units[summary.id], unitFromSummary(summary));
      return { ...state, filesTotal: event.filesTotal, filesSkipped: event.filesSkipped, units, unitOrder: orderUnits(units) };
    }
    case 'unit.started':
      return putUnit(state, { ...unitFromSummary(event.unit), status: 'running', error: null });
    case 'unit.progress': {
      const unit = state.units[event.unitId];
      if (!unit) return state;
      const status: UnitStatus = unit.status === 'completed' || unit.status === 'failed' ? unit.status : 'running';
      return putUnit(state, { ...unit, status, filesDone: event.filesDone, filesParsed: filesParsedOf(event), nodes: event.nodes, edges: event.edges });
    }
    case 'unit.completed':
      return putUnit(state, { ...unitFromSummary(event.unit), status: 'completed' });
    case 'unit.failed': {
      const unit = unitFromSummary(event.unit);
      return putUnit(state, { ...unit, status: event.willRetry ? 'retrying' : 'failed' });
    }
    case 'file.failed': {
      const fileFailures = [...state.fileFailures, { unitId: event.unitId, path: event.path, reason: event.reason }];
      return { ...state, fileFailures: fileFailures.slice(-MAX_FILE_FAILURES) };
    }
    case 'session.completed':
      return {
        ...state,
        stage: 'completed',
        error: null,
        counters: event.counters,
        filesTotal: event.counters.filesTotal,
        filesSkipped: event.counters.filesSkipped,
        finishedAt: event.at,
      };
    case 'session.failed':
      return { ...state, stage: 'failed', error: event.error.message, finishedAt: event.at };
    case 'session.resumed':
      // The run is live again; its stage event follows, and the refetched detail brings the re-queued units.
      return { ...state, error: null, finishedAt: null };
    default: {
      // A newer host may send events this renderer does not know: they change nothing, and never lose the state.
      const unknown: never = event;
      void unknown;
      return state;
    }
  }
}

/** Folds one batch of events into the per-session states, sampling throughput once per touched session. */
export function applyEvents(
  sessions: Readonly<Record<string, SessionLiveState>>,
  events: readonly EngineEvent[],
): Record<string, SessionLiveState> {
  const next: Record<string, SessionLiveState> = { ...sessions };
  const lastAt = new Map<string, number>();
  for (const event of events) {
    const current = next[event.sessionId] ?? emptySession(event.sessionId);
    next[event.sessionId] = applyEvent(current, event);
    lastAt.set(event.sessionId, Math.max(lastAt.get(event.sessionId) ?? 0, event.at));
  }
  for (const [sessionId, at] of lastAt) {
    const state = next[sessionId];
    if (state) next[sessionId] = recordSample(state, at);
  }
  return next;
}

/** Whether a batch changes what request/response data (projects, session detail, stats) would return. */
export function sessionsNeedingRefresh(events: readonly EngineEvent[]): Set<string> {
  const sessions = new Set<string>();
  for (const event of events) {
    if (event.type === 'session.stage' || event.type === 'session.resumed' || event.type === 'session.completed' || event.type === 'session.failed') {
      sessions.add(event.sessionId);
    }
  }
  return sessions;
}
