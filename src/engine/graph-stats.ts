// The numbers a user sees after a run: from the graph target (the truth) and the state store.
import type { GraphStats } from '../shared/session.js';
import type { GraphTarget } from '../storage/graph-target.js';
import type { StateStore } from '../storage/state-store.js';

export async function collectGraphStats(state: StateStore, target: GraphTarget, projectId: string): Promise<GraphStats> {
  const session = state.latestSession(projectId);
  const targetStats = await target.stats(projectId);
  const files = session ? state.fileCounts(session.id) : { parsed: 0, skipped: 0, failed: 0, pending: 0 };
  const summary = session ? state.summary(session) : null;
  return {
    projectId,
    ...targetStats,
    files: { parsed: files.parsed, skipped: files.skipped, failed: files.failed },
    skipped: session ? state.filesWithStatus(session.id, 'skipped') : [],
    failed: session ? state.filesWithStatus(session.id, 'failed') : [],
    unresolvedReferences: summary?.counters.refsUnresolved ?? 0,
    externalReferences: summary?.counters.refsExternal ?? 0,
  };
}
