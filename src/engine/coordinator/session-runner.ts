// Runs a planned session to its end: units through the worker pool (with retries), cross-unit
// resolution, aggregation. Everything it learns is in SQLite before it is acted upon, so the
// process may die at any point and `resume` picks up from the state store.
import type { EngineEvent } from '../../shared/events.js';
import type { SessionStage, TargetConfig, WorkUnitSummary } from '../../shared/session.js';
import { batchSizeFor, type Settings } from '../../shared/settings.js';
import type { UnitAssignment } from '../../shared/worker-protocol.js';
import type { GraphTarget } from '../../storage/graph-target.js';
import type { StateStore } from '../../storage/state-store.js';
import type { SessionLog } from '../session-log.js';
import type { WorkerPool } from '../pool/worker-pool.js';
import type { WorkerExit } from '../pool/worker-host.js';
import type { SymbolRecord } from '../../shared/resolution.js';
import { addCounts, emptyHeldLinks, linkDeferredReferences, NO_LINKS, writeHeldLinks, type HeldLinks, type LinkCounts } from './reference-linker.js';
import { PublishedSymbols } from './published-symbols.js';
import { SymbolNameCache } from './symbol-name-cache.js';
import { TargetOutage, TargetOutageExpired, targetOutageLimitMs } from './target-outage.js';

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
  /** Set by runPlannedSession: the target outage every writer reports to. */
  outage?: TargetOutage;
}

export interface SessionOutcome {
  stage: SessionStage;
  error: string | null;
}

const HEARTBEAT_MS = 2000;
/** How often a worker reports the files it has parsed (tests set 0: a report per file). */
const PROGRESS_INTERVAL_MS = progressInterval(process.env.REPOGRAPH_PROGRESS_INTERVAL_MS);

function progressInterval(setting: string | undefined): number {
  const value = Number(setting);
  return setting !== undefined && setting.trim() !== '' && Number.isInteger(value) && value >= 0 ? value : 100;
}
/**
 * Tests that kill the process tree at a named moment set this to one of PausePoint: the
 * coordinator then waits there (for at most a minute) so that the kill lands exactly there,
 * not wherever a fast machine has got to by the time the test reacts.
 */
const TEST_PAUSE_AT = process.env.REPOGRAPH_TEST_PAUSE_AT;
const TEST_PAUSE_MS = 60_000;

/** `resolving`: just entered the stage; `final-pass`: held links written, the final pass not begun. */
type PausePoint = 'resolving' | 'final-pass';

async function pauseForTest(point: PausePoint): Promise<void> {
  if (TEST_PAUSE_AT === point) await new Promise((resolve) => setTimeout(resolve, TEST_PAUSE_MS));
}

/** Workers still inside a hung target call when the outage limit passes are killed after this. */
const STOP_GRACE_MS = 3000;

