// WorkerHost for the app: each worker is an Electron utilityProcess. Electron reports why a
// process died on app's 'child-process-gone' (by service name), separately from 'exit'.
import { app, utilityProcess, type Details, type UtilityProcess } from 'electron';
import type { CoordinatorMessage } from '../shared/worker-protocol.js';
import { workerProcessEnv, workerV8Flags, type WorkerHost, type WorkerProcess, type WorkerSpawnOptions } from '../engine/pool/worker-host.js';
import { WorkerExitNotice } from '../engine/pool/worker-exit-notice.js';
import { utilityExitReason } from './utility-exit-reason.js';

export interface UtilityProcessHostOptions {
  /** The built worker entry (electron-vite `?modulePath` import). */
  entry: string;
}

// 'exit' and 'child-process-gone' arrive in no fixed order; wait this long for the latter.
const GONE_GRACE_MS = 200;
const SERVICE_PREFIX = 'repograph-worker:';

export function createUtilityProcessHost(options: UtilityProcessHostOptions): WorkerHost {
  const goneReasons = new Map<string, Details['reason']>();
  const goneWaiters = new Map<string, () => void>();
  app.on('child-process-gone', (_event, details) => {
    if (details.type !== 'Utility' || !details.serviceName?.startsWith(SERVICE_PREFIX)) return;
    goneReasons.set(details.serviceName, details.reason);
    goneWaiters.get(details.serviceName)?.();
  });

  const waitForGone = (serviceName: string, code: number): Promise<Details['reason'] | undefined> => {
    if (goneReasons.has(serviceName) || code === 0) return Promise.resolve(takeGone(serviceName));
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        goneWaiters.delete(serviceName);
        resolve(takeGone(serviceName));
      };
      const timer = setTimeout(done, GONE_GRACE_MS);
      goneWaiters.set(serviceName, done);
    });
  };
  const takeGone = (serviceName: string): Details['reason'] | undefined => {
    const reason = goneReasons.get(serviceName);
    goneReasons.delete(serviceName);
    return reason;
  };

  return {
    spawn(spawn: WorkerSpawnOptions): WorkerProcess {
      const serviceName = `${SERVICE_PREFIX}${spawn.id}`;
      const child = utilityProcess.fork(options.entry, [], {
        serviceName,
        execArgv: workerV8Flags(spawn),
        env: workerProcessEnv(spawn),
        stdio: 'inherit',
      });
      return wrapUtilityProcess(spawn.id, child, (code) => waitForGone(serviceName, code));
    },
  };
}

function wrapUtilityProcess(
  id: string,
  child: UtilityProcess,
  goneReason: (code: number) => Promise<Details['reason'] | undefined>,
): WorkerProcess {
  let killedByUs = false;
  let fatalReport = '';
  const exit = new WorkerExitNotice();
  // postMessage before 'spawn' has nowhere to go; hold messages until the process is up.
  let outbox: CoordinatorMessage[] | undefined = [];

  child.once('spawn', () => {
    const pending = outbox ?? [];
    outbox = undefined;
    for (const message of pending) child.postMessage(message);
  });
  child.on('error', (_type, _location, report) => {
    fatalReport = report;
  });
  child.once('exit', (code) => {
    void goneReason(code).then((gone) => {
      exit.settle({ code, signal: null, reason: utilityExitReason(code, gone, killedByUs, fatalReport) });
    });
  });

  return {
    id,
    get pid() {
      return child.pid;
    },
    send(message) {
      if (exit.settled) return;
      if (outbox) outbox.push(message);
      else child.postMessage(message);
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
      child.kill();
    },
  };
}
