// Cross-unit resolution (DESIGN.md pipeline step 5): settles what workers deferred, against
// the project's symbol table. Candidates are tried as units finish (a candidate names a file,
// all of whose symbols are present once it is completed); name-only fallback waits for the
// final phase, when every symbol is known, so the answer never depends on unit order.
import { EdgeSet, type GraphEdge, type Language } from '../../shared/graph-model.js';
import { packageKeyOf, type DeferredReference, type ReferenceCandidate, type SymbolRecord } from '../../shared/resolution.js';
import { compareStrings } from '../../shared/order.js';

export interface SymbolIndex {
  byName(name: string): readonly SymbolRecord[];
}

export type ResolutionPhase = 'as-units-finish' | 'final';

export interface DeferredResolution {
  edges: GraphEdge[];
  /** Per input reference: true = done (linked, external, or given up in the final phase). */
  settled: boolean[];
  counts: { resolved: number; ambiguous: number; unresolved: number; external: number };
}

export const NAME_CONFIDENCE = { unique: 0.5, bestOfSeveral: 0.35, ambiguous: 0.2 } as const;
/** More same-named definitions than this and a name-only reference is left unlinked. */
export const MAX_AMBIGUOUS_TARGETS = 3;

/** Every name `resolveDeferred` will look up for these references (for one batched query). */
export function namesNeeded(refs: readonly DeferredReference[]): Set<string> {
  const names = new Set<string>();
  for (const ref of refs) {
    if (ref.external) continue;
    if (ref.fallbackToName) names.add(ref.name);
    for (const candidate of ref.candidates) {
      names.add(candidateName(candidate));
      if (candidate.file !== null && !isPackageKey(candidate.file)) names.add(baseName(candidate.file));
    }
  }
  return names;
}

export function resolveDeferred(
  refs: readonly DeferredReference[],
  index: SymbolIndex,
  phase: ResolutionPhase,
  repoId: string,
  /**
   * Before the end: whether every file planned directly in this package folder is finished, so
   * that the package's symbols are all known (Go packages, Java wildcard imports).
   */
  packageFinished: (key: string) => boolean = () => false,
  /**
   * The definitions a name-only reference may reach, kept across calls: pass one map for calls
   * whose index answers alike for every name (the final pass, when no symbol is added any more).
   * Popular names (OpenJDK: thousands of `get`, `size`, `run`) were filtered again and again.
   */
  namedTargets: Map<string, SymbolRecord[]> = new Map(),
): DeferredResolution {
  const edges = new EdgeSet();
  const counts = { resolved: 0, ambiguous: 0, unresolved: 0, external: 0 };
  const settled: boolean[] = [];
  const fallbacks = new Map<string, { named: SymbolRecord[]; best: SymbolRecord[] }>();

  const link = (ref: DeferredReference, target: string, resolution: GraphEdge['resolution'], confidence: number): void => {
    if (target === ref.sourceNodeId) return;
    const edge: GraphEdge =
      ref.edge === 'IMPORTS'
        ? { type: 'IMPORTS', repoId, source: ref.sourceNodeId, target }
        : { type: 'REFERENCES', repoId, source: ref.sourceNodeId, target, kind: ref.kind, line: ref.line, resolution, confidence };
    edges.add(edge);
  };

  for (const ref of refs) {
    if (ref.external) {
      counts.external++;
      settled.push(true);
      continue;
    }
    let waiting = false;
    let linked = false;
    for (const candidate of ref.candidates) {
      // Before the end, a candidate is answered only once its file is complete: the targets of
      // one that names no single file (any file, a Go package) can still grow, and linking them
      // early made the graph depend on which unit finished first.
      if (phase === 'as-units-finish' && !isDecided(candidate, index, packageFinished)) {
        waiting = true;
        break;
      }
      const targets = candidateTargets(candidate, ref, index);
      if (targets.length > 0) {
        for (const target of targets) link(ref, target, candidate.resolution, candidate.confidence);
        linked = true;
        break;
      }
    }
    if (linked) {
      counts.resolved++;
      settled.push(true);
      continue;
    }
    if (waiting || (ref.fallbackToName && phase === 'as-units-finish')) {
      settled.push(false);
      continue;
    }
    settled.push(true);
    if (!ref.fallbackToName) {
      counts.unresolved++;
      continue;
    }
    // The same name asked from the same folder (err.Error() all over a package) is answered once.
    const question = fallbackQuestion(ref);
    let answer = fallbacks.get(question);
    if (!answer) {
      const named = nameTargets(ref, index, namedTargets);
      answer = { named, best: bestByPlace(ref, named) };
      fallbacks.set(question, answer);
    }
    const { named, best } = answer;
    if (named.length === 1) {
      link(ref, named[0]!.nodeId, 'unique-name', NAME_CONFIDENCE.unique);
      counts.resolved++;
    } else if (best.length === 1) {
      link(ref, best[0]!.nodeId, 'ambiguous', NAME_CONFIDENCE.bestOfSeveral);
      counts.ambiguous++;
    } else if (best.length > 1 && best.length <= MAX_AMBIGUOUS_TARGETS) {
      for (const target of best) link(ref, target.nodeId, 'ambiguous', NAME_CONFIDENCE.ambiguous);
      counts.ambiguous++;
    } else counts.unresolved++;
  }

  return { edges: edges.sorted(), settled, counts };
}

/**
 * All that nameTargets and bestByPlace read of a reference, as a key: its name, language, kind,
 * candidates, and the folder of its file (sharedFolders never counts past the last slash).
 */