export async function runPlannedSession(ctx: SessionRunContext): Promise<SessionOutcome> {
  const { state, sessionId } = ctx;
  const heartbeat = setInterval(() => state.heartbeat(sessionId), HEARTBEAT_MS);
  heartbeat.unref();
  const startedAt = Date.now();
  // The stage to show again once the target answers after an outage.
  let activeStage: SessionStage = 'parsing';
  const outage = new TargetOutage({
    limitMs: targetOutageLimitMs(),
    onDown: (message) => {
      ctx.pool.pause();
      setStage(ctx, 'waiting-for-target', `${ctx.target.kind === 'neo4j' ? 'waiting for Neo4j' : 'waiting for the graph target'}: ${message}`);
    },
    onUp: () => {
      ctx.log.log('info', 'the graph target answers again');
      setStage(ctx, activeStage);
      ctx.pool.resume();
    },
    onExpired: (message) => {
      ctx.log.log('error', 'the graph target stayed down past the limit', { error: message });
      ctx.pool.stop();
      setTimeout(() => ctx.pool.kill(), STOP_GRACE_MS).unref();
    },
  });
  ctx.outage = outage;
  const enter = (stage: SessionStage): void => {
    activeStage = stage;
    if (!outage.isDown) setStage(ctx, stage);
  };
  const guard = <T>(op: () => Promise<T>): Promise<T> => outage.guard('coordinator', op, ctx.cancelled);
  try {
    enter('parsing');
    state.requeueUnfinishedUnits(sessionId);
    // Largest first (by bytes left to parse): the run then does not end waiting on one big unit.
    const bytes = state.pendingBytesByUnit(sessionId);
    const units = state
      .units(sessionId)
      .filter((unit) => unit.status !== 'completed')
      .sort((a, b) => (bytes.get(b.id) ?? 0) - (bytes.get(a.id) ?? 0) || a.index - b.index);
    ctx.log.log('info', 'parsing', { units: units.length, workers: ctx.pool.size });
    let fatal: string | null = null;
    const linker = new ProgressiveLinker(ctx);
    // Asked before any unit starts, so that only this run's units can have written symbols since.
    const published = new PublishedSymbols(!state.projectHasSymbols(ctx.projectId));
    let unitsLeft = units.length;
    // Once every symbol is known (see PublishedSymbols: no unit waits to start, and each one
    // running has sent its own), resolve what is open, with a core free or not.
    const checkSymbols = (): void => {
      if (unitsLeft > 0 && published.complete(unitsLeft)) linker.everySymbolKnown(published);
    };
    const tracker: UnitTracker = {
      started: (unitId) => published.started(unitId),
      published: (unitId, symbols) => {
        published.published(unitId, symbols);
        checkSymbols();
      },
      ended: (unitId, completed) => published.ended(unitId, completed),
      // The held pass reads what is committed; a unit still writing commits more, batch by batch.
      committed: () => checkSymbols(),
    };
    await Promise.all(
      units.map(async (unit) => {
        const error = await runUnitWithRetries(ctx, unit, tracker);
        unitsLeft--;
        if (error && !fatal) {
          fatal = error;
          ctx.pool.stop();
        }
        // After the last unit the final pass reads every open reference anyway: a pass of its
        // own for that unit's references would read them twice.
        if (!error && !ctx.cancelled() && unitsLeft > 0) {
          linker.unitFinished(unit.id, unitsLeft < ctx.pool.size);
          checkSymbols();
        }
        // From here on the final pass has the coordinator to itself: a pass still running would
        // only make it wait.
        if (unitsLeft === 0) linker.stop();
      }),
    );
    const early = await linker.drain();
    // Resolved against symbols that units sent: void if one of them did not complete as it was.
    const held = published.trustworthy ? linker.held : null;
    if (fatal) return finish(ctx, 'failed', fatal);
    if (ctx.cancelled()) return finish(ctx, 'cancelled', null);
    if (outage.expired) return finish(ctx, 'interrupted', outage.expiryMessage);

    enter('resolving');
    await pauseForTest('resolving');
    if (held) await writeHeldLinks({ state, target: ctx.target, sessionId, held: held.links, guard });
    const referencesTotal = state.openDeferredCount(sessionId);
    const resolveProgress = (referencesDone: number): void => ctx.emit({ type: 'resolve.progress', sessionId, referencesDone, referencesTotal, at: Date.now() });
    resolveProgress(0);
    await pauseForTest('final-pass');
    const final = await linkDeferredReferences({
      state,
      target: ctx.target,
      sessionId,
      projectId: ctx.projectId,
      phase: 'final',
      shouldStop: ctx.cancelled,
      guard,
      onBatch: resolveProgress,
      // Every unit is done: the symbols the held pass looked up are the table's now.
      ...(held ? { symbols: held.symbols } : {}),
    });
    if (ctx.cancelled()) return finish(ctx, 'cancelled', null);
    const beforeLastUnit = held?.links.counts ?? NO_LINKS;
    const link = addCounts(addCounts(early, beforeLastUnit), final);
    state.addCrossUnitCounts(sessionId, { crossUnit: link.resolved + link.ambiguous, external: link.external });
    state.setSessionTotals(sessionId, { refs_unresolved: link.unresolved });
    ctx.log.log('info', 'cross-unit references linked', {
      ...link,
      asUnitsFinish: early.resolved + early.ambiguous,
      beforeLastUnit: beforeLastUnit.resolved + beforeLastUnit.ambiguous + beforeLastUnit.unresolved + beforeLastUnit.external,
    });

    enter('aggregating');
    const { nodes, edges } = await guard(() => ctx.target.totals(ctx.projectId));
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
  } catch (error) {
    if (!(error instanceof TargetOutageExpired)) throw error;
    if (ctx.cancelled()) return finish(ctx, 'cancelled', null);
    return finish(ctx, 'interrupted', outage.expiryMessage);
  } finally {
    outage.dispose();
    clearInterval(heartbeat);
    ctx.log.log('info', 'coordinator resources', { peakRssMb: process.resourceUsage().maxRSS / 1024 });
  }
}

