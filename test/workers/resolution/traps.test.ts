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
function references(folder: string): string[] {
  const extractions = extractAll(extractor, path.join(FIXTURES, folder));
  const together = describeEdges(resolveInUnits(extractions, [extractions.map((e) => e.path)]), ['REFERENCES']);
  const apart = describeEdges(resolveInUnits(extractions, extractions.map((e) => [e.path])), ['REFERENCES']);
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
// `export *` chains are followed by name, hence unique-name.
const EXPECTED_TYPESCRIPT = [
  'REFERENCES call src/app.ts:main -> src/area.ts:area import 0.95 @11',
  'REFERENCES call src/app.ts:main -> src/shapes.ts:Square unique-name 0.5 @9',
  'REFERENCES call src/app.ts:main -> src/shapes.ts:Square.size unique-name 0.5 @11',
  'REFERENCES call src/shapes.ts:Square.size -> src/shapes.ts:Shape.area local 0.9 @9',
  'REFERENCES import src/app.ts -> src/shapes.ts:Square unique-name 0.5 @1',
  'REFERENCES inherit src/shapes.ts:Square -> src/shapes.ts:Shape local 1 @7',
];
