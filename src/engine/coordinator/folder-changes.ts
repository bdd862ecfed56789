// Resume against a folder that moved on: files whose size or mtime differ from the plan are
// parsed again rather than mixing old and new code in one graph. Their old nodes are deleted
// from the target first (a removed definition must not survive), and the files whose edges
// pointed into them are parsed again for their references, since deleting cut those edges.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { GraphTarget } from '../../storage/graph-target.js';
import { FILE_DELETED_REASON, type StateStore } from '../../storage/state-store.js';

export interface FolderChanges {
  /** Files parsed (or failed) in the interrupted run that changed since: set back to pending. */
  reopened: string[];
  /** Planned files that are gone from the folder (their pending state is marked failed). */
  missing: string[];
  /** Unchanged completed files parsed again for their references into changed or deleted files. */
  referencing: string[];
  /** True when git HEAD (or the dirty flag) differs from the session's snapshot. */
  headMoved: boolean;
}

/** Files looked at between turns of the event loop (the looks are synchronous). */
const STATS_PER_TURN = 2000;

export async function reopenChangedFiles(
  state: StateStore,
  sessionId: string,
  root: string,
  snapshotNow: string | null,
  graph?: { target: GraphTarget; projectId: string },
): Promise<FolderChanges> {
  const session = state.session(sessionId);
  const changes: FolderChanges = { reopened: [], missing: [], referencing: [], headMoved: session !== undefined && session.snapshot !== snapshotNow };
  const reopen: { id: number; size: number; mtimeMs: number }[] = [];
  // Missing files that may have nodes in the target: completed ones, and pending ones too (a
  // unit writes all its definitions before its first batch of files is marked completed).
  const gone: { unitId: number; path: string; status: 'pending' | 'completed' }[] = [];
  const changedPending: { id: number; path: string; size: number; mtimeMs: number }[] = [];
  // One synchronous stat per file: an awaited one costs a thread-pool round trip each (OpenJDK's
  // 15,143 files: 1.5 s before a resume could start; synchronously ~0.1 s).
  const planned = state.plannedFiles(sessionId);
  for (const [i, file] of planned.entries()) {
    if (i > 0 && i % STATS_PER_TURN === 0) await nextTurn();
    let info;
    try {
      info = statSync(join(root, file.path), { throwIfNoEntry: false });
    } catch {
      info = undefined;
    }
    if (!info) {
      changes.missing.push(file.path);
      if (file.status === 'pending' || file.status === 'completed') gone.push({ unitId: file.unitId, path: file.path, status: file.status });
      continue;
    }
    if (info.size === file.size && Math.abs(info.mtimeMs - file.mtimeMs) <= 1) continue;
    if (file.status === 'pending') {
      // To be parsed anyway, but definitions written before the interruption that the file no
      // longer has must go: it counts as stale for the target, and is parsed with its new facts.
      changedPending.push({ id: file.id, path: file.path, size: info.size, mtimeMs: info.mtimeMs });
    } else {
      reopen.push({ id: file.id, size: info.size, mtimeMs: info.mtimeMs });
      changes.reopened.push(file.path);
    }
  }
  const unrecorded = [...changedPending.map((file) => file.path), ...gone.filter((file) => file.status === 'pending').map((file) => file.path)];
  const stale = [...changes.reopened, ...gone.map((file) => file.path), ...changedPending.map((file) => file.path)];
  if (graph && stale.length > 0) {
    // The target first: if it fails, the state still says these files are done (or pending) and
    // unchanged on record, so the next resume detects them again.
    const staleSet = new Set(stale);
    // Parsed again for their references: files with edges into the stale ones (deleting those
    // cuts the edges), and files whose references still waiting to be linked were decided
    // against the stale files as they were.
    const referencing = new Set([...(await filesReferencing(state, graph, stale, unrecorded)), ...state.filesWithOpenReferencesInto(sessionId, stale)]);
    changes.referencing = [...referencing].filter((path) => !staleSet.has(path)).sort();
    await graph.target.deleteFiles(graph.projectId, stale);
    state.deleteSymbolsOfFiles(graph.projectId, stale);
    // Whatever these files left waiting is derived again when they are parsed.
    state.dropOpenReferencesOf(sessionId, [...stale, ...changes.referencing]);
    state.markFilesForReferences(sessionId, changes.referencing);
  }
  for (const file of gone) state.markFileFailed(file.unitId, file.path, FILE_DELETED_REASON);
  for (const file of [...reopen, ...changedPending]) state.updateFileFacts(file.id, file.size, file.mtimeMs);
  if (reopen.length > 0) state.reopenFiles(reopen.map((file) => file.id));
  return changes;
}

/**
 * Unchanged files with an edge into one of `paths` (one pass over the project's edges).
 * `unrecorded` of them have no symbols in the state (never completed): their nodes, if any,
 * are looked up in the target.
 */
async function filesReferencing(
  state: StateStore,
  graph: { target: GraphTarget; projectId: string },
  paths: readonly string[],
  unrecorded: readonly string[],
): Promise<string[]> {
  const changedIds = new Set(state.symbolsOfFiles(graph.projectId, paths).map((symbol) => symbol.nodeId));
  if (unrecorded.length > 0) {
    const files = new Set(unrecorded);
    for await (const node of graph.target.readNodes(graph.projectId)) if (files.has(node.file_path)) changedIds.add(node.node_id);
  }
  if (changedIds.size === 0) return [];
  const sources = new Set<string>();
  for await (const edge of graph.target.readEdges(graph.projectId)) {
    if (changedIds.has(edge.target) && !changedIds.has(edge.source)) sources.add(edge.source);
  }
  const changed = new Set(paths);
  return [...state.filePathsOfNodes(graph.projectId, sources)].filter((path) => !changed.has(path)).sort();
}
