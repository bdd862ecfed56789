// The engine's front door: parse a folder, resume a session, read status and stats. Used by
// the CLI, the browser host and the Electron app alike; never imports electron.
import { stat } from 'node:fs/promises';
import { RepographError } from '../shared/errors.js';
import type { EngineEvent, ScanProgress } from '../shared/events.js';
import type { SessionStage, TargetConfig } from '../shared/session.js';
import { batchSizeFor, type Settings } from '../shared/settings.js';
import { PRELOAD_TARGET_ENV } from '../shared/worker-protocol.js';
import type { GraphTarget } from '../storage/graph-target.js';
import { usesTls } from '../storage/neo4j-address.js';
import { createGraphTarget } from '../storage/open-target.js';
import { StateStore, type SessionRow } from '../storage/state-store.js';
import { reopenChangedFiles } from './coordinator/folder-changes.js';
import { runPlannedSession, setStage, type SessionOutcome } from './coordinator/session-runner.js';
import { dataDirLayout, type DataDirLayout } from './data-dir.js';
import { WorkerPool } from './pool/worker-pool.js';
import type { WorkerHost } from './pool/worker-host.js';
import { canonicalRoot, gitSnapshot, projectIdFor, projectNameFor } from './project-identity.js';
import { scanFolder, ScanStopped, type ScanResult } from './scan/scanner.js';
import { divideIntoWorkUnits } from './scan/work-units.js';
import { openSessionLog } from './session-log.js';
import { loadSettings } from './settings-store.js';

export interface EngineConfig {
  dataDir: string;
  workerHost: WorkerHost;
  /** Settings to use instead of the data dir's settings.json (with env overrides). */
  settings?: Settings;
}

export interface ParseRequest {
  root: string;
  /** The project id to use instead of a hash of the canonical path (a team uses the repository's name). */
  project?: string;
  /** Defaults to the embedded store in the data dir. */
  target?: TargetConfig;
  /** Start over even if an interrupted session exists. */
  fresh?: boolean;
  /** Test-only: the worker aborts when it reaches this file. */
  abortOnFile?: string;
}

export interface ResumeRequest {
  root?: string;
  project?: string;
  sessionId?: string;
  /** Needed for a Neo4j session: the password is never stored with the session. */
  neo4jPassword?: string;
  abortOnFile?: string;
  /** Bootstrap only (no state for the project): where the graph is. Defaults to the embedded store. */
  target?: TargetConfig;
}

export interface RunningSession {
  sessionId: string;
  projectId: string;
  done: Promise<SessionOutcome>;
  /** Stops workers after their current batch; the session stays resumable. */
  cancel(): void;
}

/** A scan under way: its result, and a switch that ends it early with ScanStopped. */
interface ScanHandle {
  result: Promise<ScanResult>;
  stop(): void;
  /** Hands the scan's progress to `listener` from now on, at most every SCAN_PROGRESS_INTERVAL_MS. */
  follow(listener: (progress: ScanProgress) => void): void;
}

/** A large tree, or a slow or cold disk, can take a while to scan: how often to say how far it got. */
const SCAN_PROGRESS_INTERVAL_MS = 100;

export class Engine {
  readonly layout: DataDirLayout;
  readonly state: StateStore;
  readonly settings: Settings;
  private listeners = new Set<(event: EngineEvent) => void>();
  private running = new Map<string, RunningSession>();

