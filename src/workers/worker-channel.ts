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
  // Sent at once (Node keeps a channel's messages in order): a message sent from synchronous
  // work, such as the unit's symbols before it resolves, leaves now, not when that work ends.
  let inFlight = 0;
  const drained: (() => void)[] = [];
  return {
    send: (message) => {
      inFlight++;
      process.send!(message, undefined, undefined, () => {
        if (--inFlight === 0) for (const resolve of drained.splice(0)) resolve();
      });
    },
    onMessage: (listener) => process.on('message', listener),
    flush: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => drained.push(resolve))),
  };
}
