// Parses one work unit: extract every pending file, write its definitions, then resolve and
// write the rest of the graph batch by batch, each batch followed by one state transaction
// that marks its files completed.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { GraphEdge, Language } from '../shared/graph-model.js';
import type { DeferredReference, SymbolRecord } from '../shared/resolution.js';
import { encodeSymbols, TARGET_RETRY_FIRST_MS, TARGET_RETRY_MAX_MS, type FileAssignment, type UnitAssignment, type UnitStats, type WorkerMessage } from '../shared/worker-protocol.js';
import type { GraphTarget } from '../storage/graph-target.js';
import { createGraphTarget } from '../storage/open-target.js';
import { isTargetUnreachable, waitUnless } from '../storage/target-retry.js';
import { StateStore } from '../storage/state-store.js';
import type { Extractor, FileExtraction, SourceFile } from './extraction/extractor.js';
import { createExtractionReader, TYPES_FOLLOWED_INTO_FILES } from './resolution/extraction-reader.js';
import { definitionNodesInOrder, prepareUnit, resolveUnitFiles, type FileGraph } from './resolution/unit-resolver.js';

export interface UnitRunContext {
  extractor: Extractor;
  send(message: WorkerMessage): void;
  /** Resolves once the messages sent so far have left the process. */
  flush(): Promise<void>;
  /** True once the coordinator asked this worker to stop: finish the current batch, then return. */
  stopRequested(): boolean;
  /**
   * Every write of the unit is committed: say so now. The worker then copies its write-ahead
   * log pages into the databases while the coordinator goes on (see `checkpoint`).
   */
  committed(stats: UnitStats): Promise<void>;
}

export type UnitOutcome = { kind: 'done'; stats: UnitStats } | { kind: 'stopped' };

export async function runUnit(unit: UnitAssignment, context: UnitRunContext): Promise<UnitOutcome> {
  const state = new StateStore(unit.stateDbPath);
  const raw = createGraphTarget(unit.target, unit.options.batchSize);
  const guard = createTargetGuard(unit, context);
  // Every graph write waits out an outage of the target and retries itself; files are marked
  // completed only after their writes, so a stop while waiting leaves them pending.
  const target: GraphTarget = {
    kind: raw.kind,
    description: raw.description,
    open: () => guard(() => raw.open()),
    writeNodes: (nodes) => guard(() => raw.writeNodes(nodes)),
    writeEdges: (edges) => guard(() => raw.writeEdges(edges)),
    commitFiles: (fileNodes, edges) => guard(() => raw.commitFiles(fileNodes, edges)),
    completedFilePaths: (repoId) => guard(() => raw.completedFilePaths(repoId)),
    readSymbols: (repoId) => guard(() => raw.readSymbols(repoId)),
    deleteFiles: (repoId, paths) => guard(() => raw.deleteFiles(repoId, paths)),
    deleteProject: (repoId) => guard(() => raw.deleteProject(repoId)),
    stats: (repoId) => guard(() => raw.stats(repoId)),
    totals: (repoId) => guard(() => raw.totals(repoId)),
    readNodes: (repoId) => raw.readNodes(repoId),
    readEdges: (repoId) => raw.readEdges(repoId),
    close: () => raw.close(),
  };
  // Connecting (to Neo4j: a handshake and a schema check, ~100 ms of waiting on the server)
  // goes on while the files are parsed; the first write waits for it.
  const opened = target.open();
  // Awaited before the first write; a failure before then must not count as unhandled.
  opened.catch(() => undefined);
  try {
    const outcome = await parseAndWrite(unit, context, state, target, opened);
    if (outcome.kind === 'done') {
      await context.committed(outcome.stats);
      checkpoint(state, raw);
    }
    return outcome;
  } catch (error) {
    if (error instanceof StoppedWhileWaiting) return { kind: 'stopped' };
    throw error;
  } finally {
    // Not waiting for `opened`: a unit that fails while the target is down must not wait for it.
    // A connection still being made then dies with this process, which exits after its unit.
    await target.close().catch(() => undefined);
    state.close();
  }
}

