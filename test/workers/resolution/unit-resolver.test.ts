import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExtractor, type Extractor } from '../../../src/workers/extraction/extractor.js';
import type { FileExtraction } from '../../../src/workers/extraction/file-extraction.js';
import { definitionNodesInOrder, prepareUnit, resolveUnit, resolveUnitFiles } from '../../../src/workers/resolution/unit-resolver.js';
import { describeEdges, describeNodes, extractAll, REPO_ID, resolveInUnits } from './helpers/fixture-graph.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

let extractor: Extractor;
beforeAll(async () => {
  extractor = await loadExtractor();
});
afterAll(() => extractor.dispose());

/** One unit with every file, and one unit per file (everything through the engine): same edges. */
function bothWays(language: string, goModulePath: string | null = null) {
  const extractions = extractAll(extractor, path.join(FIXTURES, language));
  const together = resolveInUnits(extractions, [extractions.map((e) => e.path)], goModulePath);
  const apart = resolveInUnits(extractions, extractions.map((e) => [e.path]), goModulePath);
  expect(describeEdges(apart, ['REFERENCES', 'IMPORTS', 'CONTAINS'])).toEqual(describeEdges(together, ['REFERENCES', 'IMPORTS', 'CONTAINS']));
  expect(apart.edges.slice().sort(byIdentity)).toEqual(together.edges.slice().sort(byIdentity));
  return { extractions, graph: together, apart };
}

function byIdentity(a: { type: string; source: string; target: string; kind?: string }, b: typeof a): number {
  return `${a.type}${a.source}${a.target}${a.kind}`.localeCompare(`${b.type}${b.source}${b.target}${b.kind}`);
}

describe('python', () => {
  it('resolves self calls, shadowing, imports and externals, whatever the unit split', () => {
    const { graph, apart } = bothWays('python');
    expect(describeNodes(graph.nodes)).toEqual([
      'pkg/models.py CLASS class Base 4-6',
      'pkg/models.py CLASS class User 9-19',
      'pkg/models.py CLASS class User.Meta 10-11',
      'pkg/models.py FUNCTION function helper 22-23',
      'pkg/models.py FUNCTION method Base.save 5-6',
      'pkg/models.py FUNCTION method User.helper 13-14',
      'pkg/models.py FUNCTION method User.name 16-19',
      'pkg/service.py FUNCTION function helper 5-6',
      'pkg/service.py FUNCTION function run 9-14',
      'pkg/util.py FUNCTION function helper 1-2',
    ]);
    expect(describeEdges(graph)).toEqual([
      'IMPORTS pkg/service.py -> pkg/models.py',
      'IMPORTS pkg/service.py -> pkg/util.py',
      'REFERENCES call pkg/models.py:User.name -> pkg/models.py:Base.save local 0.9 @19',
      'REFERENCES call pkg/models.py:User.name -> pkg/models.py:User.helper local 1 @18',
      'REFERENCES call pkg/service.py:run -> pkg/models.py:User import 0.95 @10',
      'REFERENCES call pkg/service.py:run -> pkg/models.py:User.helper import 0.95 @11',
      'REFERENCES call pkg/service.py:run -> pkg/service.py:helper local 1 @12',
      'REFERENCES call pkg/service.py:run -> pkg/util.py:helper import 0.95 @13',
      'REFERENCES import pkg/service.py -> pkg/models.py:User import 0.95 @1',
      'REFERENCES inherit pkg/models.py:User -> pkg/models.py:Base local 1 @9',
    ]);
    // os.path.join, print and the `property` decorator are counted, never linked.
    expect(graph.refsExternal).toBe(3);
    expect(apart.refsExternal).toBe(3);
    expect(describeEdges(graph, ['CONTAINS'])).toContain('CONTAINS pkg/models.py -> pkg/models.py:helper');
    expect(describeEdges(graph, ['CONTAINS'])).not.toContain('CONTAINS pkg/models.py:User -> pkg/models.py:helper');
  });
});

