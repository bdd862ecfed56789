// Runs extraction + in-unit (and optionally cross-unit) resolution over a fixture folder and
// prints nodes and edges as readable lines, so tests can state the exact expected graph.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { GraphEdge, GraphNode, Language } from '../../../../src/shared/graph-model.js';
import type { DeferredReference, SymbolRecord } from '../../../../src/shared/resolution.js';
import type { Extractor } from '../../../../src/workers/extraction/extractor.js';
import type { FileExtraction } from '../../../../src/workers/extraction/file-extraction.js';
import { resolveUnit, type FileGraph } from '../../../../src/workers/resolution/unit-resolver.js';
import { resolveDeferred } from '../../../../src/engine/resolution/cross-unit-resolver.js';
import { createMemorySymbolIndex } from '../../../../src/engine/resolution/memory-symbol-index.js';

export const REPO_ID = 'test-repo';

const LANGUAGE_BY_EXTENSION: Record<string, Language> = {
  '.py': 'python', '.js': 'javascript', '.jsx': 'javascript', '.ts': 'typescript', '.tsx': 'typescript', '.java': 'java', '.go': 'go',
};

/**
 * TypeScript fixtures are stored as `x.ts.fixture` so that the project's typecheck skips them;
 * their repo path drops the suffix.
 */
const FIXTURE_SUFFIX = '.fixture';

export function fixtureFiles(root: string): { path: string; language: Language }[] {
  const out: { path: string; language: Language }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const name = entry.endsWith(FIXTURE_SUFFIX) ? entry.slice(0, -FIXTURE_SUFFIX.length) : entry;
        const language = LANGUAGE_BY_EXTENSION[path.extname(name)];
        const relative = path.relative(root, path.join(dir, name)).split(path.sep).join('/');
        if (language) out.push({ path: relative, language });
      }
    }
  };
  walk(root);
  return out;
}

export function extractAll(extractor: Extractor, root: string): FileExtraction[] {
  return fixtureFiles(root).map((file) => {
    const stored = path.join(root, file.path);
    const source = existsSync(stored) ? readFileSync(stored, 'utf8') : readFileSync(stored + FIXTURE_SUFFIX, 'utf8');
    return extractor.extract(file, source);
  });
}

export interface ResolvedGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  refsLocal: number;
  refsExternal: number;
}

/** Every file in one unit, then the engine's final pass over what was deferred. */
export function resolveInUnits(
  extractions: FileExtraction[],
  units: string[][],
  goModulePath: string | null = null,
  pythonRootPackage: string | null = null,
): ResolvedGraph {
  const paths = new Set(extractions.map((e) => e.path));
  // Every file can be read from "disk" whichever unit holds it, as the worker does.
  const byPath = new Map(extractions.map((e) => [e.path, e]));
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const symbols: SymbolRecord[] = [];
  const deferred: DeferredReference[] = [];
  let refsLocal = 0;
  let refsExternal = 0;
  for (const unit of units) {
    const graphs = resolveUnit({
      repoId: REPO_ID,
      extractions: extractions.filter((e) => unit.includes(e.path)),
      knownSymbols: [],
      fileExists: (p) => paths.has(p),
      goModulePath,
      pythonRootPackage,
      extractionOf: (p) => byPath.get(p) ?? null,
    });
    for (const graph of graphs.values()) collect(graph);
  }
  function collect(graph: FileGraph): void {
    nodes.push(graph.fileNode, ...graph.definitions);
    edges.push(...graph.edgesFromDefinitions, ...graph.edgesFromFile);
    symbols.push(...graph.symbols);
    deferred.push(...graph.deferred);
    refsLocal += graph.refsLocal;
    refsExternal += graph.refsExternal;
  }
  const final = resolveDeferred(deferred, createMemorySymbolIndex(symbols), 'final', REPO_ID);
  edges.push(...final.edges);
  return { nodes, edges, refsLocal, refsExternal };
}

export function describeNodes(nodes: GraphNode[]): string[] {
  return nodes
    .filter((n) => n.label !== 'FILE')
    .map((n) => `${n.file_path} ${n.label} ${n.kind} ${n.qualified_name} ${n.start_line}-${n.end_line}`)
    .sort();
}

/** `REFERENCES call a.py:A.f -> b.py:helper local 1 @4`; CONTAINS and IMPORTS without extras. */
export function describeEdges(graph: ResolvedGraph, types: GraphEdge['type'][] = ['REFERENCES', 'IMPORTS']): string[] {
  const byId = new Map(graph.nodes.map((n) => [n.node_id, n.label === 'FILE' ? n.file_path : `${n.file_path}:${n.qualified_name}`]));
  return graph.edges
    .filter((e) => types.includes(e.type))
    .map((e) => {
      const ends = `${byId.get(e.source) ?? e.source} -> ${byId.get(e.target) ?? e.target}`;
      return e.type === 'REFERENCES' ? `${e.type} ${e.kind} ${ends} ${e.resolution} ${e.confidence} @${e.line}` : `${e.type} ${ends}`;
    })
    .sort();
}