async function parseAndWrite(
  unit: UnitAssignment,
  context: UnitRunContext,
  state: StateStore,
  target: GraphTarget,
  opened: Promise<void>,
): Promise<UnitOutcome> {
  const stats: UnitStats = { filesDone: 0, filesFailed: 0, nodes: 0, edges: 0, refsLocal: 0, refsDeferred: 0, parseMs: 0, writeMs: 0 };

  const parseStart = performance.now();
  const repoFiles = new Map(state.existingFiles(unit.sessionId).map((file) => [file.path, file.language]));
  await context.extractor.load(grammarsNeeded(unit.files, repoFiles));
  const extractions: FileExtraction[] = [];
  const fileIds = new Map<string, number>();
  const report = (filesParsed: number): void =>
    context.send({ type: 'progress', filesDone: stats.filesDone, nodes: stats.nodes, edges: stats.edges, filesParsed });
  let reportedAt = parseStart;
  for (const [i, file] of unit.files.entries()) {
    const now = performance.now();
    if (now - reportedAt >= unit.options.progressIntervalMs) {
      // Nothing is written before every file is parsed: say how far parsing is.
      reportedAt = now;
      report(i);
      // Reads and parses are synchronous: let that message out, and a stop in.
      await nextTurn();
    }
    // Noted before parsing, so that if this file kills the process the coordinator knows the suspect.
    state.noteCurrentFile(unit.unitId, file.path);
    if (unit.options.abortOnFile && file.path === unit.options.abortOnFile) process.abort();
    const result = extractFile(unit.root, file, context.extractor);
    if ('failure' in result) {
      state.markFileFailed(unit.unitId, file.path, result.failure);
      context.send({ type: 'fileFailed', path: file.path, reason: result.failure });
      stats.filesFailed++;
      continue;
    }
    extractions.push(result.extraction);
    fileIds.set(file.path, file.id);
  }

  state.noteCurrentFile(unit.unitId, null);

  // Files parsed again only for their references (bootstrap) are in `extractions` already.
  const assigned = new Set(unit.files.map((file) => file.path));
  const knownSymbols = state.symbolsOfFiles(
    unit.repoId,
    state.completedFilePathsOfUnit(unit.unitId).filter((path) => !assigned.has(path)),
  );
  // Every symbol the unit will commit: with them the coordinator can resolve what other units
  // left open while this one resolves and writes. Awaited, as the synchronous resolution below
  // would keep what the pipe cannot take at once (most of the message) in until the writes.
  const prepared = prepareUnit(unit.repoId, extractions);
  context.send(encodeSymbols(prepared.symbols));
  await context.flush();
  const graphs = resolveUnitFiles({
    repoId: unit.repoId,
    extractions,
    knownSymbols,
    fileExists: (path) => repoFiles.has(path),
    // Read only where it is used: it looks for a go.mod in every folder up to the file system's root.
    goModulePath: extractions.some((extraction) => extraction.language === 'go') ? await readGoModulePath(unit.root) : null,
    pythonRootPackage: repoFiles.has('__init__.py') ? pythonPackageName(unit.root) : null,
    // TS/JS types declared in other files are followed by reading those files, never from
    // this unit's own set, so the answer does not depend on unit boundaries.
    extractionOf: createExtractionReader({ root: unit.root, extractor: context.extractor, languageOf: (path) => repoFiles.get(path) ?? null }),
  }, prepared);
  stats.parseMs = performance.now() - parseStart;

  // Every definition first, so that edges inside the unit always find both ends.
  await opened;
  const writeStart = performance.now();
  await target.writeNodes(definitionNodesInOrder(extractions, prepared));
  stats.writeMs += performance.now() - writeStart;

  // Files are resolved batch by batch between the writes (resolution counts as parsing time):
  // each write transaction then holds the databases' lock for a moment between stretches of
  // resolution, so another worker writing meanwhile waits less than behind a whole unit's writes.
  let resolveStart = performance.now();
  for (const batch of fileBatches(graphs, unit.options.batchSize)) {
    stats.parseMs += performance.now() - resolveStart;
    if (context.stopRequested()) return { kind: 'stopped' };
    const batchStart = performance.now();
    const edgesFromDefinitions: GraphEdge[] = batch.flatMap((graph) => graph.edgesFromDefinitions);
    const edgesFromFiles: GraphEdge[] = batch.flatMap((graph) => graph.edgesFromFile);
    await target.writeEdges(edgesFromDefinitions);
    await target.commitFiles(
      batch.map((graph) => graph.fileNode),
      edgesFromFiles,
    );
    const symbols: SymbolRecord[] = batch.flatMap((graph) => graph.symbols);
    const deferred: DeferredReference[] = batch.flatMap((graph) => graph.deferred);
    const nodes = batch.reduce((sum, graph) => sum + graph.definitions.length + 1, 0);
    const edges = edgesFromDefinitions.length + edgesFromFiles.length;
    const refsLocal = batch.reduce((sum, graph) => sum + graph.refsLocal, 0);
    const refsExternal = batch.reduce((sum, graph) => sum + graph.refsExternal, 0);
    const writeMs = performance.now() - batchStart;
    state.commitFileBatch({
      sessionId: unit.sessionId,
      projectId: unit.repoId,
      unitId: unit.unitId,
      fileIds: batch.map((graph) => fileIds.get(graph.fileNode.file_path)!),
      symbols,
      deferred,
      nodes,
      edges,
      refsLocal,
      refsExternal,
      parseMs: 0,
      writeMs,
    });
    stats.filesDone += batch.length;
    stats.nodes += nodes;
    stats.edges += edges;
    stats.refsLocal += refsLocal;
    stats.refsDeferred += deferred.length;
    stats.writeMs += writeMs;
    report(unit.files.length);
    resolveStart = performance.now();
  }
  return { kind: 'done', stats };
}