/** What the session learns of each unit's attempts (see PublishedSymbols). */
interface UnitTracker {
  started(unitId: number): void;
  published(unitId: number, symbols: SymbolRecord[]): void;
  /** A running unit committed another batch of files (and the references it deferred). */
  committed(unitId: number): void;
  ended(unitId: number, completed: boolean): void;
}

/** Returns an error only when the whole session must fail (a worker that cannot start). */
async function runUnitWithRetries(ctx: SessionRunContext, unit: WorkUnitSummary, tracker: UnitTracker): Promise<string | null> {
  const { state } = ctx;
  for (;;) {
    if (ctx.cancelled()) return null;
    const files = state.pendingFiles(unit.id);
    if (files.length === 0) {
      state.setUnitStatus(unit.id, 'completed');
      ctx.emit({ type: 'unit.completed', sessionId: ctx.sessionId, unit: state.unit(unit.id)!, at: Date.now() });
      return null;
    }
    let attempt = 0;
    const outageSource = `unit-${unit.id}`;
    const unitLog = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) =>
      ctx.log.log(level, msg, { unit: unit.index, attempt, ...fields });
    const baseDone = unit.filesTotal - files.length;
    // Marked running only once a worker slot is free, so that queued units stay pending and
    // a crash of the whole run charges attempts only to units that really ran.
    const start = (): UnitAssignment => {
      attempt = state.markUnitRunning(unit.id);
      tracker.started(unit.id);
      ctx.emit({ type: 'unit.started', sessionId: ctx.sessionId, unit: state.unit(unit.id)!, at: Date.now() });
      unitLog('info', 'unit started', { files: files.length, path: unit.path });
      return {
        sessionId: ctx.sessionId,
        unitId: unit.id,
        unitIndex: unit.index,
        attempt,
        repoId: ctx.projectId,
        root: ctx.root,
        stateDbPath: state.path,
        target: ctx.targetConfig,
        files: files.map((file) => ({ id: file.id, path: file.path, language: file.language, ...(file.referencesOnly ? { referencesOnly: true } : {}) })),
        options: { batchSize: batchSizeFor(ctx.targetConfig, ctx.settings), progressIntervalMs: PROGRESS_INTERVAL_MS, abortOnFile: ctx.abortOnFile },
      };
    };
    let filesCommitted = 0;
    const result = await ctx.pool.run(start, {
      onStarted: (worker) => unitLog('debug', 'worker spawned', { worker: worker.id, pid: worker.pid }),
      onProgress: (progress) => {
        ctx.emit({
          type: 'unit.progress',
          sessionId: ctx.sessionId,
          unitId: unit.id,
          filesDone: baseDone + progress.filesDone,
          nodes: progress.nodes,
          edges: progress.edges,
          ...(progress.filesParsed !== undefined ? { filesParsed: baseDone + progress.filesParsed } : {}),
          at: Date.now(),
        });
        if (progress.filesDone > filesCommitted) {
          filesCommitted = progress.filesDone;
          tracker.committed(unit.id);
        }
      },
      onFileFailed: (path, reason) => {
        unitLog('warn', 'file failed', { path, reason });
        ctx.emit({ type: 'file.failed', sessionId: ctx.sessionId, unitId: unit.id, path, reason, at: Date.now() });
      },
      onLog: (level, msg, fields) => unitLog(level as 'info', msg, fields),
      onSymbols: (symbols) => tracker.published(unit.id, symbols),
      onTargetUnavailable: (message) => {
        unitLog('warn', 'the worker cannot reach the graph target; it waits and retries', { error: message });
        ctx.outage?.report(outageSource, message);
      },
      onTargetAvailable: () => ctx.outage?.clear(outageSource),
    });
    ctx.outage?.clear(outageSource);
    tracker.ended(unit.id, result.kind === 'done');
    if (result.kind !== 'done' && ctx.outage?.expired) {
      // Stopped by the outage limit: not the unit's fault, so the attempt is not charged.
      state.refundAttempt(unit.id);
      state.setUnitStatus(unit.id, 'pending', ctx.outage.expiryMessage);
      unitLog('warn', 'unit stopped: the graph target stayed down past the limit');
      return null;
    }
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
    // The file it was on when the worker died is the suspect; a second crash on it isolates it.
    const isolated = isolateSuspect(ctx, unit, result.exit, unitLog);
    const willRetry = (attempt < ctx.settings.maxAttempts || isolated) && !ctx.cancelled();
    state.setUnitStatus(unit.id, willRetry ? 'retrying' : 'failed', result.reason);
    ctx.emit({ type: 'unit.failed', sessionId: ctx.sessionId, unit: state.unit(unit.id)!, willRetry, at: Date.now() });
    if (!willRetry) return null;
  }
}

