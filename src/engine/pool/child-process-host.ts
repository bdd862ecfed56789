// WorkerHost for plain Node (CLI, browser host, tests): one forked Node process per worker.
// stderr is piped through so an abort can be told apart from a V8 heap OOM.
import { fork, type ChildProcess } from 'node:child_process';
import type { CoordinatorMessage } from '../../shared/worker-protocol.js';
import { WorkerExitNotice } from './worker-exit-notice.js';
import { workerProcessEnv, workerV8Flags, type WorkerExitReason, type WorkerHost, type WorkerProcess, type WorkerSpawnOptions } from './worker-host.js';

export interface ChildProcessHostOptions {
  /** The worker's entry script; a `.ts` entry runs through tsx (tests, dev). */
  entry: string;
  execArgv?: string[];
}

const STDERR_TAIL_CHARS = 4096;
const OOM_PATTERN = /heap out of memory|Reached heap limit|Allocation failed - process out of memory|FatalProcessOutOfMemory/i;

export function createChildProcessHost(options: ChildProcessHostOptions): WorkerHost {
  const baseExecArgv = [...(options.execArgv ?? [])];
  if (options.entry.endsWith('.ts')) baseExecArgv.push('--import', 'tsx');

  return {
    spawn(spawnOptions: WorkerSpawnOptions): WorkerProcess {
      const execArgv = [...baseExecArgv, ...workerV8Flags(spawnOptions)];
      const child = fork(options.entry, [], {
        serialization: 'advanced',
        execArgv,
        env: workerProcessEnv(spawnOptions),
        stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      });
      return wrapChild(spawnOptions.id, child);
    },
  };
}

function wrapChild(id: string, child: ChildProcess): WorkerProcess {
  let killedByUs = false;
  let stderrTail = '';
  const exit = new WorkerExitNotice();

  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
  });

  const finish = (code: number | null, signal: string | null): void => {
    if (exit.settled) return;
    exit.settle({ code, signal, reason: exitReason(code, signal, killedByUs, stderrTail) });
  };

  // 'close' comes after stderr is drained, so the OOM message is already in the tail.
  child.on('close', (code, signal) => finish(code, signal));
  child.on('error', (error) => {
    // A failed spawn emits 'error' and may never emit 'close'.
    if (child.pid === undefined) {
      process.stderr.write(`[worker ${id}] could not start: ${error.message}\n`);
      finish(null, null);
    }
  });

  return {
    id,
    get pid() {
      return child.pid;
    },
    send(message: CoordinatorMessage) {
      // After the channel closes the exit listener reports what happened; a send is moot.
      if (!child.connected) return;
      child.send(message, (error) => {
        if (error && child.connected) process.stderr.write(`[worker ${id}] send failed: ${error.message}\n`);
      });
    },
    onMessage(listener) {
      child.on('message', (message: unknown) => listener(message));
    },
    onExit(listener) {
      exit.onExit(listener);
    },
    kill() {
      if (exit.settled) return;
      killedByUs = true;
      child.kill('SIGKILL');
    },
  };
}

export function exitReason(code: number | null, signal: string | null, killedByUs: boolean, stderrTail: string): WorkerExitReason {
  if (killedByUs || signal === 'SIGKILL' || signal === 'SIGTERM') return 'killed';
  if (code === 0 && signal === null) return 'exited';
  // V8 aborts (SIGABRT, or exit code 134 through a shell) after printing its OOM message.
  return OOM_PATTERN.test(stderrTail) ? 'oom' : 'crashed';
}
