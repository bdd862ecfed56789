// How the engine starts worker processes without knowing what runs them: the Electron app
// passes a utilityProcess-backed host, the CLI, the browser host and the tests pass a
// child_process-backed one. The worker code is the same in both.
import type { CoordinatorMessage } from '../../shared/worker-protocol.js';

export type WorkerExitReason = 'exited' | 'crashed' | 'killed' | 'oom';

export interface WorkerExit {
  code: number | null;
  signal: string | null;
  reason: WorkerExitReason;
}

export interface WorkerProcess {
  /** Correlation id, in every log line about this worker. */
  readonly id: string;
  readonly pid: number | undefined;
  send(message: CoordinatorMessage): void;
  /** Raw messages; the pool validates them against the worker protocol. */
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, however the process ended. */
  onExit(listener: (exit: WorkerExit) => void): void;
  /** Ends the process now (SIGKILL or the host's equivalent). */
  kill(): void;
}

export interface WorkerSpawnOptions {
  id: string;
  /** Extra environment for the worker (never secrets: those travel in the start message). */
  env?: Record<string, string>;
  /** V8 old-space cap in MiB, so one runaway unit cannot take the machine. */
  maxOldSpaceMb?: number;
  /**
   * V8's young generation from the start, in MiB per semi-space. V8 starts it at 1 MiB and
   * doubles it up to its 16 MiB cap, scavenging all the way; a worker keeps its whole unit's
   * extractions alive, so every early scavenge copies them. Starting at 16: on django, 56 -> 32
   * scavenges and a third less time in them, peak RSS unchanged (the cap is the same).
   */
  minSemiSpaceMb?: number;
  /**
   * False: TurboFan inlines no function into another (`--no-turbo-inlining`). A worker lives for
   * one unit, seconds long, and a large share of its CPU went to compiling its hot functions
   * with their callees inlined: on a background thread, but on cores the other workers need.
   * Without inlining each compile is cheap and the code a little slower. Measured with 2 workers
   * in alternating runs against the floor: django's wall 0.89-0.99 of that with inlining (five
   * sets of 6-8 pairs), CPU ~7.8 -> ~7.4 s in most; Go's source 0.79 and 0.89 (two sets of 3
   * pairs), CPU ~49 -> ~41 s and ~59 -> ~56 s. Smaller inlining budgets and a larger interrupt
   * budget gained less.
   */
  turboInlining?: boolean;
  /**
   * Whether the worker may open TLS connections (to a Neo4j target). When false it starts
   * without NODE_EXTRA_CA_CERTS: Node reads and parses that certificate bundle at every process
   * start (~80 ms with Debian's bundle on these machines), wasted on a worker whose store is a
   * local file. Unset: the environment is passed on as it is.
   */
  tls?: boolean;
}

/** Extra trusted certificates Node loads at start-up, whether or not the process uses TLS. */
const EXTRA_CA_CERTS = 'NODE_EXTRA_CA_CERTS';

/** The environment a worker process starts with, whichever host starts it. */
export function workerProcessEnv(options: WorkerSpawnOptions, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = { ...base, ...options.env };
  if (options.tls === false) delete env[EXTRA_CA_CERTS];
  return env;
}

/** The V8 flags a worker process starts with, whichever host starts it. */
export function workerV8Flags(options: WorkerSpawnOptions): string[] {
  const flags: string[] = [];
  if (options.maxOldSpaceMb !== undefined) flags.push(`--max-old-space-size=${options.maxOldSpaceMb}`);
  if (options.minSemiSpaceMb !== undefined) flags.push(`--min-semi-space-size=${options.minSemiSpaceMb}`);
  if (options.turboInlining === false) flags.push('--no-turbo-inlining');
  return flags;
}

export interface WorkerHost {
  spawn(options: WorkerSpawnOptions): WorkerProcess;
}