describe('typescript and javascript', () => {
  it('resolves arrow functions, class fields, interfaces, imports with extensions and require', () => {
    const { graph } = bothWays('typescript');
    expect(describeNodes(graph.nodes)).toEqual([
      'src/app.tsx FUNCTION function App 4-9',
      'src/app.tsx FUNCTION function View 11-11',
      'src/legacy.js CLASS class Legacy 3-7',
      'src/legacy.js FUNCTION method Legacy.run 4-6',
      'src/shapes.ts CLASS class Circle 15-22',
      'src/shapes.ts CLASS enum Color 10-13',
      'src/shapes.ts FUNCTION function helper 29-31',
      'src/shapes.ts FUNCTION function makeCircle 24-27',
      'src/shapes.ts FUNCTION method Circle.area 19-21',
      'src/shapes.ts FUNCTION method Circle.scale 17-17',
      'src/shapes.ts FUNCTION method Shape.area 5-5',
      'src/shapes.ts INTERFACE interface Shape 4-6',
      'src/shapes.ts INTERFACE type Point 8-8',
      'src/util.ts FUNCTION function helper 1-3',
    ]);
    expect(describeEdges(graph)).toEqual([
      'IMPORTS src/app.tsx -> src/shapes.ts',
      'IMPORTS src/app.tsx -> src/util.ts',
      'IMPORTS src/legacy.js -> src/util.ts',
      'IMPORTS src/shapes.ts -> src/util.ts',
      'REFERENCES call src/app.tsx:App -> src/app.tsx:View local 1 @8',
      'REFERENCES call src/app.tsx:App -> src/shapes.ts:Circle.area import 0.9 @6',
      'REFERENCES call src/app.tsx:App -> src/shapes.ts:makeCircle import 0.95 @5',
      'REFERENCES call src/app.tsx:App -> src/util.ts:helper import 0.95 @7',
      'REFERENCES call src/legacy.js:Legacy.run -> src/util.ts:helper import 0.95 @5',
      'REFERENCES call src/shapes.ts:Circle.area -> src/shapes.ts:helper local 1 @20',
      'REFERENCES call src/shapes.ts:Circle.scale -> src/shapes.ts:Circle.area local 1 @17',
      'REFERENCES call src/shapes.ts:helper -> src/util.ts:helper import 0.95 @30',
      'REFERENCES call src/shapes.ts:makeCircle -> src/shapes.ts:Circle local 1 @26',
      'REFERENCES import src/app.tsx -> src/shapes.ts:Circle import 0.95 @1',
      'REFERENCES import src/app.tsx -> src/shapes.ts:makeCircle import 0.95 @1',
      'REFERENCES import src/app.tsx -> src/util.ts:helper import 0.95 @2',
      'REFERENCES import src/legacy.js -> src/util.ts:helper import 0.95 @1',
      'REFERENCES import src/shapes.ts -> src/util.ts:helper import 0.95 @1',
      'REFERENCES inherit src/shapes.ts:Circle -> src/shapes.ts:Shape local 1 @15',
      'REFERENCES type src/app.tsx:App -> src/shapes.ts:Circle import 0.95 @5',
      'REFERENCES type src/shapes.ts:makeCircle -> src/shapes.ts:Circle local 1 @24',
    ]);
  });
});

describe('java', () => {
  it('resolves overloads, same-package types, imports and calls by declared receiver type', () => {
    const { graph } = bothWays('java');
    const root = 'src/main/java/com/acme/';
    expect(describeNodes(graph.nodes).map((line) => line.replace(root, ''))).toEqual([
      'Animal.java FUNCTION method Animal.sound 4-4',
      'Animal.java INTERFACE interface Animal 3-5',
      'Cat.java CLASS class Cat 3-7',
      'Cat.java FUNCTION method Cat.sound 4-6',
      'Dog.java CLASS class Dog 5-34',
      'Dog.java CLASS class Dog.Puppy 25-29',
      'Dog.java CLASS class Dog.Tag 33-33',
      'Dog.java CLASS enum Dog.Size 31-31',
      'Dog.java FUNCTION constructor Dog.Dog 12-14',
      'Dog.java FUNCTION constructor Dog.Dog 8-10',
      'Dog.java FUNCTION method Dog.Puppy.sound 26-28',
      'Dog.java FUNCTION method Dog.bark 21-23',
      'Dog.java FUNCTION method Dog.sound 16-19',
      'app/Main.java CLASS class Main 6-14',
      'app/Main.java FUNCTION method Main.main 7-13',
    ]);
    expect(describeEdges(graph).map((line) => line.replaceAll(root, ''))).toEqual([
      'IMPORTS app/Main.java -> Cat.java',
      'IMPORTS app/Main.java -> Dog.java',
      'REFERENCES call Dog.java:Dog.sound -> Dog.java:Dog.bark local 1 @18',
      'REFERENCES call app/Main.java:Main.main -> Cat.java:Cat import 0.95 @9',
      'REFERENCES call app/Main.java:Main.main -> Cat.java:Cat.sound import 0.95 @11',
      'REFERENCES call app/Main.java:Main.main -> Dog.java:Dog import 0.95 @8',
      'REFERENCES call app/Main.java:Main.main -> Dog.java:Dog.sound import 0.95 @10',
      'REFERENCES import app/Main.java -> Cat.java:Cat import 0.95 @4',
      'REFERENCES import app/Main.java -> Dog.java:Dog import 0.95 @3',
      'REFERENCES inherit Cat.java:Cat -> Animal.java:Animal local 0.9 @3',
      'REFERENCES inherit Dog.java:Dog -> Animal.java:Animal local 0.9 @5',
      'REFERENCES inherit Dog.java:Dog.Puppy -> Dog.java:Dog local 1 @25',
      'REFERENCES type app/Main.java:Main.main -> Cat.java:Cat import 0.95 @9',
      'REFERENCES type app/Main.java:Main.main -> Dog.java:Dog import 0.95 @8',
    ]);
    // Two constructors with one qualified name: distinct, ordinal-keyed ids.
    const constructors = graph.nodes.filter((n) => n.qualified_name === 'Dog.Dog');
    expect(new Set(constructors.map((n) => n.node_id)).size).toBe(2);
  });
});