/** Crashes a worker may take on one file before the file is set aside as failed. */
export const CRASHES_TO_ISOLATE = 2;

/** Returns true when a file was isolated by this failure (the unit then earns another attempt). */
function isolateSuspect(
  ctx: SessionRunContext,
  unit: WorkUnitSummary,
  exit: WorkerExit | null,
  unitLog: (level: 'warn', msg: string, fields?: Record<string, unknown>) => void,
): boolean {
  const suspect = ctx.state.currentFile(unit.id);
  if (!suspect) return false;
  const crashes = ctx.state.recordFileCrash(unit.id, suspect);
  unitLog('warn', 'worker died while parsing a file', { path: suspect, crashes });
  if (crashes < CRASHES_TO_ISOLATE) return false;
  const how = exit?.signal ? `was ended by ${exit.signal}` : `exited with code ${exit?.code ?? 'unknown'}`;
  const reason = `isolated: its worker died ${crashes} times while parsing it (the worker ${how}); the rest of the unit was parsed without it`;
  ctx.state.markFileFailed(unit.id, suspect, reason);
  unitLog('warn', 'file isolated', { path: suspect, reason });
  ctx.emit({ type: 'file.failed', sessionId: ctx.sessionId, unitId: unit.id, path: suspect, reason, at: Date.now() });
  return true;
}

/**
 * Cross-unit resolution while units are still running (DESIGN step 5): one pass at a time
 * (a single writer); a candidate only settles once its file's FILE symbol is known, so what
 * it links cannot depend on timing.
 *
 * A pass takes a core, so it runs only once a worker slot stays idle (fewer units left than
 * workers), over the references of every unit finished by then, and it stops when the last
 * unit does. Passes started whenever a unit finished took the core of a running worker, and
 * most references they read could not settle yet and were read again by the final pass.
 * OpenJDK's source with 2 workers, interleaved pairs: 27.1/27.1, 26.9/26.4 and 27.5/25.9 s
 * (that way/like this); with no pass before the final one against like this, 25.6/25.2 and
 * 24.6/24.0 s. Go and django moved within their noise.
 *
 * Once every unit has started and each one running has sent its symbols, the pass over every
 * open reference (`everySymbolKnown`) takes over: it decides what the final pass would, and
 * holds the edges until the last unit is done; it runs again each time a running unit commits
 * a batch (its writes now alternate with its resolution), so what the last unit defers is
 * mostly decided before it ends (Go: the stage after the last unit ~0.44 -> ~0.31 s in probed
 * pairs, the wall within noise). With 2 workers, interleaved pairs against the
 * passes per unit alone: Go 11.53/10.97, 11.38/11.09, 11.09/10.97 s (final pass ~0.85 -> ~0.48
 * s); OpenJDK 26.8/24.1, 23.7/23.7 s (final pass ~2.7 -> ~1.75 s); django within its noise
 * (10 runs each, means 1.725 / 1.737 s: its two units end within ~0.1 s of each other).
 *
 * Unlike a pass per finished unit, the held pass settles every reference it reads, so it runs
 * without a free core too: its work is then shared with the workers' instead of following
 * theirs on one core while the other idles. django (two units that end together, so a free core
 * came only ~0.1 s before the end): the stage after the last unit ~0.45 -> ~0.1-0.2 s, 4,750 to
 * all 11,319 of its references decided before it; paired with the free-core rule, wall 0.933
 * and 0.981 (medians of 10 and 12 rounds). Go's source, 4 alternating runs each: wall 32.4 ->
 * 30.1 s, CPU 59.8 -> 56.3 s (medians).
 */
