// Cross-unit resolution (DESIGN.md step 5): deferred references are resolved against the
// SQLite symbol table in batches (one lookup per batch, never one per reference) and their
// edges written by this single writer.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DeferredReference, SymbolRecord } from '../../shared/resolution.js';
import type { GraphTarget } from '../../storage/graph-target.js';
import type { StateStore } from '../../storage/state-store.js';
import { namesNeeded, resolveDeferred, type SymbolIndex } from '../resolution/cross-unit-resolver.js';
import { SymbolNameCache } from './symbol-name-cache.js';

export interface LinkCounts {
  resolved: number;
  ambiguous: number;
  unresolved: number;
  external: number;
  edges: number;
}

const BATCH = 5000;
/**
 * Batches of a pass made while a unit still runs: such a pass ends at a batch's end once the
 * last unit has finished (the final pass reads what it leaves), within milliseconds.
 */
export const EARLY_BATCH = 1000;

export async function linkDeferredReferences(input: {
  state: StateStore;
  target: GraphTarget;
  sessionId: string;
  projectId: string;
  phase: 'as-units-finish' | 'final';
  /** Only the references these units deferred (all of the session's when absent). */
  unitIds?: readonly number[];
  shouldStop?: () => boolean;
  /** Wraps each target write (the coordinator waits out a target outage there). */
  guard?: <T>(op: () => Promise<T>) => Promise<T>;
  /** After each batch: how many references this pass has read so far. */
  onBatch?: (referencesRead: number) => void;
}): Promise<LinkCounts> {
  const { state, target, sessionId, projectId, phase } = input;
  const counts: LinkCounts = { resolved: 0, ambiguous: 0, unresolved: 0, external: 0, edges: 0 };
  // In the final pass no one adds symbols any more, so what one batch fetched stays true for the next.
  const cache = phase === 'final' ? new SymbolNameCache((names) => state.symbolsByNames(projectId, names)) : null;
  // Name-only fallback runs in the final pass only, whose symbols no longer change: one memo for all its batches.
  const namedTargets = new Map<string, SymbolRecord[]>();
  const symbolsFor = (names: Set<string>): SymbolIndex => {
    if (cache) return cache.lookup(names);
    const symbols = state.symbolsByNames(projectId, names);
    return { byName: (name) => symbols.get(name) ?? [] };
  };
  // Before the end, the package folders none of whose planned files is still to be parsed.
  const finishedPackages = phase === 'as-units-finish' ? state.finishedPackages(sessionId) : null;
  const packageFinished = (key: string): boolean => finishedPackages?.has(key) ?? true;
  let afterId = 0;
  let read = 0;
  for (;;) {
    if (input.shouldStop?.()) break;
    const rows = state.openDeferred(sessionId, afterId, phase === 'final' ? BATCH : EARLY_BATCH, input.unitIds);
    if (rows.length === 0) break;
    afterId = rows[rows.length - 1]!.id;
    const refs: DeferredReference[] = rows.map((row) => row.ref);
    const result = resolveDeferred(refs, symbolsFor(namesNeeded(refs)), phase, projectId, packageFinished, namedTargets);
    // Edges first, then the bookkeeping: a crash in between redoes the batch, and MERGE makes that harmless.
    const write = (): Promise<void> => target.writeEdges(result.edges);
    await (input.guard ? input.guard(write) : write());
    // The final pass settles every reference it reads, in id order: its progress is one number.
    if (phase === 'final' && !input.unitIds && result.settled.every(Boolean)) state.settleDeferredThrough(sessionId, afterId);
    else state.settleDeferred(rows.filter((_, i) => result.settled[i]).map((row) => row.id));
    counts.resolved += result.counts.resolved;
    counts.ambiguous += result.counts.ambiguous;
    counts.unresolved += result.counts.unresolved;
    counts.external += result.counts.external;
    counts.edges += result.edges.length;
    read += rows.length;
    input.onBatch?.(read);
    // Between batches, let the event loop turn: the embedded store writes synchronously, so a
    // pass would otherwise hold the coordinator for its whole length (OpenJDK's final pass:
    // 7 s) with no worker message, progress event, unit start or cancel handled meanwhile.
    await nextTurn();
  }
  return counts;
}
