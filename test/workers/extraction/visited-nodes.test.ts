// The fast walk (descending inside WASM to the node types a language walk acts on) must read
// exactly what the walk through every named child reads: on every fixture, on tricky syntax,
// and on real code when the corpora are here.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, relative } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language as SourceLanguage } from '../../../src/shared/graph-model.js';
import { loadExtractor, type Extractor } from '../../../src/workers/extraction/extractor.js';
import { GO_VISITED_TYPES } from '../../../src/workers/extraction/languages/go.js';
import { JAVA_VISITED_TYPES } from '../../../src/workers/extraction/languages/java.js';
import { JAVASCRIPT_VISITED_TYPES } from '../../../src/workers/extraction/languages/javascript.js';
import { PYTHON_VISITED_TYPES } from '../../../src/workers/extraction/languages/python.js';
import { corpusPath } from '../../helpers/corpus.js';

const LANGUAGE_OF: Record<string, SourceLanguage> = { '.py': 'python', '.go': 'go', '.java': 'java', '.ts': 'typescript', '.tsx': 'typescript', '.js': 'javascript' };

let fast: Extractor;
let everyNode: Extractor;
beforeAll(async () => {
  fast = await loadExtractor();
  everyNode = await loadExtractor({ everyNode: true });
});
afterAll(() => {
  fast.dispose();
  everyNode.dispose();
});

function sourceFiles(root: string, limit = Infinity): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (out.length >= limit) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && LANGUAGE_OF[extname(entry.name)]) out.push(path);
    }
  };
  walk(root);
  return out;
}

/** Paths whose fast extraction differs from the every-node one. */
function differences(root: string, files: readonly string[]): string[] {
  return files.filter((file) => {
    const input = { path: relative(root, file), language: LANGUAGE_OF[extname(file)]! };
    const source = readFileSync(file, 'utf8');
    return JSON.stringify(fast.extract(input, source)) !== JSON.stringify(everyNode.extract(input, source));
  });
}

describe('the fast walk', () => {
  it('reads every fixture exactly as the walk through every node does', () => {
    const root = join(import.meta.dirname, '../resolution/fixtures');
    const files = sourceFiles(root);
    expect(files.length).toBeGreaterThan(20);
    expect(differences(root, files)).toEqual([]);
  });

  it.each([
    ['python', 'a.py', 'f(g(x))\nx = Foo()\nclass A(B):\n    def m(self: "A", y: int = 2):\n        return [z for z in y if h(z)]\n'],
    ['python', 'broken.py', 'def f(:\n    return g(\nclass C(D\n    x = y.z(\n'],
    ['go', 'a.go', 'package a\nfunc f() { g(h(1)); var x T; y := &T{}; y.m(x) }\ntype T struct{ U; *p.V }\nfunc (t *T) m(u p.W) {}\n'],
    ['go', 'broken.go', 'package a\nfunc f( { g(\ntype T struct{\n'],
    ['java', 'A.java', 'package p; import q.R; class A extends B implements C<D> { R r = new R(); void m(int x) { r.n(x).o(); new E<F>() {}; } }'],
    ['javascript', 'a.js', 'const f = () => g(h());\nclass A extends B { m() { this.x = new C(); } }\nconst { x } = require("y");\n'],
    ['typescript', 'a.tsx', 'import { A } from "./a";\nexport const C = (p: A) => <D.E x={f(p)} />;\ninterface I extends J<K> { m(): L }\n'],
  ] as const)('reads tricky %s (%s) exactly as the every-node walk', (language, path, source) => {
    expect(fast.extract({ path, language }, source)).toEqual(everyNode.extract({ path, language }, source));
  });

  it.each([
    ['django', 300],
    ['go', 300],
  ] as const)('reads real code (%s, first %i files) exactly as the every-node walk', (name, limit) => {
    const root = corpusPath(name);
    if (!root) return;
    const files = sourceFiles(root, limit);
    expect(files.length).toBe(limit);
    expect(differences(root, files)).toEqual([]);
  });

  it('names only node types that its grammars have (a misspelt type would never be visited)', async () => {
    await Parser.init();
    const require = createRequire(import.meta.url);
    const grammar = (file: string): Promise<Language> => Language.load(require.resolve(file));
    const python = await grammar('tree-sitter-python/tree-sitter-python.wasm');
    const go = await grammar('tree-sitter-go/tree-sitter-go.wasm');
    const java = await grammar('tree-sitter-java/tree-sitter-java.wasm');
    const tsx = await grammar('tree-sitter-typescript/tree-sitter-tsx.wasm');
    const missing = (types: readonly string[], language: Language): string[] => types.filter((type) => language.idForNodeType(type, true) === null);
    expect(missing(PYTHON_VISITED_TYPES, python)).toEqual([]);
    expect(missing(GO_VISITED_TYPES, go)).toEqual([]);
    expect(missing(JAVA_VISITED_TYPES, java)).toEqual([]);
    expect(missing(JAVASCRIPT_VISITED_TYPES, tsx)).toEqual([]);
  });
});
