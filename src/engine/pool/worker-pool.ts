// Runs work units in worker processes, at most `size` at once, one process per unit: a crash,
// a runaway WASM heap or an OOM takes down one unit, never the app.
import type { UnitAssignment, UnitStats, WorkerMessage } from '../../shared/worker-protocol.js';
import { decodeSymbols, parseWorkerMessage } from '../../shared/worker-protocol.js';
import type { SymbolRecord } from '../../shared/resolution.js';
import type { WorkerExit, WorkerHost, WorkerProcess, WorkerSpawnOptions } from './worker-host.js';

/** A worker that said `done` and has not exited after this is killed (its slot is freed then). */
const EXIT_GRACE_MS = 10_000;

/** A worker process started before its unit: what it says (and its exit) waits until one is bound. */
class StartedWorker {
  private queued: unknown[] = [];
  private exit: WorkerExit | null = null;
  private messageListener: ((message: unknown) => void) | null = null;
  private exitListener: ((exit: WorkerExit) => void) | null = null;

  constructor(readonly worker: WorkerProcess) {
    worker.onMessage((message) => (this.messageListener ? this.messageListener(message) : this.queued.push(message)));
    worker.onExit((exit) => (this.exitListener ? this.exitListener(exit) : (this.exit = exit)));
  }

  bind(onMessage: (message: unknown) => void, onExit: (exit: WorkerExit) => void): void {
    this.messageListener = onMessage;
    this.exitListener = onExit;
    for (const message of this.queued.splice(0)) onMessage(message);
    if (this.exit) onExit(this.exit);
  }
}

export type UnitRunResult =
  | { kind: 'done'; stats: UnitStats }
  | { kind: 'stopped' }
  | { kind: 'failed'; reason: string; exit: WorkerExit | null; startup: boolean };

export interface UnitRunObserver {
  onStarted?(worker: WorkerProcess): void;
  onProgress?(progress: { filesDone: number; nodes: number; edges: number; filesParsed?: number }): void;
  onFileFailed?(path: string, reason: string): void;
  /** Every symbol the unit will commit, sent before it resolves and writes (see the `symbols` message). */
  onSymbols?(symbols: SymbolRecord[]): void;
  onLog?(level: string, msg: string, fields?: Record<string, unknown>): void;
  /** The worker cannot reach the graph target; it waits and retries the same batch itself. */
  onTargetUnavailable?(message: string): void;
  onTargetAvailable?(): void;
}

/** The pool's size and time limit, and how its workers are started. */
export interface WorkerPoolOptions extends Omit<WorkerSpawnOptions, 'id'> {
  size: number;
  /** A worker over this is killed and its unit fails (to be retried). */
  unitTimeoutMs: number;
}

export class WorkerPool {
  private running = new Set<WorkerProcess>();
  /** Started by `warmUp`, not yet given a unit. */
  private spares: StartedWorker[] = [];
  private waiting: (() => void)[] = [];
  private stopping = false;
  private paused: { promise: Promise<void>; release: () => void } | null = null;
  private sequence = 0;

  constructor(
    private readonly host: WorkerHost,
    private readonly options: WorkerPoolOptions,
  ) {}