export class ProgressiveLinker {
  private chain: Promise<void> = Promise.resolve();
  private queued = false;
  private stopped = false;
  private counts: LinkCounts = NO_LINKS;

  constructor(private readonly ctx: Pick<SessionRunContext, 'state' | 'target' | 'sessionId' | 'projectId' | 'log' | 'cancelled' | 'outage'>) {}

  private finished: number[] = [];

  /** Ends the pass running at its next batch, and starts no other. */
  stop(): void {
    this.stopped = true;
  }

  /** What the pass over every open reference (everySymbolKnown) resolved, to write once all units are done. */
  held: { links: HeldLinks; symbols: SymbolNameCache } | null = null;

  /**
   * Every symbol of the repo is known (PublishedSymbols.complete), some of it only from units
   * still writing: every open reference, of any unit, now resolves as it will in the final
   * pass, against those symbols and the table's. Edges to nodes not written yet cannot be
   * written, so the pass holds what it finds (`held`), and the session writes that after the
   * last unit. From here this pass replaces the one per finished unit, and goes on from where
   * it stopped each time a unit finishes or a running one commits a batch.
   */
  everySymbolKnown(published: PublishedSymbols): void {
    if (this.stopped) return;
    if (!this.held) {
      const { state, projectId } = this.ctx;
      this.held = { links: emptyHeldLinks(), symbols: new SymbolNameCache(published.withStored((names) => state.symbolsByNames(projectId, names))) };
    }
    this.schedule();
  }

  /**
   * Each pass reads only the references of the units finished since the last one, so the
   * work stays one read per reference however many units there are (a pass over every open
   * reference per unit took a core away from the workers on Go's source). What a pass cannot
   * decide yet is left to the final pass.
   */
  unitFinished(unitId: number, coreFree: boolean): void {
    this.finished.push(unitId);
    if (coreFree) this.schedule();
  }

  /** Queues one pass (not a second while one waits): the held one once it exists, else one over the finished units. */
  private schedule(): void {
    if (this.queued) return;
    this.queued = true;
    this.chain = this.chain.then(async () => {
      this.queued = false;
      if (this.stopped) return;
      const { ctx } = this;
      const shouldStop = (): boolean => this.stopped || ctx.cancelled() || ctx.outage?.expired === true;
      const held = this.held;
      try {
        if (held) {
          this.finished = [];
          await linkDeferredReferences({
            state: ctx.state,
            target: ctx.target,
            sessionId: ctx.sessionId,
            projectId: ctx.projectId,
            phase: 'final',
            symbols: held.symbols,
            hold: held.links,
            shouldStop,
          });
          return;
        }
        const unitIds = this.finished.splice(0);
        if (unitIds.length === 0) return;
        const counts = await linkDeferredReferences({
          state: ctx.state,
          target: ctx.target,
          sessionId: ctx.sessionId,
          projectId: ctx.projectId,
          phase: 'as-units-finish',
          unitIds,
          // Once every symbol is known, the held pass decides more: this one gives way to it.
          shouldStop: () => shouldStop() || this.held !== null,
          guard: ctx.outage ? (op) => ctx.outage!.guard('linker', op, ctx.cancelled) : undefined,
        });
        this.counts = addCounts(this.counts, counts);
      } catch (error) {
        // Nothing held is written: the final pass settles whatever this one did not.
        if (held) this.held = null;
        ctx.log.log('warn', 'cross-unit pass failed; the final pass will redo it', { error: error instanceof Error ? error.message : String(error) });
      }
    });
  }

  async drain(): Promise<LinkCounts> {
    await this.chain;
    return this.counts;
  }
}

/** Records a session's stage: in the state store, in its log, and as an event (what the app follows). */
export function setStage(
  ctx: Pick<SessionRunContext, 'state' | 'log' | 'emit' | 'sessionId'>,
  stage: SessionStage,
  error: string | null = null,
): void {
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