describe('go', () => {
  it('resolves methods by receiver type, package-qualified calls and same-package names', () => {
    const { graph } = bothWays('go', 'example.com/shop');
    expect(describeNodes(graph.nodes)).toEqual([
      'cart.go CLASS struct Cart 9-11',
      'cart.go CLASS struct Item 13-15',
      'cart.go FUNCTION function NewCart 31-33',
      'cart.go FUNCTION method Cart.Add 21-24',
      'cart.go FUNCTION method Cart.Total 26-29',
      'cart.go FUNCTION method Totaler.Total 18-18',
      'cart.go INTERFACE interface Totaler 17-19',
      'order.go CLASS struct Order 3-3',
      'order.go FUNCTION function Checkout 9-14',
      'order.go FUNCTION method Order.Total 5-7',
      'store/store.go FUNCTION function Save 3-5',
    ]);
    expect(describeEdges(graph)).toEqual([
      'REFERENCES call cart.go:Cart.Add -> cart.go:Cart.Total local 1 @23',
      'REFERENCES call cart.go:Cart.Total -> store/store.go:Save import 0.95 @28',
      'REFERENCES call order.go:Checkout -> cart.go:Cart.Add unique-name 0.5 @11',
      'REFERENCES call order.go:Checkout -> cart.go:NewCart local 0.9 @10',
      'REFERENCES call order.go:Checkout -> order.go:Order.Total local 1 @13',
      'REFERENCES type cart.go:Cart -> cart.go:Item local 1 @10',
      'REFERENCES type cart.go:Cart.Add -> cart.go:Cart local 1 @21',
      'REFERENCES type cart.go:Cart.Add -> cart.go:Item local 1 @21',
      'REFERENCES type cart.go:Cart.Total -> cart.go:Cart local 1 @26',
      'REFERENCES type cart.go:NewCart -> cart.go:Cart local 1 @31',
      'REFERENCES type order.go:Checkout -> cart.go:Item local 0.9 @11',
      'REFERENCES type order.go:Checkout -> order.go:Order local 1 @12',
      'REFERENCES type order.go:Order.Total -> order.go:Order local 1 @5',
    ]);
    expect(describeEdges(graph, ['CONTAINS'])).toContain('CONTAINS cart.go:Cart -> cart.go:Cart.Total');
  });
});

describe('resume', () => {
  it('gives the same edges when some files of the unit were completed earlier', () => {
    const extractions = extractAll(extractor, path.join(FIXTURES, 'python'));
    const paths = new Set(extractions.map((e) => e.path));
    const resolve = (now: FileExtraction[], known: FileExtraction[]) => {
      const knownSymbols = known.length === 0 ? [] : [...resolveUnit({ repoId: REPO_ID, extractions: known, knownSymbols: [], fileExists: (p) => paths.has(p) }).values()].flatMap((g) => g.symbols);
      return resolveUnit({ repoId: REPO_ID, extractions: now, knownSymbols, fileExists: (p) => paths.has(p) });
    };
    const full = resolve(extractions, []).get('pkg/service.py')!;
    const service = extractions.filter((e) => e.path === 'pkg/service.py');
    const resumed = resolve(service, extractions.filter((e) => e.path !== 'pkg/service.py')).get('pkg/service.py')!;
    expect(resumed).toEqual(full);
    expect(resumed.deferred.every((d) => d.edge === 'IMPORTS')).toBe(true);
  });

  it('defers an import whose file is in another unit, with the file as candidate', () => {
    const extractions = extractAll(extractor, path.join(FIXTURES, 'python'));
    const paths = new Set(extractions.map((e) => e.path));
    const graph = resolveUnit({ repoId: REPO_ID, extractions: extractions.filter((e) => e.path === 'pkg/service.py'), knownSymbols: [], fileExists: (p) => paths.has(p) }).get('pkg/service.py')!;
    const utilCall = graph.deferred.find((d) => d.edge === 'REFERENCES' && d.name === 'helper' && d.line === 13);
    expect(utilCall).toMatchObject({ kind: 'call', line: 13, fallbackToName: true, candidates: [{ file: 'pkg/util.py', qualifiedName: 'helper', resolution: 'import', confidence: 0.95 }] });
    expect(graph.deferred.filter((d) => d.edge === 'IMPORTS').map((d) => d.candidates[0]!.file)).toEqual(['pkg/models.py', 'pkg/util.py']);
  });
});

