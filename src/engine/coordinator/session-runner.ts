// Runs a planned session to its end: units through the worker pool (with retries), cross-unit
// resolution, aggregation. Everything it learns is in SQLite before it is acted upon, so the
// process may die at any point and `resume` picks up from the state store.
import type { EngineEvent } from '../../shared/events.js';
import type { SessionStage, TargetConfig, WorkUnitSummary } from '../../shared/session.js';
import type { Settings } from '../../shared/settings.js';
import type { UnitAssignment } from '../../shared/worker-protocol.js';
import type { GraphTarget } from '../../storage/graph-target.js';
import type { StateStore } from '../../storage/state-store.js';
import type { SessionLog } from '../session-log.js';
import type { WorkerPool } from '../pool/worker-pool.js';
import { linkDeferredReferences } from './reference-linker.js';

export interface SessionRunContext {
  state: StateStore;
  target: GraphTarget;
  targetConfig: TargetConfig;
  pool: WorkerPool;
  settings: Settings;
  sessionId: string;
  projectId: string;
  root: string;
  log: SessionLog;
  emit(event: EngineEvent): void;
  /** Set when the user cancelled: workers stop after their batch, the session stays resumable. */
  cancelled(): boolean;
  abortOnFile?: string;
}

export interface SessionOutcome {
  stage: SessionStage;
  error: string | null;
}

const HEARTBEAT_MS = 2000;

export async function runPlannedSession(ctx: SessionRunContext): Promise<SessionOutcome> {
  const { state, sessionId } = ctx;
  const heartbeat = setInterval(() => state.heartbeat(sessionId), HEARTBEAT_MS);
  heartbeat.unref();
  const startedAt = Date.now();
  try {
    setStage(ctx, 'parsing');
    state.requeueUnfinishedUnits(sessionId);
    const units = state.units(sessionId).filter((unit) => unit.status !== 'completed');
    ctx.log.log('info', 'parsing', { units: units.length, workers: ctx.pool.size });
    let fatal: string | null = null;
    await Promise.all(
      units.map(async (unit) => {
        const error = await runUnitWithRetries(ctx, unit);
        if (error && !fatal) {
          fatal = error;
          ctx.pool.stop();
        }
      }),
    );
    if (fatal) return finish(ctx, 'failed', fatal);
    if (ctx.cancelled()) return finish(ctx, 'cancelled', null);

    setStage(ctx, 'resolving');
    const link = await linkDeferredReferences({ state, target: ctx.target, sessionId, projectId: ctx.projectId, phase: 'final', shouldStop: ctx.cancelled });
    if (ctx.cancelled()) return finish(ctx, 'cancelled', null);
    state.addCrossUnitCounts(sessionId, { crossUnit: link.resolved + link.ambiguous, external: link.external });
    state.setSessionTotals(sessionId, { refs_unresolved: link.unresolved });
    ctx.log.log('info', 'cross-unit references linked', { ...link });

    setStage(ctx, 'aggregating');
    const stats = await ctx.target.stats(ctx.projectId);
    const nodes = Object.values(stats.nodesByLabel).reduce((a, b) => a + b, 0);
    const edges = Object.values(stats.edgesByType).reduce((a, b) => a + b, 0);
    state.setSessionTotals(sessionId, { nodes, edges });
    const failedUnits = state.units(sessionId).filter((unit) => unit.status === 'failed');
    if (failedUnits.length > 0) {
      const message = `${failedUnits.length} work unit(s) failed after ${ctx.settings.maxAttempts} attempts (first: ${failedUnits[0]!.path}: ${failedUnits[0]!.error}); run resume to try them again`;
      return finish(ctx, 'failed', message);
    }
    const outcome = finish(ctx, 'completed', null);
    const session = state.session(sessionId)!;
    ctx.emit({ type: 'session.completed', sessionId, counters: state.summary(session).counters, durationMs: Date.now() - startedAt, at: Date.now() });
    return outcome;
  } finally {
    clearInterval(heartbeat);
    ctx.log.log('info', 'coordinator resources', { peakRssMb: process.resourceUsage().maxRSS / 1024 });
  }
}

