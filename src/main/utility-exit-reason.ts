// Why a utility process ended, from its exit code and Electron's 'child-process-gone' reason.
// Free of electron imports so it is tested under plain Node.
import type { WorkerExitReason } from '../engine/pool/worker-host.js';

/** Electron's `Details['reason']` for a gone child process. */
export type GoneReason =
  | 'clean-exit'
  | 'abnormal-exit'
  | 'killed'
  | 'crashed'
  | 'oom'
  | 'launch-failed'
  | 'integrity-failure'
  | 'memory-eviction';

export function utilityExitReason(
  code: number,
  gone: GoneReason | undefined,
  killedByUs: boolean,
  fatalReport: string,
): WorkerExitReason {
  if (killedByUs || gone === 'killed') return 'killed';
  if (gone === 'oom' || /heap out of memory|Reached heap limit/i.test(fatalReport)) return 'oom';
  if (gone === undefined || gone === 'clean-exit') return code === 0 ? 'exited' : 'crashed';
  return 'crashed';
}
