// In-unit resolution (DESIGN.md pipeline step 4): turns the unit's extractions into graph
// nodes and edges, resolving what cannot depend on other units and deferring the rest with
// ranked candidates. A reference gets the same target however files are split into units.
import { EdgeSet, type GraphEdge, type GraphNode, type ReferenceKind } from '../../shared/graph-model.js';
import { symbolOf, type DeferredReference, type ReferenceCandidate, type SymbolRecord } from '../../shared/resolution.js';
import { FILE_SCOPE, type ExtractedReference, type FileExtraction } from '../extraction/file-extraction.js';
import { definitionNodeId, fileNodeId } from '../extraction/node-id.js';
import type { ModuleContext } from './module-bindings.js';
import { FileReferenceResolver } from './reference-resolver.js';
import { ScriptTypes } from './script-types.js';
import { UnitSymbols } from './unit-symbols.js';
import { compareStrings } from '../../shared/order.js';

export interface FileGraph {
  fileNode: GraphNode;
  definitions: GraphNode[];
  /** CONTAINS from a definition to what is declared inside it; REFERENCES resolved in the unit. */
  edgesFromDefinitions: GraphEdge[];
  /** CONTAINS FILE -> top-level definitions; REFERENCES from file-level code. */
  edgesFromFile: GraphEdge[];
  /** Every definition and the FILE node. */
  symbols: SymbolRecord[];
  /** Left for the engine; IMPORTS are always here. */
  deferred: DeferredReference[];
  refsLocal: number;
  refsExternal: number;
}

export interface UnitResolutionInput {
  repoId: string;
  extractions: FileExtraction[];
  knownSymbols: SymbolRecord[];
  fileExists: (relativePath: string) => boolean;
  goModulePath?: string | null;
  /** See ModuleContext.pythonRootPackage. */
  pythonRootPackage?: string | null;
  /**
   * Another repo file's extraction, read from disk whichever unit holds it (null when it cannot
   * be read): lets TS/JS references follow types and re-exports into other files. Without it
   * only types declared in the referring file are followed.
   */
  extractionOf?: (relativePath: string) => FileExtraction | null;
}

/** A file's nodes, before its references are resolved: what its FileGraph holds of them. */
interface PreparedFile {
  fileNode: GraphNode;
  definitions: GraphNode[];
  /** The FILE node's symbol, then the definitions'. */
  symbols: SymbolRecord[];
}

/** A unit's definitions, before its references are resolved (`prepareUnit`). */
export interface PreparedUnit {
  files: Map<string, PreparedFile>;
  /** Every symbol the unit's graphs hold: each file's FILE node and definitions. */
  symbols: SymbolRecord[];
}

export function prepareUnit(repoId: string, extractions: readonly FileExtraction[]): PreparedUnit {
  const files = new Map<string, PreparedFile>();
  for (const extraction of extractions) {
    const fileNode = fileNodeOf(repoId, extraction);
    const definitions = definitionNodes(repoId, extraction);
    files.set(extraction.path, { fileNode, definitions, symbols: [fileNode, ...definitions].map(symbolOf) });
  }
  return { files, symbols: [...files.values()].flatMap((file) => file.symbols) };
}

export function resolveUnit(input: UnitResolutionInput, prepared: PreparedUnit = prepareUnit(input.repoId, input.extractions)): Map<string, FileGraph> {
  const graphs = new Map<string, FileGraph>();
  for (const graph of resolveUnitFiles(input, prepared)) graphs.set(graph.fileNode.file_path, graph);
  return graphs;
}

/**
 * The unit's file graphs one at a time, in path order: each file is resolved when it is asked
 * for, so a worker can write one batch while the next is not resolved yet.
 */