/** Returns an error only when the whole session must fail (a worker that cannot start). */
async function runUnitWithRetries(ctx: SessionRunContext, unit: WorkUnitSummary): Promise<string | null> {
  const { state } = ctx;
  for (;;) {
    if (ctx.cancelled()) return null;
    const files = state.pendingFiles(unit.id);
    if (files.length === 0) {
      state.setUnitStatus(unit.id, 'completed');
      ctx.emit({ type: 'unit.completed', sessionId: ctx.sessionId, unit: state.unit(unit.id)!, at: Date.now() });
      return null;
    }
    const attempt = state.markUnitRunning(unit.id);
    const assignment: UnitAssignment = {
      sessionId: ctx.sessionId,
      unitId: unit.id,
      unitIndex: unit.index,
      attempt,
      repoId: ctx.projectId,
      root: ctx.root,
      stateDbPath: state.path,
      target: ctx.targetConfig,
      files: files.map((file) => ({ id: file.id, path: file.path, language: file.language })),
      options: { batchSize: ctx.settings.batchSize, progressIntervalMs: 100, abortOnFile: ctx.abortOnFile },
    };
    const unitLog = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) =>
      ctx.log.log(level, msg, { unit: unit.index, attempt, ...fields });
    ctx.emit({ type: 'unit.started', sessionId: ctx.sessionId, unit: state.unit(unit.id)!, at: Date.now() });
    unitLog('info', 'unit started', { files: files.length, path: unit.path });
    const baseDone = unit.filesTotal - files.length;
    const result = await ctx.pool.run(assignment, {
      onStarted: (worker) => unitLog('debug', 'worker spawned', { worker: worker.id, pid: worker.pid }),
      onProgress: (progress) =>
        ctx.emit({ type: 'unit.progress', sessionId: ctx.sessionId, unitId: unit.id, filesDone: baseDone + progress.filesDone, nodes: progress.nodes, edges: progress.edges, at: Date.now() }),
      onFileFailed: (path, reason) => {
        unitLog('warn', 'file failed', { path, reason });
        ctx.emit({ type: 'file.failed', sessionId: ctx.sessionId, unitId: unit.id, path, reason, at: Date.now() });
      },
      onLog: (level, msg, fields) => unitLog(level as 'info', msg, fields),
    });
    if (result.kind === 'done') {
      state.setUnitStatus(unit.id, 'completed');
      unitLog('info', 'unit completed', { ...result.stats });
      ctx.emit({ type: 'unit.completed', sessionId: ctx.sessionId, unit: state.unit(unit.id)!, at: Date.now() });
      return null;
    }
    if (result.kind === 'stopped') {
      state.setUnitStatus(unit.id, 'pending');
      unitLog('info', 'unit stopped');
      return null;
    }
    unitLog('error', 'unit failed', { reason: result.reason, exit: result.exit });
    if (result.startup) {
      state.setUnitStatus(unit.id, 'failed', result.reason);
      ctx.emit({ type: 'unit.failed', sessionId: ctx.sessionId, unit: state.unit(unit.id)!, willRetry: false, at: Date.now() });
      return `a worker could not start: ${result.reason}`;
    }
    const willRetry = attempt < ctx.settings.maxAttempts && !ctx.cancelled();
    state.setUnitStatus(unit.id, willRetry ? 'retrying' : 'failed', result.reason);
    ctx.emit({ type: 'unit.failed', sessionId: ctx.sessionId, unit: state.unit(unit.id)!, willRetry, at: Date.now() });
    if (!willRetry) return null;
  }
}

function setStage(ctx: SessionRunContext, stage: SessionStage, error: string | null = null): void {
  ctx.state.setStage(ctx.sessionId, stage, error);
  ctx.log.log(stage === 'failed' ? 'error' : 'info', `stage ${stage}`, error ? { error } : undefined);
  ctx.emit({ type: 'session.stage', sessionId: ctx.sessionId, stage, error, at: Date.now() });
}

function finish(ctx: SessionRunContext, stage: SessionStage, error: string | null): SessionOutcome {
  setStage(ctx, stage, error);
  if (stage === 'failed') {
    ctx.emit({ type: 'session.failed', sessionId: ctx.sessionId, error: { name: 'RepographError', code: 'INTERNAL', message: error ?? 'failed' }, at: Date.now() });
  }
  return { stage, error };
}
