import { describe, expect, it } from 'vitest';
import type { DeferredReference, SymbolRecord } from '../../../src/shared/resolution.js';
import { namesNeeded, resolveDeferred, sharedFolders } from '../../../src/engine/resolution/cross-unit-resolver.js';
import { createMemorySymbolIndex } from '../../../src/engine/resolution/memory-symbol-index.js';

const REPO = 'repo';

function symbol(filePath: string, qualifiedName: string, label: SymbolRecord['label'] = 'FUNCTION'): SymbolRecord {
  const name = label === 'FILE' ? filePath.slice(filePath.lastIndexOf('/') + 1) : qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1);
  return { nodeId: `${filePath}#${qualifiedName}`, name, qualifiedName, filePath, label, kind: label === 'FILE' ? 'file' : 'function', language: 'python' };
}

function ref(overrides: Partial<DeferredReference>): DeferredReference {
  return { sourceNodeId: 'src', sourceFile: 'main.py', language: 'python', name: 'helper', edge: 'REFERENCES', kind: 'call', line: 3, candidates: [], fallbackToName: false, external: false, ...overrides };
}

describe('resolveDeferred', () => {
  const importRef = ref({ candidates: [{ file: 'b.py', qualifiedName: 'helper', resolution: 'import', confidence: 0.95 }], fallbackToName: true });

  it('waits for the candidate file, then links the imported definition, not the same-named one', () => {
    const early = resolveDeferred([importRef], createMemorySymbolIndex([symbol('a.py', 'a.py', 'FILE'), symbol('a.py', 'helper')]), 'as-units-finish', REPO);
    expect(early.settled).toEqual([false]);
    expect(early.edges).toEqual([]);

    const index = createMemorySymbolIndex([symbol('a.py', 'a.py', 'FILE'), symbol('a.py', 'helper'), symbol('b.py', 'b.py', 'FILE'), symbol('b.py', 'helper')]);
    const done = resolveDeferred([importRef], index, 'as-units-finish', REPO);
    expect(done.settled).toEqual([true]);
    expect(done.edges).toEqual([{ type: 'REFERENCES', repoId: REPO, source: 'src', target: 'b.py#helper', kind: 'call', line: 3, resolution: 'import', confidence: 0.95 }]);
    expect(done.counts).toEqual({ resolved: 1, ambiguous: 0, unresolved: 0, external: 0 });
  });

  it('answers a candidate that names no single file only at the end, whatever has finished', () => {
    // Regression: a member candidate of any file was linked as soon as one match existed, so a
    // second match in a unit finishing later was missed in some runs (django, 1 edge in 18k).
    const member = ref({ name: '__init__', candidates: [{ file: null, qualifiedName: 'Field.__init__', resolution: 'local', confidence: 0.9 }] });
    const one = createMemorySymbolIndex([symbol('a.py', 'a.py', 'FILE'), symbol('a.py', 'Field.__init__')]);
    const early = resolveDeferred([member], one, 'as-units-finish', REPO);
    expect(early.settled).toEqual([false]);
    expect(early.edges).toEqual([]);
    const both = createMemorySymbolIndex([symbol('a.py', 'a.py', 'FILE'), symbol('a.py', 'Field.__init__'), symbol('b.py', 'b.py', 'FILE'), symbol('b.py', 'Field.__init__')]);
    expect(resolveDeferred([member], both, 'as-units-finish', REPO).settled).toEqual([false]);
    expect(resolveDeferred([member], both, 'final', REPO).edges.map((e) => e.target)).toEqual(['a.py#Field.__init__', 'b.py#Field.__init__']);
  });

  it('falls back to a unique name only in the final phase', () => {
    const byName = ref({ name: 'only', fallbackToName: true });
    const index = createMemorySymbolIndex([symbol('a.py', 'only')]);
    expect(resolveDeferred([byName], index, 'as-units-finish', REPO).settled).toEqual([false]);
    const final = resolveDeferred([byName], index, 'final', REPO);
    expect(final.edges.map((e) => [e.target, e.resolution, e.confidence])).toEqual([['a.py#only', 'unique-name', 0.5]]);
  });

  it('keeps the definitions a name reaches across calls that share a memo, and keeps them apart by kind', () => {
    const memo = new Map<string, SymbolRecord[]>();
    const index = createMemorySymbolIndex([symbol('a.py', 'run'), symbol('b.py', 'run', 'CLASS')]);
    const call = ref({ name: 'run', fallbackToName: true });
    const type = ref({ name: 'run', kind: 'type', fallbackToName: true });
    const first = resolveDeferred([call, type], index, 'final', REPO, undefined, memo);
    expect(first.edges.map((e) => [e.kind, e.target])).toEqual([['call', 'a.py#run'], ['call', 'b.py#run'], ['type', 'b.py#run']]);
    // A later batch of the same pass asks the memo, not the index (which, in the final pass, would answer alike).
    const later = resolveDeferred([call, type], createMemorySymbolIndex([]), 'final', REPO, undefined, memo);
    expect(later.edges).toEqual(first.edges);
    // Without the memo the empty index reaches nothing.
    expect(resolveDeferred([call, type], createMemorySymbolIndex([]), 'final', REPO).edges).toEqual([]);
  });

  it('links 2-3 same-named definitions as ambiguous and more not at all', () => {
    const byName = ref({ name: 'run', fallbackToName: true });
    const three = resolveDeferred([byName], createMemorySymbolIndex(['a', 'b', 'c'].map((f) => symbol(`${f}.py`, 'run'))), 'final', REPO);
    expect(three.edges.map((e) => [e.target, e.resolution, e.confidence])).toEqual([
      ['a.py#run', 'ambiguous', 0.2], ['b.py#run', 'ambiguous', 0.2], ['c.py#run', 'ambiguous', 0.2],
    ]);
    expect(three.counts.ambiguous).toBe(1);
    const four = resolveDeferred([byName], createMemorySymbolIndex(['a', 'b', 'c', 'd'].map((f) => symbol(`${f}.py`, 'run'))), 'final', REPO);
    expect(four.edges).toEqual([]);
    expect(four.counts.unresolved).toBe(1);
    expect(four.settled).toEqual([true]);
  });

  it('resolves IMPORTS to the FILE node and Go package candidates to any file of the folder', () => {
    const imports = ref({ edge: 'IMPORTS', kind: 'import', name: 'b.py', candidates: [{ file: 'b.py', qualifiedName: 'b.py', resolution: 'import', confidence: 1 }] });
    const pkg = ref({ name: 'Save', language: 'go', candidates: [{ file: 'store/', qualifiedName: 'Save', resolution: 'import', confidence: 0.95 }] });
    const index = createMemorySymbolIndex([symbol('b.py', 'b.py', 'FILE'), symbol('store/x.go', 'Save'), symbol('other/store/y.go', 'Save')]);
    const result = resolveDeferred([imports, pkg], index, 'final', REPO);
    expect(result.edges.map((e) => `${e.type} ${e.target}`)).toEqual(['IMPORTS b.py#b.py', 'REFERENCES store/x.go#Save']);
    expect(namesNeeded([imports, pkg])).toEqual(new Set(['b.py', 'Save']));
  });

  it('answers a Go package candidate before the end once every file of the package is finished', () => {
    const pkg = ref({ name: 'Save', language: 'go', candidates: [{ file: 'store/', qualifiedName: 'Save', resolution: 'import', confidence: 0.95 }] });
    const index = createMemorySymbolIndex([symbol('store/x.go', 'Save'), symbol('store/y.go', 'Load')]);
    // A file of store/ still to parse may declare another Save: wait.
    const waiting = resolveDeferred([pkg], index, 'as-units-finish', REPO, (key) => key !== 'store/');
    expect(waiting.settled).toEqual([false]);
    expect(waiting.edges).toEqual([]);
    expect(resolveDeferred([pkg], index, 'as-units-finish', REPO).settled).toEqual([false]);
    const finished = resolveDeferred([pkg], index, 'as-units-finish', REPO, (key) => key === 'store/');
    expect(finished.settled).toEqual([true]);
    expect(finished.edges).toEqual(resolveDeferred([pkg], index, 'final', REPO).edges);
    expect(finished.edges.map((e) => e.target)).toEqual(['store/x.go#Save']);
  });

  it('counts external references and deduplicates edges by identity, keeping the first line', () => {
    const first = ref({ line: 9, candidates: [{ file: 'b.py', qualifiedName: 'helper', resolution: 'import', confidence: 0.95 }] });
    const second = { ...first, line: 4 };
    const result = resolveDeferred([first, second, ref({ external: true })], createMemorySymbolIndex([symbol('b.py', 'helper')]), 'final', REPO);
    expect(result.edges).toHaveLength(1);
    expect(result.edges[0]!.line).toBe(4);
    expect(result.counts).toEqual({ resolved: 2, ambiguous: 0, unresolved: 0, external: 1 });
  });

  it('answers the same name from two folders each with its own nearest definitions', () => {
    // The name fallback is worked out once per question: the asking folder is part of it.
    const index = createMemorySymbolIndex(['x', 'y', 'z'].map((folder) => symbol(`${folder}/lib.py`, 'run')));
    const fromX = ref({ name: 'run', sourceFile: 'x/main.py', sourceNodeId: 'x', fallbackToName: true });
    const fromY = ref({ name: 'run', sourceFile: 'y/main.py', sourceNodeId: 'y', fallbackToName: true });
    const result = resolveDeferred([fromX, fromY, { ...fromX, sourceNodeId: 'x2' }], index, 'final', REPO);
    expect(result.edges.map((e) => `${e.source} ${e.target} ${e.resolution}`)).toEqual(['x x/lib.py#run ambiguous', 'x2 x/lib.py#run ambiguous', 'y y/lib.py#run ambiguous']);
  });
});

describe('sharedFolders', () => {
  /** The definition it replaced: folders as arrays, compared one by one. */
  function byArrays(a: string, b: string): number {
    const left = a.split('/').slice(0, -1);
    const right = b.split('/').slice(0, -1);
    let shared = 0;
    while (shared < left.length && shared < right.length && left[shared] === right[shared]) shared++;
    return shared;
  }

  it('counts the leading folders two paths share, as comparing them folder by folder does', () => {
    const paths = ['a.go', 'b.go', 'a/x.go', 'a/y.go', 'ab/x.go', 'a/b/x.go', 'a/bc/x.go', 'a/b', 'a/b/', 'a/b/c/d.go', '/a/x.go', '//x.go', 'a//x.go', 'é/ü/x.go', 'é/u/x.go', ''];
    for (const a of paths) for (const b of paths) expect(sharedFolders(a, b), `${a} ~ ${b}`).toBe(byArrays(a, b));
  });
});
