// The traps name-based resolvers fall into: same-named definitions in two modules with only one
// imported, self/this methods next to a same-named free function, shadowing by a local,
// re-exports, and method calls on receivers of unknown type (never linked by name).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExtractor, type Extractor } from '../../../src/workers/extraction/extractor.js';
import { describeEdges, extractAll, resolveInUnits } from './helpers/fixture-graph.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

let extractor: Extractor;
beforeAll(async () => {
  extractor = await loadExtractor();
});
afterAll(() => extractor.dispose());

/** REFERENCES edges, the same whether all files share a unit or each has its own. */
function references(folder: string, goModulePath: string | null = null): string[] {
  const extractions = extractAll(extractor, path.join(FIXTURES, folder));
  const together = describeEdges(resolveInUnits(extractions, [extractions.map((e) => e.path)], goModulePath), ['REFERENCES']);
  const apart = describeEdges(resolveInUnits(extractions, extractions.map((e) => [e.path]), goModulePath), ['REFERENCES']);
  expect(apart).toEqual(together);
  return together;
}

describe('resolution traps', () => {
  it('python: imports pick one of two same-named functions, self beats a free function, locals shadow', () => {
    expect(references('python-traps')).toEqual(EXPECTED_PYTHON);
  });

  it('typescript: this-calls reach the base class, export * re-exports, namespace imports, unknown receivers stay unlinked', () => {
    expect(references('typescript-traps')).toEqual(EXPECTED_TYPESCRIPT);
  });

  it('typescript: receivers typed by fields, parameter properties, return types and callback signatures, across files and extends', () => {
    expect(references('typescript-types')).toEqual(EXPECTED_TYPESCRIPT_TYPES);
  });

  it('java: each call of an overloaded name goes to its receiver\'s class, never to every same-named method', () => {
    expect(references('java-traps')).toEqual(EXPECTED_JAVA);
  });

  it('go: same-named methods on two types follow each variable\'s type; embedded structs promote methods', () => {
    expect(references('go-traps', 'example.com/traps')).toEqual(EXPECTED_GO);
  });

  it('python: cls.method() is the class\'s method, Foo() is the class', () => {
    expect(references('python-classes')).toEqual(EXPECTED_PYTHON_CLASSES);
  });
});

// No edge to views.render (not imported), views.area (shadowed by the local `area`),
// other.append (`items.append` has an unknown receiver), shapes.area (self.area is the method),
// nor legacy/shapes.py:Circle (the package `app` re-exports app/shapes.py's Circle).
const EXPECTED_PYTHON = [
  'REFERENCES call app/shapes.py:Circle.grow -> app/shapes.py:Circle.area local 1 @6',
  'REFERENCES call app/views.py:page -> app/other.py:render import 0.95 @14',
  'REFERENCES call app/views.py:page -> app/shapes.py:Circle ambiguous 0.35 @17',
  'REFERENCES import app/__init__.py -> app/shapes.py:Circle import 0.95 @1',
  'REFERENCES import app/views.py -> app/other.py:render import 0.95 @2',
  'REFERENCES import app/views.py -> app/shapes.py:Circle ambiguous 0.35 @1',
];
// No edge to app.ts:area (geometry.area is the namespace import's) nor anything for list.push.
// `export *` chains are followed to the defining file (resolution import), and `sq.size()` through
// the variable's type into that file (a member found by following types: 0.9).
const EXPECTED_TYPESCRIPT = [
  'REFERENCES call src/app.ts:main -> src/area.ts:area import 0.95 @11',
  'REFERENCES call src/app.ts:main -> src/shapes.ts:Square import 0.95 @9',
  'REFERENCES call src/app.ts:main -> src/shapes.ts:Square.size import 0.9 @11',
  'REFERENCES call src/shapes.ts:Square.size -> src/shapes.ts:Shape.area local 0.9 @9',
  'REFERENCES import src/app.ts -> src/shapes.ts:Square import 0.95 @1',
  'REFERENCES inherit src/shapes.ts:Square -> src/shapes.ts:Shape local 1 @7',
];

