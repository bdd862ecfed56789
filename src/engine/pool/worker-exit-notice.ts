// A worker's exit, told once to every listener, including those that subscribe after it.
// Shared by the child_process and utilityProcess hosts.
import type { WorkerExit } from './worker-host.js';

export class WorkerExitNotice {
  private exit: WorkerExit | undefined;
  private listeners: ((exit: WorkerExit) => void)[] = [];

  get settled(): boolean {
    return this.exit !== undefined;
  }

  /** Records the exit (the first call wins) and tells the listeners. */
  settle(exit: WorkerExit): void {
    if (this.exit) return;
    this.exit = exit;
    for (const listener of this.listeners.splice(0)) listener(exit);
  }

  onExit(listener: (exit: WorkerExit) => void): void {
    const exit = this.exit;
    if (exit) queueMicrotask(() => listener(exit));
    else this.listeners.push(listener);
  }
}
