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
}

export interface WorkerHost {
  spawn(options: WorkerSpawnOptions): WorkerProcess;
}