export function* resolveUnitFiles(input: UnitResolutionInput, prepared: PreparedUnit): Generator<FileGraph> {
  const { repoId } = input;
  const { files } = prepared;
  const symbols = new UnitSymbols();
  symbols.addKnown(input.knownSymbols);
  for (const extraction of input.extractions) {
    symbols.add(extraction.path, null, null);
    for (const node of files.get(extraction.path)!.definitions) symbols.add(extraction.path, node.qualified_name, node.node_id);
  }

  const context: ModuleContext = { fileExists: input.fileExists, goModulePath: input.goModulePath ?? null, pythonRootPackage: input.pythonRootPackage ?? null };
  const inUnit = new Map(input.extractions.map((extraction) => [extraction.path, extraction]));
  const readOther = input.extractionOf;
  // The unit's own extraction of a file equals what reading it from disk gives.
  const types: ScriptTypes = new ScriptTypes((path) => {
    if (!readOther || !input.fileExists(path)) return null;
    const extraction = inUnit.get(path) ?? readOther(path);
    return extraction ? new FileReferenceResolver(extraction, context, types) : null;
  });

  for (const extraction of sortedByPath(input.extractions)) {
    const resolver = new FileReferenceResolver(extraction, context, types);
    yield fileGraph(repoId, extraction, files.get(extraction.path)!, symbols, input, resolver);
  }
}

/** The unit's definition nodes, file by file in path order: what its file graphs hold, in their order. */
export function definitionNodesInOrder(extractions: readonly FileExtraction[], prepared: PreparedUnit): GraphNode[] {
  return sortedByPath(extractions).flatMap((extraction) => prepared.files.get(extraction.path)!.definitions);
}

function sortedByPath(extractions: readonly FileExtraction[]): FileExtraction[] {
  return [...extractions].sort((a, b) => compareStrings(a.path, b.path));
}

function fileGraph(
  repoId: string,
  extraction: FileExtraction,
  { fileNode, definitions, symbols }: PreparedFile,
  unit: UnitSymbols,
  input: UnitResolutionInput,
  resolver: FileReferenceResolver,
): FileGraph {
  const path = extraction.path;
  const sourceId = (index: number): string => (index === FILE_SCOPE ? fileNode.node_id : definitions[index]!.node_id);
  const fromDefinitions = new EdgeSet();
  const fromFile = new EdgeSet();
  const edgesFrom = (index: number): EdgeSet => (index === FILE_SCOPE ? fromFile : fromDefinitions);

  extraction.definitions.forEach((definition, index) => {
    edgesFrom(definition.parent).add({ type: 'CONTAINS', repoId, source: sourceId(definition.parent), target: definitions[index]!.node_id });
  });

  const deferred: DeferredReference[] = [];
  let refsLocal = 0;
  let refsExternal = 0;

  const settle = (reference: ExtractedReference): void => {
    const outcome = resolver.resolve(reference);
    const source = sourceId(reference.source);
    const link = (targets: string[], resolution: 'local' | 'import', confidence: number): void => {
      for (const target of targets) {
        if (target === source) continue;
        edgesFrom(reference.source).add({ type: 'REFERENCES', repoId, source, target, kind: reference.kind, line: reference.line, resolution, confidence });
      }
      refsLocal++;
    };
    if (outcome.kind === 'external') refsExternal++;
    if (outcome.kind === 'local') {
      link(outcome.targets.map((index) => definitions[index]!.node_id), 'local', outcome.confidence);
    }
    if (outcome.kind !== 'candidates') return;
    const remaining: ReferenceCandidate[] = [];
    for (const candidate of outcome.candidates) {
      if (remaining.length > 0) {
        remaining.push(candidate);
        continue;
      }
      const match = unit.match(candidate);
      if (match.kind === 'found') {
        link(match.nodeIds, candidate.resolution, candidate.confidence);
        return;
      }
      if (match.kind === 'undecided') remaining.push(candidate);
    }
    if (remaining.length === 0 && !outcome.fallbackToName) return;
    deferred.push({
      sourceNodeId: source,
      sourceFile: path,
      language: extraction.language,
      name: reference.name,
      edge: 'REFERENCES',
      kind: reference.kind,
      line: reference.line,
      // With a name fallback, candidates found absent here stay: the engine skips them, and they
      // tell it where the name was imported from, whichever unit their file was in.
      candidates: outcome.fallbackToName ? outcome.candidates : remaining,
      fallbackToName: outcome.fallbackToName,
      external: false,
    });
  };

  // One decision per distinct reference, in the order of first occurrence; its first line is
  // the edge's line. Found by source and name, then compared: a string key per reference
  // (built, flattened and hashed) was most of this function's own time.
  const distinct: ExtractedReference[] = [];
  const bySource = new Map<number, Map<string, number[]>>();
  const consider = (reference: ExtractedReference): void => {
    let byName = bySource.get(reference.source);
    if (!byName) bySource.set(reference.source, (byName = new Map()));
    const slots = byName.get(reference.name);
    if (!slots) {
      byName.set(reference.name, [distinct.push(reference) - 1]);
      return;
    }
    for (const slot of slots) {
      const seen = distinct[slot]!;
      if (!sameReference(seen, reference)) continue;
      if (reference.line < seen.line) distinct[slot] = reference;
      return;
    }
    slots.push(distinct.push(reference) - 1);
  };
  for (const reference of extraction.references) consider(reference);
  for (const reference of importReferences(resolver, extraction)) consider(reference);
  for (const reference of distinct) settle(reference);

  for (const [file, line] of resolver.bindings.importedFiles) {
    deferred.push({
      sourceNodeId: fileNode.node_id,
      sourceFile: path,
      language: extraction.language,
      name: file.slice(file.lastIndexOf('/') + 1),
      edge: 'IMPORTS',
      kind: 'import',
      line,
      candidates: [{ file, qualifiedName: file, resolution: 'import', confidence: 1 }],
      fallbackToName: false,
      external: false,
    });
  }

  return {
    fileNode,
    definitions,
    edgesFromDefinitions: fromDefinitions.sorted(),
    edgesFromFile: fromFile.sorted(),
    symbols,
    deferred: deferred.sort(compareDeferred),
    refsLocal,
    refsExternal,
  };
}

