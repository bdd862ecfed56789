// The worker's end of the coordinator link: process.parentPort in an Electron utilityProcess,
// process.send under child_process.fork. Everything else in the worker is host-agnostic.
import type { WorkerMessage } from '../shared/worker-protocol.js';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface WorkerChannel {
  send(message: WorkerMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Resolves once queued messages have left the process (so exiting cannot drop them). */
  flush(): Promise<void>;
}

export function connectToCoordinator(): WorkerChannel {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      flush: () => new Promise((resolve) => setImmediate(resolve)),
    };
  }
  if (!process.send) throw new Error('the Repograph worker must be started by the coordinator (no IPC channel)');
  let pending = Promise.resolve();
  return {
    send: (message) => {
      pending = pending.then(
        () =>
          new Promise<void>((resolve) => {
            process.send!(message, undefined, undefined, () => resolve());
          }),
      );
    },
    onMessage: (listener) => process.on('message', listener),
    flush: () => pending,
  };
}