/**
 * Copies what this unit wrote from the write-ahead logs into the databases, here on the
 * worker's own core, not on the coordinator's: there a checkpoint (~50 ms on django) held up
 * the messages of the units still running, the last one's `done` included. After `done`: the
 * last unit's checkpoint (~50-120 ms on django) then runs beside the coordinator's final pass
 * instead of before it. Only an optimisation: whatever is left, a later checkpoint or the
 * last close copies, and a worker ended meanwhile leaves a log SQLite replays.
 */
function checkpoint(state: StateStore, target: GraphTarget): void {
  try {
    state.checkpoint();
    target.checkpoint?.();
  } catch {
    // A checkpoint that cannot run now (another connection is checkpointing) is not needed now.
  }
}

function extractFile(root: string, file: FileAssignment, extractor: Extractor): { extraction: FileExtraction } | { failure: string } {
  let source: string;
  try {
    // Synchronous: the worker has nothing else to do meanwhile, and a promise per file costs more than the read.
    source = readFileSync(join(root, file.path), 'utf8');
  } catch (error) {
    return { failure: `could not read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  try {
    return { extraction: extractor.extract({ path: file.path, language: file.language }, source) };
  } catch (error) {
    return { failure: `parse failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * The files whose grammars the unit needs: its own, and where it has TS/JS files, every TS/JS
 * file of the repo, whose declared types its references may be followed into.
 */
function grammarsNeeded(files: readonly FileAssignment[], repoFiles: ReadonlyMap<string, Language | null>): SourceFile[] {
  const needed: SourceFile[] = [...files];
  if (files.some((file) => TYPES_FOLLOWED_INTO_FILES.has(file.language))) {
    for (const [path, language] of repoFiles) if (language && TYPES_FOLLOWED_INTO_FILES.has(language)) needed.push({ path, language });
  }
  return needed;
}

/** Groups files so that each batch holds about `batchSize` nodes and edges (at least one file). */
function* fileBatches(graphs: Iterable<FileGraph>, batchSize: number): Generator<FileGraph[]> {
  let batch: FileGraph[] = [];
  let size = 0;
  for (const graph of graphs) {
    batch.push(graph);
    size += graph.definitions.length + 1 + graph.edgesFromDefinitions.length + graph.edgesFromFile.length;
    if (size >= batchSize) {
      yield batch;
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * The dotted name of a folder that is a Python package: its name, after those of the
 * enclosing folders that are packages too (`django.db` for .../site-packages/django/db).
 * Only whether their `__init__.py` exists is read above the chosen folder.
 */
export function pythonPackageName(folder: string): string | null {
  const names: string[] = [];
  for (let at = resolve(folder); existsSync(join(at, '__init__.py')); at = dirname(at)) {
    const name = basename(at);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || dirname(at) === at) break;
    names.unshift(name);
  }
  return names.length > 0 ? names.join('.') : null;
}

/**
 * The Go import path of the chosen folder: the module path of the nearest go.mod at or above
 * it, followed by the folder's path inside that module (`github.com/me/app/pkg` for the
 * folder pkg of module github.com/me/app), so that imports of the module's own packages
 * resolve however deep in it the user chose. Null outside a module.
 */
export async function readGoModulePath(root: string): Promise<string | null> {
  const chosen = resolve(root);
  for (let at = chosen; ; at = dirname(at)) {
    let text: string | null = null;
    try {
      text = await readFile(join(at, 'go.mod'), 'utf8');
    } catch {
      // No go.mod here (or unreadable): look further up.
    }
    if (text !== null) {
      const module = /^module\s+(\S+)/m.exec(text)?.[1];
      if (!module) return null;
      const inside = relative(at, chosen).split(sep).join('/');
      return inside === '' ? module : `${module}/${inside}`;
    }
    if (dirname(at) === at) return null;
  }
}

/** The coordinator asked the worker to stop while it waited for the target. */
class StoppedWhileWaiting extends Error {}

const PROBE_EVERY_MS = 3000;

/**
 * Runs a target operation until it succeeds: an unreachable target is reported to the
 * coordinator (`targetUnavailable`) and the same operation retried with backoff. The Neo4j
 * driver itself retries a lost server for up to a minute inside one call, so while a call
 * hangs a cheap connection probe tells the coordinator early that the server is gone.
 */
function createTargetGuard(unit: UnitAssignment, context: UnitRunContext): <T>(op: () => Promise<T>) => Promise<T> {
  let down = false;
  let lastMessage = '';
  // Reported once per outage (and when the error changes), not on every retry.
  const markDown = (message: string): void => {
    if (down && message === lastMessage) return;
    down = true;
    lastMessage = message;
    context.send({ type: 'targetUnavailable', message });
  };
  const markUp = (): void => {
    if (!down) return;
    down = false;
    context.send({ type: 'targetAvailable' });
  };
  const config = unit.target;
  const probe =
    config.kind === 'neo4j'
      ? async (): Promise<string | null> => {
          try {
            // Imported here: neo4j-driver costs every worker ~150 ms to load, and most write to the embedded store.
            const { testNeo4jConnection } = await import('../storage/neo4j-connection.js');
            await testNeo4jConnection(config);
            return null;
          } catch (error) {
            return isTargetUnreachable(error) ? (error as Error).message : null;
          }
        }
      : null;

  return async <T>(op: () => Promise<T>): Promise<T> => {
    for (let delay = TARGET_RETRY_FIRST_MS; ; delay = Math.min(delay * 2, TARGET_RETRY_MAX_MS)) {
      let pending = true;
      let probing = false;
      const watch = probe
        ? setInterval(() => {
            if (probing) return;
            probing = true;
            void probe().then((failure) => {
              probing = false;
              if (!pending) return;
              if (failure) markDown(failure);
              else markUp();
            });
          }, PROBE_EVERY_MS)
        : null;
      try {
        const result = await op();
        markUp();
        return result;
      } catch (error) {
        if (!isTargetUnreachable(error)) throw error;
        markDown((error as Error).message);
      } finally {
        // The call is over: a probe answering later must not report on it.
        pending = false;
        if (watch) clearInterval(watch);
      }
      if (await waitUnless(delay, context.stopRequested)) throw new StoppedWhileWaiting('stopped while waiting for the graph target');
    }
  };
}