/** Same source and name assumed: the same kind, qualifier and receiver (one decision for both). */
function sameReference(a: ExtractedReference, b: ExtractedReference): boolean {
  if (a.kind !== b.kind || (a.receiverType ?? '') !== (b.receiverType ?? '')) return false;
  if (a.qualifier.length === b.qualifier.length) {
    for (let i = 0; i < a.qualifier.length; i++) if (a.qualifier[i] !== b.qualifier[i]) return false;
  } else if (a.qualifier.join('.') !== b.qualifier.join('.')) return false;
  if (!a.receiver || !b.receiver) return !a.receiver && !b.receiver;
  return JSON.stringify(a.receiver) === JSON.stringify(b.receiver);
}

/** `from a import B` / `import {B} from './a'` / Java single-type imports reference the imported definition. */
function importReferences(resolver: FileReferenceResolver, extraction: FileExtraction): ExtractedReference[] {
  const references: ExtractedReference[] = [];
  for (const entry of extraction.imports) {
    for (const { alias } of entry.names) {
      const binding = resolver.bindings.byName.get(alias);
      if (!binding || binding.path.length === 0 || binding.target.kind !== 'file') continue;
      // Resolved as the bare local name, which goes through its binding.
      references.push({ source: FILE_SCOPE, name: alias, qualifier: [], receiverType: null, kind: 'import' as ReferenceKind, line: entry.line });
    }
  }
  return references;
}

function fileNodeOf(repoId: string, extraction: FileExtraction): GraphNode {
  const path = extraction.path;
  return {
    node_id: fileNodeId(repoId, path),
    repoId,
    label: 'FILE',
    name: path.slice(path.lastIndexOf('/') + 1),
    qualified_name: path,
    file_path: path,
    language: extraction.language,
    kind: 'file',
    start_line: 1,
    end_line: extraction.lineCount,
  };
}

function definitionNodes(repoId: string, extraction: FileExtraction): GraphNode[] {
  const ordinals = new Map<string, number>();
  return extraction.definitions.map((definition) => {
    const ordinal = ordinals.get(definition.qualifiedName) ?? 0;
    ordinals.set(definition.qualifiedName, ordinal + 1);
    return {
      node_id: definitionNodeId(repoId, extraction.path, definition.qualifiedName, ordinal),
      repoId,
      label: definition.label,
      name: definition.name,
      qualified_name: definition.qualifiedName,
      file_path: extraction.path,
      language: extraction.language,
      kind: definition.kind,
      start_line: definition.startLine,
      end_line: definition.endLine,
    };
  });
}

function compareDeferred(a: DeferredReference, b: DeferredReference): number {
  return compareStrings(a.sourceNodeId, b.sourceNodeId) || compareStrings(a.edge, b.edge) || compareStrings(a.name, b.name) || compareStrings(a.kind, b.kind) || a.line - b.line;
}