function fallbackQuestion(ref: DeferredReference): string {
  let key = `${ref.name}\u0000${ref.language}\u0000${ref.kind}\u0000${packageKeyOf(ref.sourceFile)}`;
  for (const candidate of ref.candidates) key += `\u0000${candidate.file === null ? '\u0001' : candidate.file}\u0000${candidate.qualifiedName}`;
  return key;
}

/** Node ids of the definitions the candidate names (all same-named duplicates: overloads). */
function candidateTargets(candidate: ReferenceCandidate, ref: DeferredReference, index: SymbolIndex): string[] {
  const wantFile = ref.edge === 'IMPORTS';
  const ids = index
    .byName(candidateName(candidate))
    .filter(
      (symbol) =>
        (symbol.label === 'FILE') === wantFile &&
        symbol.qualifiedName === candidate.qualifiedName &&
        (candidate.file === null ||
          (isPackageKey(candidate.file) ? packageKeyOf(symbol.filePath) === candidate.file : symbol.filePath === candidate.file)),
    )
    .map((symbol) => symbol.nodeId);
  return [...new Set(ids)].sort();
}

/**
 * A file candidate is decided once its file is completed (its FILE symbol exists); a package
 * candidate once every file of the package is; one that names no file, only at the end.
 */
function isDecided(candidate: ReferenceCandidate, index: SymbolIndex, packageFinished: (key: string) => boolean): boolean {
  const file = candidate.file;
  if (file === null) return false;
  if (isPackageKey(file)) return packageFinished(file);
  return index.byName(baseName(file)).some((symbol) => symbol.label === 'FILE' && symbol.filePath === file);
}

/**
 * Definitions named like the reference, in the same language family, of a fitting label. A
 * bare name (no member candidate) reaches only top-level definitions, except in Java where
 * it may be an inherited method.
 */
function nameTargets(ref: DeferredReference, index: SymbolIndex, memo: Map<string, SymbolRecord[]>): SymbolRecord[] {
  const family = languageFamily(ref.language);
  const typesOnly = ref.kind === 'type' || ref.kind === 'inherit';
  const bare = ref.language !== 'java' && !ref.candidates.some((candidate) => candidate.qualifiedName.includes('.'));
  const key = `${ref.name}\u0000${family}\u0000${typesOnly}\u0000${bare}`;
  const known = memo.get(key);
  if (known) return known;
  const byId = new Map<string, SymbolRecord>();
  for (const symbol of index.byName(ref.name)) {
    if (
      symbol.label !== 'FILE' &&
      !isNestedFunction(symbol) &&
      languageFamily(symbol.language) === family &&
      (!typesOnly || symbol.label === 'CLASS' || symbol.label === 'INTERFACE') &&
      (!bare || symbol.qualifiedName === symbol.name)
    ) {
      byId.set(symbol.nodeId, symbol);
    }
  }
  const named = [...byId.values()].sort((a, b) => compareStrings(a.nodeId, b.nodeId));
  memo.set(key, named);
  return named;
}

/**
 * The few best of several same-named definitions: inside the folder of the module the name was
 * imported from (a package re-exporting it), else nearest the referring file.
 */
function bestByPlace(ref: DeferredReference, symbols: readonly SymbolRecord[]): SymbolRecord[] {
  if (symbols.length <= 1) return [...symbols];
  const folders = ref.candidates
    .map((candidate) => candidate.file)
    .filter((file): file is string => file !== null)
    .map((file) => (isPackageKey(file) ? file : packageKeyOf(file)));
  for (const folder of folders) {
    const inside = symbols.filter((symbol) => folder === './' || symbol.filePath.startsWith(folder));
    if (inside.length > 0 && inside.length < symbols.length) return nearest(ref.sourceFile, inside);
  }
  return nearest(ref.sourceFile, symbols);
}

function nearest(sourceFile: string, symbols: readonly SymbolRecord[]): SymbolRecord[] {
  // Each depth once (popular names have hundreds of definitions to weigh, for every reference).
  const depths = symbols.map((symbol) => sharedFolders(sourceFile, symbol.filePath));
  let closest = -Infinity;
  for (const depth of depths) if (depth > closest) closest = depth;
  return symbols.filter((_, i) => depths[i] === closest);
}

const SLASH = 0x2f;

/**
 * How many leading folders two file paths share: the slashes inside their common prefix, as
 * each such slash ends a folder that is the same in both (no arrays: this runs millions of times).
 */
export function sharedFolders(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  let shared = 0;
  for (let i = 0; i < length; i++) {
    const code = a.charCodeAt(i);
    if (code !== b.charCodeAt(i)) break;
    if (code === SLASH) shared++;
  }
  return shared;
}

/** A function declared inside another function is visible only there, never by name from elsewhere. */
function isNestedFunction(symbol: SymbolRecord): boolean {
  return symbol.kind === 'function' && symbol.qualifiedName.includes('.');
}

function candidateName(candidate: ReferenceCandidate): string {
  if (candidate.file !== null && candidate.qualifiedName === candidate.file) return baseName(candidate.file);
  const dot = candidate.qualifiedName.lastIndexOf('.');
  return dot === -1 ? candidate.qualifiedName : candidate.qualifiedName.slice(dot + 1);
}

/** Candidates whose file ends in `/` name a package folder (Go): any file directly inside it. */
function isPackageKey(file: string): boolean {
  return file.endsWith('/');
}

function baseName(filePath: string): string {
  return filePath.slice(filePath.lastIndexOf('/') + 1);
}

function languageFamily(language: Language): string {
  return language === 'typescript' ? 'javascript' : language;
}
