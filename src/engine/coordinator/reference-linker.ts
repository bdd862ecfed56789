// Cross-unit resolution (DESIGN.md step 5): deferred references are resolved against the
// SQLite symbol table in batches (one lookup per batch, never one per reference) and their
// edges written by this single writer.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { GraphEdge } from '../../shared/graph-model.js';
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
/**
 * Batches of a pass that holds its edges (see HeldLinks): small, as the last unit's `done`
 * waits for the batch under way (~15 ms for 1,000 of django's references) and nothing of the
 * batch is written before the final pass anyway.
 */
const HELD_BATCH = 250;

/**
 * What a pass made before the last units were done holds back: edges to write and references
 * to settle once they are (`writeHeldLinks`). See `ProgressiveLinker.everySymbolKnown`.
 */
export interface HeldLinks {
  edges: GraphEdge[];
  /** The references settled, by id; when that is every one read, the id order says it in one number. */
  ids: number[];
  allSettled: boolean;
  counts: Readonly<LinkCounts>;
  /** The last reference id read: a later run of the same pass goes on after it. */
  afterId: number;
  /** The pass stops holding more once it holds this many edges (the final pass does the rest). */
  maxEdges: number;
}

/**
 * Held edges live in the coordinator until the last unit is done: ~250 bytes each, so at most
 * ~25 MB of them. Go's held pass holds ~60k, OpenJDK's ~20k; on a repo where more references
 * are open by then (the Linux kernel's), the final pass streams the rest as it did before.
 */
export const MAX_HELD_EDGES = 100_000;

export const NO_LINKS: Readonly<LinkCounts> = { resolved: 0, ambiguous: 0, unresolved: 0, external: 0, edges: 0 };

export function addCounts(a: Readonly<LinkCounts>, b: Readonly<LinkCounts>): LinkCounts {
  return {
    resolved: a.resolved + b.resolved,
    ambiguous: a.ambiguous + b.ambiguous,
    unresolved: a.unresolved + b.unresolved,
    external: a.external + b.external,
    edges: a.edges + b.edges,
  };
}

export function emptyHeldLinks(maxEdges = MAX_HELD_EDGES): HeldLinks {
  return { edges: [], ids: [], allSettled: true, counts: NO_LINKS, afterId: 0, maxEdges };
}

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
  /**
   * Final passes only: where symbols are looked up (by default a new cache over the state
   * store's symbol table), so that a held pass and the final pass after it share one.
   */
  symbols?: SymbolNameCache;
  /** Final passes only: collect edges and settled ids here instead of writing and settling them. */
  hold?: HeldLinks;
}): Promise<LinkCounts> {
  const { state, target, sessionId, projectId, phase, hold } = input;
  let counts: LinkCounts = NO_LINKS;
  // In the final pass no one adds symbols any more, so what one batch fetched stays true for the next.
  const cache = phase === 'final' ? (input.symbols ?? new SymbolNameCache((names) => state.symbolsByNames(projectId, names))) : null;
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
  let afterId = hold?.afterId ?? 0;
  let read = 0;
  for (;;) {
    if (input.shouldStop?.() || (hold && hold.edges.length >= hold.maxEdges)) break;
    const rows = state.openDeferred(sessionId, afterId, hold ? HELD_BATCH : phase === 'final' ? BATCH : EARLY_BATCH, input.unitIds);
    if (rows.length === 0) break;
    afterId = rows[rows.length - 1]!.id;
    const refs: DeferredReference[] = rows.map((row) => row.ref);
    const result = resolveDeferred(refs, symbolsFor(namesNeeded(refs)), phase, projectId, packageFinished, namedTargets);
    const batchCounts = { ...result.counts, edges: result.edges.length };
    counts = addCounts(counts, batchCounts);
    if (hold) {
      hold.afterId = afterId;
      for (const edge of result.edges) hold.edges.push(edge);
      rows.forEach((row, i) => {
        if (result.settled[i]) hold.ids.push(row.id);
        else hold.allSettled = false;
      });
      hold.counts = addCounts(hold.counts, batchCounts);
      await nextTurn();
      continue;
    }
    // Edges first, then the bookkeeping: a crash in between redoes the batch, and MERGE makes that harmless.
    const write = (): Promise<void> => target.writeEdges(result.edges);
    await (input.guard ? input.guard(write) : write());
    // The final pass settles every reference it reads, in id order: its progress is one number.
    if (phase === 'final' && !input.unitIds && result.settled.every(Boolean)) state.settleDeferredThrough(sessionId, afterId);
    else state.settleDeferred(rows.filter((_, i) => result.settled[i]).map((row) => row.id));
    read += rows.length;
    input.onBatch?.(read);
    // Between batches, let the event loop turn: the embedded store writes synchronously, so a
    // pass would otherwise hold the coordinator for its whole length (OpenJDK's final pass:
    // 7 s) with no worker message, progress event, unit start or cancel handled meanwhile.
    await nextTurn();
  }
  return counts;
}

/**
 * Writes what a held pass collected, in batches, then settles its references: edges first, so
 * that a crash in between redoes them (MERGE makes that harmless), as in any pass.
 */
export async function writeHeldLinks(input: {
  state: StateStore;
  target: GraphTarget;
  sessionId: string;
  held: HeldLinks;
  guard?: <T>(op: () => Promise<T>) => Promise<T>;
}): Promise<void> {
  const { state, target, held } = input;
  for (let i = 0; i < held.edges.length; i += BATCH) {
    const batch = held.edges.slice(i, i + BATCH);
    const write = (): Promise<void> => target.writeEdges(batch);
    await (input.guard ? input.guard(write) : write());
    await nextTurn();
  }
  // The pass read every open reference of the session in id order, up to afterId.
  if (held.allSettled) state.settleDeferredThrough(input.sessionId, held.afterId);
  else state.settleDeferred(held.ids);
}