  get size(): number {
    return this.options.size;
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** Runs one unit in a fresh worker once a slot is free. Never rejects: failures are results. */
  /**
   * `unit` may be a function, called only once a worker slot is free: the caller marks the
   * unit running then, not while it still waits in the queue.
   */
  async run(unit: UnitAssignment | (() => UnitAssignment), observer: UnitRunObserver = {}): Promise<UnitRunResult> {
    await this.slot();
    // While the graph target is down no new unit starts (its worker would only wait too).
    while (this.paused && !this.stopping) await this.paused.promise;
    if (this.stopping) {
      this.release();
      return { kind: 'stopped' };
    }
    try {
      // From here the slot is freed when the worker process has exited, which may be after its
      // unit's result: a worker that said `done` has committed its writes and only exits.
      return this.runInWorker(typeof unit === 'function' ? unit() : unit, observer);
    } catch (error) {
      this.release();
      throw error;
    }
  }

  /**
   * Starts the pool's workers ahead of their units, so that they load Node, the code and the
   * grammars (~0.15-0.2 s each) while the coordinator scans and plans on its own core. Spares not
   * given a unit are ended by `dispose`.
   */
  warmUp(): void {
    while (!this.stopping && this.spares.length + this.reserved < this.options.size) this.spares.push(this.startWorker());
  }

  /** Ends the spares no unit took. */
  dispose(): void {
    for (const spare of this.spares.splice(0)) spare.worker.kill();
  }

  /** Holds units that have not started yet until `resume`; running workers go on. */
  pause(): void {
    if (this.paused) return;
    let release!: () => void;
    const promise = new Promise<void>((done) => (release = done));
    this.paused = { promise, release };
  }

  resume(): void {
    const paused = this.paused;
    this.paused = null;
    paused?.release();
  }

  get isPaused(): boolean {
    return this.paused !== null;
  }

  /** Asks every worker to stop after its current batch; units not started are not started. */
  stop(): void {
    this.stopping = true;
    this.resume();
    this.dispose();
    for (const worker of this.running) worker.send({ type: 'stop' });
    for (const wake of this.waiting.splice(0)) wake();
  }

  /** Ends every worker now. */
  kill(): void {
    this.stopping = true;
    this.resume();
    this.dispose();
    for (const worker of this.running) worker.kill();
    for (const wake of this.waiting.splice(0)) wake();
  }

  private slot(): Promise<void> {
    if (this.reserved < this.options.size) {
      this.reserved++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.reserved++;
        resolve();
      }),
    );
  }

  private reserved = 0;

  private release(): void {
    this.reserved--;
    this.waiting.shift()?.();
  }

  private startWorker(): StartedWorker {
    const id = `w${++this.sequence}`;
    const { size: _size, unitTimeoutMs: _unitTimeoutMs, ...spawnOptions } = this.options;
    return new StartedWorker(this.host.spawn({ id, ...spawnOptions }));
  }

  private runInWorker(unit: UnitAssignment, observer: UnitRunObserver): Promise<UnitRunResult> {
    const started = this.spares.shift() ?? this.startWorker();
    const worker = started.worker;
    const id = worker.id;
    this.running.add(worker);
    observer.onStarted?.(worker);
    return new Promise<UnitRunResult>((resolve) => {
      let ready = false;
      let outcome: UnitRunResult | null = null;
      let lastError: string | null = null;
      const timer = setTimeout(() => {
        lastError = `the unit took longer than ${Math.round(this.options.unitTimeoutMs / 1000)} s and its worker was stopped`;
        worker.kill();
      }, this.options.unitTimeoutMs);
      timer.unref();

      const onMessage = (raw: unknown): void => {
        let message: WorkerMessage;
        try {
          message = parseWorkerMessage(raw);
        } catch (error) {
          lastError = (error as Error).message;
          observer.onLog?.('error', lastError, { worker: id });
          return;
        }
        switch (message.type) {
          case 'ready':
            ready = true;
            if (this.stopping) worker.send({ type: 'stop' });
            else worker.send({ type: 'start', unit });
            break;
          case 'progress':
            observer.onProgress?.(message);
            break;
          case 'fileFailed':
            observer.onFileFailed?.(message.path, message.reason);
            break;
          case 'symbols':
            if (!observer.onSymbols) break;
            try {
              observer.onSymbols(decodeSymbols(message));
            } catch (error) {
              lastError = (error as Error).message;
              observer.onLog?.('error', lastError, { worker: id });
            }
            break;
          case 'done':
            // Its writes are committed: the unit is done now, not when the process has gone
            // (tearing down a worker takes ~20 ms, and the last unit's ends the parse).
            outcome = { kind: 'done', stats: message.stats };
            clearTimeout(timer);
            setTimeout(() => worker.kill(), EXIT_GRACE_MS).unref();
            resolve(outcome);
            break;
          case 'error':
            lastError = message.message;
            break;
          case 'targetUnavailable':
            observer.onTargetUnavailable?.(message.message);
            break;
          case 'targetAvailable':
            observer.onTargetAvailable?.();
            break;
          case 'log':
            observer.onLog?.(message.level, message.msg, { ...message.fields, worker: id });
            break;
        }
      };

      const onExit = (exit: WorkerExit): void => {
        clearTimeout(timer);
        this.running.delete(worker);
        this.release();
        if (outcome) return resolve(outcome);
        if (this.stopping && exit.code === 0 && lastError === null) return resolve({ kind: 'stopped' });
        const how =
          exit.reason === 'oom'
            ? 'ran out of memory'
            : exit.signal
              ? `was ended by ${exit.signal}`
              : `exited with code ${exit.code ?? 'unknown'}`;
        const reason = lastError ? `${lastError} (the worker ${how})` : `the worker ${how}`;
        // Killed before it was ready (by us, a user or the OS) says nothing about whether workers can start.
        resolve({ kind: 'failed', reason, exit, startup: !ready && exit.reason !== 'killed' });
      };
      started.bind(onMessage, onExit);
    });
  }
}