describe('python: the chosen folder is itself a package', () => {
  // What a user gets by picking .../site-packages/shop rather than the folder above it.
  const files: Record<string, string> = {
    '__init__.py': '',
    'db/__init__.py': '',
    'db/models.py': 'class Model:\n    def save(self):\n        pass\n\ndef helper():\n    pass\n',
    'views.py': 'from shop.db.models import Model\nimport shop.db.models\n\ndef show():\n    Model().save()\n    shop.db.models.helper()\n',
  };
  const extractions = (): FileExtraction[] =>
    Object.entries(files).map(([file, source]) => extractor.extract({ path: file, language: 'python' }, source));

  it('resolves imports of the package by its own name from inside it', () => {
    const graph = resolveInUnits(extractions(), [['__init__.py', 'db/__init__.py', 'db/models.py'], ['views.py']], null, 'shop');
    const edges = describeEdges(graph);
    expect(edges).toContain('IMPORTS views.py -> db/models.py');
    expect(edges).toContain('REFERENCES call views.py:show -> db/models.py:Model import 0.95 @5');
    expect(edges).toContain('REFERENCES import views.py -> db/models.py:Model import 0.95 @1');
    expect(edges.filter((edge) => edge.includes('@6'))).toEqual(['REFERENCES call views.py:show -> db/models.py:helper import 0.95 @6']);
  });

  it('leaves them external when the folder is not known to be that package', () => {
    const graph = resolveInUnits(extractions(), [Object.keys(files)], null, null);
    expect(describeEdges(graph).filter((edge) => edge.includes('views.py'))).toEqual([]);
  });
});

describe("go: Go's own source, module std", () => {
  const extract = (files: Record<string, string>): FileExtraction[] =>
    Object.entries(files).map(([file, source]) => extractor.extract({ path: file, language: 'go' }, source));

  it('resolves imports of standard packages by their path under src/', () => {
    const extractions = extract({
      'fmt/print.go': 'package fmt\n\nfunc Println(a ...any) {}\n',
      'net/http/server.go': 'package http\n\nimport (\n\t"fmt"\n\t"golang.org/x/net/idna"\n)\n\nfunc Serve() {\n\tfmt.Println()\n\tidna.ToASCII("")\n}\n',
    });
    const graph = resolveInUnits(extractions, [['fmt/print.go'], ['net/http/server.go']], 'std');
    expect(describeEdges(graph)).toEqual(['REFERENCES call net/http/server.go:Serve -> fmt/print.go:Println import 0.95 @9']);
    // golang.org/x/net/idna is a module elsewhere: counted external, never linked.
    expect(graph.refsExternal).toBe(1);
  });

  it('resolves them from a folder inside the standard library too, and leaves the rest external', () => {
    const extractions = extract({
      'url/url.go': 'package url\n\nfunc Parse(s string) {}\n',
      'http/client.go': 'package http\n\nimport (\n\t"fmt"\n\t"net/url"\n)\n\nfunc Get() {\n\turl.Parse("")\n\tfmt.Println()\n}\n',
    });
    const graph = resolveInUnits(extractions, [Object.keys({ 'url/url.go': 0, 'http/client.go': 0 })], 'std/net');
    expect(describeEdges(graph)).toEqual(['REFERENCES call http/client.go:Get -> url/url.go:Parse import 0.95 @9']);
    expect(graph.refsExternal).toBe(1);
  });
});

describe('file by file (how a worker writes)', () => {
  it('yields the same graphs as the whole-unit resolution, in path order, after definitions listed in that order', () => {
    const extractions = [...extractAll(extractor, path.join(FIXTURES, 'python')), ...extractAll(extractor, path.join(FIXTURES, 'go'))].reverse();
    const paths = new Set(extractions.map((e) => e.path));
    const input = { repoId: REPO_ID, extractions, knownSymbols: [], fileExists: (p: string) => paths.has(p) };
    const whole = resolveUnit(input);
    const prepared = prepareUnit(REPO_ID, extractions);
    const graphs = [...resolveUnitFiles(input, prepared)];
    expect(graphs.length).toBeGreaterThan(5);
    const sortedPaths = [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(graphs.map((graph) => graph.fileNode.file_path)).toEqual(sortedPaths);
    expect(graphs).toEqual(sortedPaths.map((p) => whole.get(p)));
    // Written before any edge: every definition an edge inside the unit can end at.
    expect(definitionNodesInOrder(extractions, prepared)).toEqual(graphs.flatMap((graph) => graph.definitions));
  });
});