// Printer.print has two overloads (both linked, the same method name in one class); Logger.print
// is reached only through `logger`. Same-package classes resolve without an import (local 0.9).
const EXPECTED_JAVA = [
  'REFERENCES call com/shop/Report.java:Report -> com/shop/Printer.java:Printer local 0.9 @4',
  'REFERENCES call com/shop/Report.java:Report.send -> com/shop/Logger.java:Logger.print local 0.9 @8',
  'REFERENCES call com/shop/Report.java:Report.send -> com/shop/Printer.java:Printer.print local 0.9 @7',
  'REFERENCES call com/shop/Report.java:Report.send -> com/shop/Printer.java:Printer.print local 0.9 @7',
  'REFERENCES type com/shop/Report.java:Report -> com/shop/Printer.java:Printer local 0.9 @4',
  'REFERENCES type com/shop/Report.java:Report.send -> com/shop/Logger.java:Logger local 0.9 @6',
];
// `sq.Area()` and `c.Area()` each reach their own type's method through the package-qualified
// variable type. The promoted `l.Describe()` (Labeled embeds Base) is found by its unique name:
// the embedding chain is not followed into another package yet.
const EXPECTED_GO = [
  'REFERENCES call main.go:describe -> shapes/shapes.go:Base.Describe unique-name 0.5 @13',
  'REFERENCES call main.go:total -> shapes/shapes.go:Circle.Area import 0.95 @8',
  'REFERENCES call main.go:total -> shapes/shapes.go:Square.Area import 0.95 @8',
  'REFERENCES inherit shapes/shapes.go:Labeled -> shapes/shapes.go:Base local 1 @16',
  'REFERENCES type main.go:describe -> shapes/shapes.go:Labeled import 0.95 @12',
  'REFERENCES type main.go:total -> shapes/shapes.go:Circle import 0.95 @7',
  'REFERENCES type main.go:total -> shapes/shapes.go:Square import 0.95 @6',
  'REFERENCES type shapes/shapes.go:Base.Describe -> shapes/shapes.go:Base local 1 @13',
  'REFERENCES type shapes/shapes.go:Circle.Area -> shapes/shapes.go:Circle local 1 @9',
  'REFERENCES type shapes/shapes.go:Square.Area -> shapes/shapes.go:Square local 1 @5',
];
// `cls.default_name()` is the classmethod, never the free function of the same name; `Animal()`
// is the class.
// keeper.py's Keeper has no bases, so its super().__init__() is object's: no edge to the
// same-named legacy.py:Keeper.__init__.
const EXPECTED_PYTHON_CLASSES = [
  'REFERENCES call zoo/animals.py:Animal.create -> zoo/animals.py:Animal.default_name local 1 @4',
  'REFERENCES call zoo/keeper.py:adopt -> zoo/animals.py:Animal import 0.95 @5',
  'REFERENCES import zoo/keeper.py -> zoo/animals.py:Animal import 0.95 @1',
];

// `Sink` is imported through index.ts's `export *` yet points at sink.ts; `start` is inherited from
// Base in a third file; `make()!` has make's declared return type (`Sink | undefined`); `sink` in
// the callback takes its type from operate's signature.
const EXPECTED_TYPESCRIPT_TYPES = [
  'REFERENCES call src/app.ts:Pipe.callback -> src/base.ts:Base.start import 0.9 @24',
  'REFERENCES call src/app.ts:Pipe.callback -> src/lift.ts:operate import 0.95 @24',
  'REFERENCES call src/app.ts:Pipe.constructor -> src/sink.ts:Sink import 0.95 @8',
  'REFERENCES call src/app.ts:Pipe.field -> src/sink.ts:Sink.next import 0.9 @12',
  'REFERENCES call src/app.ts:Pipe.property -> src/base.ts:Base.start import 0.9 @16',
  'REFERENCES call src/app.ts:Pipe.returned -> src/lift.ts:make import 0.95 @20',
  'REFERENCES call src/app.ts:Pipe.returned -> src/sink.ts:Sink.next import 0.9 @20',
  'REFERENCES call src/lift.ts:make -> src/sink.ts:Sink import 0.95 @6',
  'REFERENCES import src/app.ts -> src/lift.ts:make import 0.95 @1',
  'REFERENCES import src/app.ts -> src/lift.ts:operate import 0.95 @1',
  'REFERENCES import src/app.ts -> src/sink.ts:Sink import 0.95 @2',
  'REFERENCES import src/lift.ts -> src/sink.ts:Sink import 0.95 @1',
  'REFERENCES import src/sink.ts -> src/base.ts:Base import 0.95 @1',
  'REFERENCES inherit src/sink.ts:Sink -> src/base.ts:Base import 0.95 @3',
  'REFERENCES type src/app.ts:Pipe -> src/sink.ts:Sink import 0.95 @5',
  'REFERENCES type src/app.ts:Pipe.constructor -> src/sink.ts:Sink import 0.95 @7',
  'REFERENCES type src/lift.ts:make -> src/sink.ts:Sink import 0.95 @5',
  'REFERENCES type src/lift.ts:operate -> src/sink.ts:Sink import 0.95 @3',
];