  constructor(private readonly config: EngineConfig) {
    this.layout = dataDirLayout(config.dataDir);
    this.state = new StateStore(this.layout.stateDb);
    this.settings = config.settings ?? loadSettings(this.layout.settings);
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit = (event: EngineEvent): void => {
    for (const listener of this.listeners) listener(event);
  };

  embeddedTarget(): TargetConfig {
    return { kind: 'embedded', path: this.layout.graphDb };
  }

  isRunning(sessionId: string): boolean {
    return this.running.has(sessionId);
  }

  runningSession(sessionId: string): RunningSession | undefined {
    return this.running.get(sessionId);
  }

  async parse(request: ParseRequest): Promise<RunningSession> {
    const root = await checkFolder(request.root);
    const projectId = projectIdFor(root, request.project);
    const targetConfig = request.target ?? this.embeddedTarget();
    const previous = this.state.latestSession(projectId);
    if (previous && !request.fresh) {
      const stage = this.state.effectiveStage(previous);
      if (stage !== 'completed' && stage !== 'failed' && this.running.has(previous.id)) {
        throw new RepographError('INVALID_INPUT', `${root} is being parsed right now (session ${previous.id}): wait for it or cancel it first.`);
      }
      if (stage === 'interrupted' || stage === 'cancelled') {
        throw new RepographError(
          'INVALID_INPUT',
          `${root} has an ${stage} session (${previous.id}): run \`repograph resume ${root}\` to finish it, or parse with --fresh to start over.`,
        );
      }
    }
    // The workers start up (~0.2 s each) while the target opens and the folder is scanned.
    const pool = this.newPool(targetConfig);
    pool.warmUp();
    // Neither the scan nor the git snapshot needs the target: they run while it connects
    // (Neo4j: a driver to load and a server to answer). Only the plan waits for both.
    const scan = this.startScan(root);
    const snapshot = gitSnapshot(root);
    try {
      const target = await openTarget(targetConfig, this.settings);
      // A new parse replaces the project's graph: stale nodes of deleted code must not survive.
      await target.deleteProject(projectId);
      this.state.forgetProject(projectId);
      const sessionId = await this.newSession(projectId, root, request.project, targetConfig, snapshot);
      return this.launch({ sessionId, projectId, root, target, targetConfig, abortOnFile: request.abortOnFile, plan: true, pool, scan });
    } catch (error) {
      scan.stop();
      pool.dispose();
      throw error;
    }
  }

  private newPool(target: TargetConfig): WorkerPool {
    return new WorkerPool(this.config.workerHost, {
      size: this.settings.workers,
      unitTimeoutMs: this.settings.unitTimeoutMs,
      maxOldSpaceMb: 1024,
      minSemiSpaceMb: 16,
      // Short-lived processes: cheaper optimised code beats better optimised code (see the option).
      turboInlining: false,
      // Workers that will write to Neo4j load its driver (~150 ms) while they wait for a unit.
      env: target.kind === 'neo4j' ? { [PRELOAD_TARGET_ENV]: 'neo4j' } : undefined,
      // Only a Neo4j target is reached over the network, and over TLS (perhaps with a team's own CA) only with +s or +ssc.
      tls: target.kind === 'neo4j' && usesTls(target.uri),
    });
  }

  async resume(request: ResumeRequest): Promise<RunningSession> {
    const session = await this.findResumable(request);
    if (!session) return this.bootstrap(request);
    if (this.running.has(session.id)) throw new RepographError('INVALID_INPUT', `session ${session.id} is already running in this process.`);
    const stage = this.state.effectiveStage(session);
    if (stage === 'completed') {
      throw new RepographError('NOTHING_TO_RESUME', `session ${session.id} is already completed: nothing to resume. Use parse to parse the folder again.`);
    }
    if (!['interrupted', 'cancelled', 'failed'].includes(stage)) {
      throw new RepographError('INVALID_INPUT', `session ${session.id} is ${stage} in another process (pid ${session.owner_pid}): wait for it, or stop that process first.`);
    }
    const project = this.state.project(session.project_id)!;
    const targetConfig = storedTarget(session, request.neo4jPassword);
    const target = await openTarget(targetConfig, this.settings);
    this.state.claimSession(session.id, 'resume');
    const planned = this.state.units(session.id).length > 0;
    const log = openSessionLog(this.layout.logs, session.id);
    let changedFiles: string[] = [];
    if (planned) {
      let changes;
      try {
        changes = await reopenChangedFiles(this.state, session.id, project.root, await gitSnapshot(project.root), { target, projectId: project.id });
      } catch (error) {
        this.state.setStage(session.id, 'interrupted', error instanceof Error ? error.message : String(error));
        await target.close().catch(() => undefined);
        throw error;
      }
      changedFiles = changes.reopened;
      if (changes.reopened.length > 0 || changes.missing.length > 0 || changes.headMoved) {
        log.log('warn', 'the folder changed since the session started: changed files are parsed again', {
          changed: changes.reopened.length,
          missing: changes.missing.length,
          referencing: changes.referencing.length,
          headMoved: changes.headMoved,
          files: changes.reopened.slice(0, 50),
        });
      }
    }
    const filesLeft = this.state.unfinishedFileCount(session.id);
    log.log('info', 'resume', { filesLeft, planned, resumes: (session.resumes ?? 0) + 1 });
    const handle = this.launch({ sessionId: session.id, projectId: project.id, root: project.root, target, targetConfig, abortOnFile: request.abortOnFile, plan: !planned });
    this.emit({ type: 'session.resumed', sessionId: session.id, kind: 'resume', filesLeft, changedFiles, at: Date.now() });
    return handle;
  }

  /**
   * The state store has no session for the project but the target may hold its graph: plan
   * again from the folder, count as done the files whose FILE node exists (written last, so
   * they are whole), rebuild the symbol table from the target and parse the rest. The done
   * files are parsed once more for their deferred references, which died with the state.
   */
  private async bootstrap(request: ResumeRequest): Promise<RunningSession> {
    if (!request.root) throw new RepographError('NOTHING_TO_RESUME', `No session to resume in ${this.layout.root}: give the folder to resume (repograph resume <folder>).`);
    const root = await checkFolder(request.root);
    const projectId = projectIdFor(root, request.project);
    const targetConfig = request.target ?? this.embeddedTarget();
    const target = await openTarget(targetConfig, this.settings);
    let done: Set<string>;
    try {
      done = await target.completedFilePaths(projectId);
    } catch (error) {
      await target.close().catch(() => undefined);
      throw error;
    }
    if (done.size === 0) {
      await target.close().catch(() => undefined);
      throw new RepographError('NOTHING_TO_RESUME', `No session to resume for ${root}, and ${target.description} holds no files of project ${projectId}: run \`repograph parse ${root}\`.`);
    }
    const sessionId = await this.newSession(projectId, root, request.project, targetConfig);
    this.state.replaceSymbols(projectId, await target.readSymbols(projectId));
    this.state.claimSession(sessionId, 'bootstrap');
    const log = openSessionLog(this.layout.logs, sessionId);
    log.log('info', 'bootstrap: no state for the project, rebuilding it from the folder and the target', { filesInTarget: done.size, target: target.description });
    return this.launch({
      sessionId,
      projectId,
      root,
      target,
      targetConfig,
      abortOnFile: request.abortOnFile,
      plan: true,
      afterPlan: () => {
        const counted = this.state.markFilesDoneFromTarget(sessionId, done);
        const filesLeft = this.state.unfinishedFileCount(sessionId);
        log.log('info', 'bootstrap planned', { filesFoundInTarget: counted, filesLeft });
        this.emit({ type: 'session.resumed', sessionId, kind: 'bootstrap', filesLeft, changedFiles: [], filesFoundInTarget: counted, at: Date.now() });
      },
    });
  }

  private async findResumable(request: ResumeRequest): Promise<SessionRow | null> {
    if (request.sessionId) {
      const session = this.state.session(request.sessionId);
      if (!session) throw new RepographError('SESSION_NOT_FOUND', `No session ${request.sessionId} in ${this.layout.root}: run \`repograph status\` to list sessions.`);
      return session;
    }
    const projectId = await this.resolveProjectId(request.root, request.project);
    const session = this.state.latestSession(projectId);
    if (!session) {
      if (request.root) return null;
      throw new RepographError('NOTHING_TO_RESUME', `No session to resume for ${projectId}: run \`repograph parse\` first.`);
    }
    return session;
  }

  async resolveProjectId(root?: string, project?: string): Promise<string> {
    if (project) return project;
    if (!root) {
      const latest = this.state.projects()[0];
      if (!latest) throw new RepographError('PROJECT_NOT_FOUND', `No project in ${this.layout.root} yet: run \`repograph parse <folder>\` first.`);
      return latest.id;
    }
    const canonical = await checkFolder(root);
    const known = this.state.projectByRoot(canonical);
    return known?.id ?? projectIdFor(canonical);
  }

  /** A scan of `root` that plan() will use; stop() ends it early (a cancel, a target that fails to open). */
  private startScan(root: string): ScanHandle {
    let stopped = false;
    let listener: ((progress: ScanProgress) => void) | null = null;
    let reportedAt = 0;
    const result = scanFolder(root, {
      maxFileBytes: this.settings.maxFileBytes,
      extraIgnore: this.settings.extraIgnore,
      shouldStop: () => stopped,
      onProgress: (progress) => {
        const now = Date.now();
        if (listener === null || now - reportedAt < SCAN_PROGRESS_INTERVAL_MS) return;
        reportedAt = now;
        listener(progress);
      },
    });
    // Awaited by plan(); until then (or if the parse fails first) its failure must not go unhandled.
    result.catch(() => undefined);
    return { result, stop: () => (stopped = true), follow: (next) => (listener = next) };
  }

  /** Records the project and a new session for it (the target config without its password). */
  private async newSession(
    projectId: string,
    root: string,
    project: string | undefined,
    targetConfig: TargetConfig,
    snapshot: Promise<string | null> = gitSnapshot(root),
  ): Promise<string> {
    this.state.upsertProject({ id: projectId, root, name: projectNameFor(root, project), target: targetConfig.kind });
    return this.state.createSession({
      projectId,
      target: targetConfig.kind,
      targetConfig: withoutSecrets(targetConfig),
      snapshot: await snapshot,
      options: { project: project ?? null },
    });
  }

  private launch(input: {
    sessionId: string;
    projectId: string;
    root: string;
    target: GraphTarget;
    targetConfig: TargetConfig;
    abortOnFile?: string;
    plan: boolean;
    /** A scan of the folder already under way, for the plan (by default one starts now). */
    scan?: ScanHandle;
    /** Runs once the plan is committed, before any worker starts (bootstrap marks what is done). */
    afterPlan?: () => void;
    /** A pool already warming up; by default a new one. */
    pool?: WorkerPool;
  }): RunningSession {
    const { sessionId } = input;
    const log = openSessionLog(this.layout.logs, sessionId);
    const pool = input.pool ?? this.newPool(input.targetConfig);
    // A cancel stops the scan too: on a large tree it takes seconds, and its files are not planned yet.
    const scan = input.plan ? (input.scan ?? this.startScan(input.root)) : null;
    let cancelled = false;
    // Cancelled before the units ran (while scanning, or right after the plan): recorded as the runner records its stages.
    const cancelledSession = (): SessionOutcome => {
      setStage({ state: this.state, log, emit: this.emit, sessionId }, 'cancelled');
      return { stage: 'cancelled', error: null };
    };
    const run = async (): Promise<SessionOutcome> => {
      try {
        // The workers start up on the other cores while this process scans and plans (if not already).
        pool.warmUp();
        if (scan) {
          const planned = await this.plan(sessionId, input.root, log, scan);
          // Cancelled while scanning: nothing is planned, and a resume plans afresh.
          if (planned === 'scan stopped') return cancelledSession();
          if (planned) return planned;
          input.afterPlan?.();
        }
        if (cancelled) return cancelledSession();
        return await runPlannedSession({
          state: this.state,
          target: input.target,
          targetConfig: input.targetConfig,
          pool,
          settings: this.settings,
          sessionId,
          projectId: input.projectId,
          root: input.root,
          log,
          emit: this.emit,
          cancelled: () => cancelled,
          abortOnFile: input.abortOnFile,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.log('error', 'session failed', { error: message });
        this.state.setStage(sessionId, 'failed', message);
        this.emit({ type: 'session.stage', sessionId, stage: 'failed', error: message, at: Date.now() });
        return { stage: 'failed', error: message };
      } finally {
        pool.dispose();
        this.running.delete(sessionId);
        await input.target.close().catch(() => undefined);
      }
    };
    const handle: RunningSession = {
      sessionId,
      projectId: input.projectId,
      done: run(),
      cancel: () => {
        cancelled = true;
        scan?.stop();
        pool.stop();
      },
    };
    this.running.set(sessionId, handle);
    return handle;
  }

  /**
   * Waits for the scan and divides; the plan is committed before any worker starts. Returns an
   * outcome only if there is nothing to do; a stopped scan plans nothing.
   */
  private async plan(
    sessionId: string,
    root: string,
    log: ReturnType<typeof openSessionLog>,
    running: ScanHandle,
  ): Promise<SessionOutcome | 'scan stopped' | null> {
    this.state.setStage(sessionId, 'scanning');
    this.emit({ type: 'session.stage', sessionId, stage: 'scanning', at: Date.now() });
    running.follow((progress) => this.emit({ type: 'scan.progress', sessionId, ...progress, at: Date.now() }));
    let scan: ScanResult;
    try {
      scan = await running.result;
    } catch (error) {
      if (!(error instanceof ScanStopped)) throw error;
      log.log('info', 'scan stopped before the plan');
      return 'scan stopped';
    }
    log.log('info', 'scanned', { files: scan.files.length, skipped: scan.skipped.length });
    if (scan.files.length === 0) {
      const message = `No parseable files (Python, JavaScript, TypeScript, Java, Go) in ${root}${scan.skipped.length ? ` (${scan.skipped.length} skipped)` : ''}: pick the folder that holds the code.`;
      // The session is marked failed (and the event sent) where the run's errors are handled.
      throw new RepographError('NOTHING_TO_PARSE', message);
    }
    const units = divideIntoWorkUnits(scan.files, {
      maxFilesPerUnit: this.settings.maxFilesPerWorkUnit,
      targetFilesPerUnit: this.settings.targetFilesPerWorkUnit,
      workers: this.settings.workers,
    });
    this.state.savePlan(sessionId, units, scan.skipped);
    log.log('info', 'planned', { units: units.length });
    this.emit({ type: 'session.plan', sessionId, filesTotal: scan.files.length, filesSkipped: scan.skipped.length, units: this.state.units(sessionId), at: Date.now() });
    return null;
  }

  async openTargetFor(projectId: string, neo4jPassword?: string): Promise<GraphTarget> {
    const session = this.state.latestSession(projectId);
    return openTarget(session ? storedTarget(session, neo4jPassword) : this.embeddedTarget(), this.settings);
  }

  /**
   * The graph of the project of `root` (or named `project`), opened for reading. A project
   * this data dir has no session of and whose graph is not in the embedded store either was
   * never parsed here: its stats or export would be empty, so that is an error saying so.
   */
  async openProjectGraph(root?: string, project?: string): Promise<{ projectId: string; target: GraphTarget }> {
    const projectId = await this.resolveProjectId(root, project);
    const target = await this.openTargetFor(projectId);
    if (this.state.project(projectId) || (await target.totals(projectId)).nodes > 0) return { projectId, target };
    await target.close();
    const what = root ?? `project ${projectId}`;
    throw new RepographError(
      'PROJECT_NOT_FOUND',
      `${what} has not been parsed into ${this.layout.root}: run \`repograph parse ${root ?? '<folder>'}\` first, or give the --data-dir it was parsed into.`,
    );
  }

  stageOf(session: SessionRow): SessionStage {
    return this.state.effectiveStage(session);
  }

  async close(): Promise<void> {
    for (const session of this.running.values()) session.cancel();
    await Promise.all([...this.running.values()].map((session) => session.done));
    this.state.close();
  }
}

async function checkFolder(folder: string): Promise<string> {
  let info;
  try {
    info = await stat(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RepographError('FOLDER_NOT_FOUND', `The folder ${folder} does not exist: check the path.`);
    if (code === 'EACCES') throw new RepographError('FOLDER_UNREADABLE', `The folder ${folder} cannot be read (permission denied): check its permissions.`);
    throw new RepographError('FOLDER_UNREADABLE', `The folder ${folder} cannot be read (${code ?? String(error)}).`);
  }
  if (!info.isDirectory()) throw new RepographError('NOT_A_FOLDER', `${folder} is a file, not a folder: pick the folder that holds the code.`);
  try {
    return await canonicalRoot(folder);
  } catch (error) {
    throw new RepographError('FOLDER_UNREADABLE', `The folder ${folder} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
}

async function openTarget(config: TargetConfig, settings: Settings): Promise<GraphTarget> {
  const target = createGraphTarget(config, batchSizeFor(config, settings));
  await target.open();
  return target;
}

/** A session's target as stored (never with a password), with the password put back for Neo4j. */
function storedTarget(session: SessionRow, neo4jPassword: string | undefined): TargetConfig {
  const stored = JSON.parse(session.target_config) as TargetConfig;
  return stored.kind === 'neo4j' ? { ...stored, password: neo4jPassword ?? process.env.NEO4J_PASSWORD } : stored;
}

function withoutSecrets(config: TargetConfig): TargetConfig {
  if (config.kind !== 'neo4j') return config;
  const { password: _password, ...rest } = config;
  return rest;
}
