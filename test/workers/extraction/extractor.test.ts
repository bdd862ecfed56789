import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExtractor, type Extractor } from '../../../src/workers/extraction/extractor.js';
import { definitionNodeId } from '../../../src/workers/extraction/node-id.js';
import { resolveUnit } from '../../../src/workers/resolution/unit-resolver.js';

let extractor: Extractor;
beforeAll(async () => {
  extractor = await loadExtractor();
});
afterAll(() => extractor.dispose());

const PYTHON = `class A:
    def m(self):
        return 1


def after():
    return A()
`;

function definitions(path: string, language: 'python' | 'javascript' | 'typescript' | 'java' | 'go', source: string): string[] {
  return extractor
    .extract({ path, language }, source)
    .definitions.map((d) => `${d.label} ${d.kind} ${d.qualifiedName} ${d.startLine}-${d.endLine} parent=${d.parent}`);
}

describe('extraction', () => {
  it('does not attribute a top-level function after a class to the class', () => {
    expect(definitions('a.py', 'python', PYTHON)).toEqual([
      'CLASS class A 1-3 parent=-1',
      'FUNCTION method A.m 2-3 parent=0',
      'FUNCTION function after 6-7 parent=-1',
    ]);
  });

  it('gives identical output for the same source twice', () => {
    const first = extractor.extract({ path: 'a.py', language: 'python' }, PYTHON);
    const second = extractor.extract({ path: 'a.py', language: 'python' }, PYTHON);
    expect(second).toEqual(first);
    expect(first.lineCount).toBe(7);
  });

  it('keeps node ids when a definition moves down', () => {
    const ids = (source: string) =>
      [...resolveUnit({ repoId: 'r', extractions: [extractor.extract({ path: 'a.py', language: 'python' }, source)], knownSymbols: [], fileExists: () => false }).values()][0]!
        .definitions.map((n) => `${n.qualified_name}=${n.node_id}`);
    const moved = `\n\n\n# a comment\n${PYTHON}`;
    expect(ids(moved)).toEqual(ids(PYTHON));
    expect(ids(PYTHON)[0]).toBe(`A=${definitionNodeId('r', 'a.py', 'A', 0)}`);
  });

  it('includes decorators in a Python span and nests classes', () => {
    const source = `@dataclass\nclass Outer:\n    class Inner:\n        @staticmethod\n        def make():\n            pass\n`;
    expect(definitions('a.py', 'python', source)).toEqual([
      'CLASS class Outer 1-6 parent=-1',
      'CLASS class Outer.Inner 3-6 parent=0',
      'FUNCTION method Outer.Inner.make 4-6 parent=1',
    ]);
  });

  it('names const arrow functions and function-valued class fields, in TSX too', () => {
    const source = `export const f = () => 1;\nconst g = function () {};\nclass C {\n  h = () => <div />;\n  static k = 2;\n}\n`;
    expect(definitions('a.tsx', 'typescript', source)).toEqual([
      'FUNCTION function f 1-1 parent=-1',
      'FUNCTION function g 2-2 parent=-1',
      'CLASS class C 3-6 parent=-1',
      'FUNCTION method C.h 4-4 parent=2',
    ]);
  });

  it('reads Go methods by receiver, structs, interfaces and named types', () => {
    const source = `package p\n\nfunc (s *S) Run() {}\n\ntype S struct{}\n\ntype ID string\n\ntype Alias = S\n`;
    expect(definitions('p/a.go', 'go', source)).toEqual([
      'FUNCTION method S.Run 3-3 parent=1',
      'CLASS struct S 5-5 parent=-1',
      'CLASS type ID 7-7 parent=-1',
      'INTERFACE type Alias 9-9 parent=-1',
    ]);
  });

  it('records references with receiver chains and imports', () => {
    const source = `import os\nfrom .m import x as y\n\ndef f():\n    os.path.join()\n    y()\n`;
    const extraction = extractor.extract({ path: 'p/a.py', language: 'python' }, source);
    expect(extraction.imports).toEqual([
      { module: 'os', names: [], moduleAlias: null, wildcard: false, isStatic: false, line: 1 },
      { module: '.m', names: [{ name: 'x', alias: 'y' }], moduleAlias: null, wildcard: false, isStatic: false, line: 2 },
    ]);
    expect(extraction.references).toEqual([
      { source: 0, name: 'join', qualifier: ['os', 'path'], receiverType: null, kind: 'call', line: 5 },
      { source: 0, name: 'y', qualifier: [], receiverType: null, kind: 'call', line: 6 },
    ]);
  });

  it('extracts a larger file quickly (parse-dominated)', () => {
    const body = Array.from({ length: 2000 }, (_, i) => `class C${i}:\n    def m(self):\n        return helper(self.x, C${i}())\n`).join('\n');
    const started = performance.now();
    const extraction = extractor.extract({ path: 'big.py', language: 'python' }, body);
    const elapsed = performance.now() - started;
    expect(extraction.definitions).toHaveLength(4000);
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('a lazy extractor (a worker)', () => {
  it('loads the grammars of the files it is given, and says so when asked to parse another', async () => {
    const lazy = await loadExtractor({ lazy: true });
    try {
      expect(() => lazy.extract({ path: 'a.py', language: 'python' }, PYTHON)).toThrow(/python grammar is not loaded.*a\.py/);
      await lazy.load([
        { path: 'a.py', language: 'python' },
        { path: 'b.tsx', language: 'typescript' },
      ]);
      expect(lazy.extract({ path: 'a.py', language: 'python' }, PYTHON)).toEqual(extractor.extract({ path: 'a.py', language: 'python' }, PYTHON));
      // .tsx takes the TSX grammar, not the TypeScript one.
      const tsx = 'export const B = () => <div/>;\n';
      expect(lazy.extract({ path: 'b.tsx', language: 'typescript' }, tsx)).toEqual(extractor.extract({ path: 'b.tsx', language: 'typescript' }, tsx));
      expect(() => lazy.extract({ path: 'c.ts', language: 'typescript' }, 'class C {}\n')).toThrow(/typescript grammar is not loaded/);
      expect(() => lazy.extract({ path: 'main.go', language: 'go' }, 'package main\n')).toThrow(/go grammar is not loaded/);
    } finally {
      lazy.dispose();
    }
  });
});
