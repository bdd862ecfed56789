// Repograph's side of the comparison: the real extractor and resolvers run in process over
// one folder (one unit, then the engine's final pass), giving its nodes and REFERENCES edges.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { GraphEdge, GraphNode, Language } from '../../src/shared/graph-model.js';
import type { DeferredReference, SymbolRecord } from '../../src/shared/resolution.js';
import { languageOf } from '../../src/engine/scan/languages.js';
import { loadExtractor } from '../../src/workers/extraction/extractor.js';
import { resolveUnit } from '../../src/workers/resolution/unit-resolver.js';
import { resolveDeferred } from '../../src/engine/resolution/cross-unit-resolver.js';
import { createMemorySymbolIndex } from '../../src/engine/resolution/memory-symbol-index.js';

export interface RepographGraph {
  root: string;
  files: { path: string; language: Language }[];
  nodes: GraphNode[];
  references: GraphEdge[];
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'dist', 'out', 'build', '__pycache__']);

export function sourceFiles(root: string): { path: string; language: Language }[] {
  const files: { path: string; language: Language }[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(root, relative)).sort()) {
      const child = relative === '' ? entry : `${relative}/${entry}`;
      let stats;
      try {
        stats = statSync(path.join(root, child));
      } catch {
        continue; // A dangling symlink (Debian links vendored JS to other packages).
      }
      if (stats.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry) && !entry.startsWith('.')) walk(child);
        continue;
      }
      const language = languageOf(child);
      if (language && stats.size <= 1024 * 1024) files.push({ path: child, language });
    }
  };
  walk('');
  return files;
}

export async function repographGraph(root: string): Promise<RepographGraph> {
  const files = sourceFiles(root);
  const extractor = await loadExtractor();
  const extractions = files.map((file) => extractor.extract(file, readFileSync(path.join(root, file.path), 'utf8')));
  extractor.dispose();
  const paths = new Set(files.map((file) => file.path));
  const goMod = path.join(root, 'go.mod');
  const goModulePath = existsSync(goMod) ? (/^module\s+(\S+)/m.exec(readFileSync(goMod, 'utf8'))?.[1] ?? null) : null;
  const byPath = new Map(extractions.map((extraction) => [extraction.path, extraction]));
  const graphs = resolveUnit({
    repoId: 'accuracy',
    extractions,
    knownSymbols: [],
    fileExists: (p) => paths.has(p),
    goModulePath,
    extractionOf: (p) => byPath.get(p) ?? null,
  });
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const symbols: SymbolRecord[] = [];
  const deferred: DeferredReference[] = [];
  for (const graph of graphs.values()) {
    nodes.push(graph.fileNode, ...graph.definitions);
    edges.push(...graph.edgesFromDefinitions, ...graph.edgesFromFile);
    symbols.push(...graph.symbols);
    deferred.push(...graph.deferred);
  }
  edges.push(...resolveDeferred(deferred, createMemorySymbolIndex(symbols), 'final', 'accuracy').edges);
  return { root, files, nodes, references: edges.filter((edge) => edge.type === 'REFERENCES') };
}
