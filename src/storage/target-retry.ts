// Waiting out a graph target that stopped answering: shared by the workers and the
// coordinator, which both retry the same call with backoff until the target is back.

/** The target's server cannot be reached (as opposed to an error a retry cannot fix). */
export function isTargetUnreachable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'NEO4J_UNREACHABLE';
}

/** Waits `ms` in short steps; resolves true as soon as `stop()` is, false if the time passed. */
export async function waitUnless(ms: number, stop: () => boolean): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (stop()) return true;
    await new Promise((done) => setTimeout(done, Math.min(100, until - Date.now())));
  }
  return stop();
}
