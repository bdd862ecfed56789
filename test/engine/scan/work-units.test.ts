import { describe, expect, it } from 'vitest';
import { divideIntoWorkUnits, MIN_FILES_PER_UNIT, type PlannedUnit } from '../../../src/engine/scan/work-units.js';
import type { FileRecord } from '../../../src/shared/session.js';

const DEFAULTS = { maxFilesPerUnit: 5000, targetFilesPerUnit: 3000, workers: 1 };

/** Small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const record = (path: string, size = 10): FileRecord => ({ path, language: 'python', size, mtimeMs: 1 });

/** A random tree: folders of random depth and fan-out, some huge, with files at every level, of sizes from 0 to 1 MiB. */
function randomTree(seed: number, approximateFiles: number): FileRecord[] {
  const next = random(seed);
  const paths = new Set<string>();
  const grow = (folder: string, budget: number, depth: number): void => {
    const own = depth === 0 || next() < 0.3 ? budget : Math.floor(budget * next() * 0.3);
    for (let i = 0; i < own; i++) paths.add(`${folder}f${i}.py`);
    let left = budget - own;
    let child = 0;
    while (left > 0) {
      const share = Math.max(1, Math.min(left, Math.floor(left * next() * 1.2)));
      grow(`${folder}d${child++}/`, share, depth - 1);
      left -= share;
    }
  };
  grow('', approximateFiles, 6);
  // Mostly small files, a few large ones (the weights the planner balances).
  return [...paths].map((path) => record(path, Math.floor(next() ** 4 * 1024 * 1024)));
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const next = random(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function expectEveryFileOnceAndNoUnitOverMax(files: readonly FileRecord[], units: readonly PlannedUnit[], max: number): void {
  const placed = units.flatMap((unit) => unit.files.map((file) => file.path));
  expect(placed).toHaveLength(files.length);
  expect(new Set(placed)).toEqual(new Set(files.map((file) => file.path)));
  for (const unit of units) {
    expect(unit.files.length).toBeGreaterThan(0);
    expect(unit.files.length).toBeLessThanOrEqual(max);
  }
  expect(units.map((unit) => unit.index)).toEqual(units.map((_, i) => i));
  expect(new Set(units.map((unit) => unit.path)).size).toBe(units.length);
}

describe('divideIntoWorkUnits', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('keeps every file exactly once and units under max in random tree #%i', (seed) => {
    const next = random(seed * 7919);
    const files = randomTree(seed, 500 + Math.floor(next() * 30_000));
    const options = {
      maxFilesPerUnit: 200 + Math.floor(next() * 5000),
      targetFilesPerUnit: 0,
      workers: 1 + Math.floor(next() * 8),
    };
    options.targetFilesPerUnit = Math.max(1, Math.floor(options.maxFilesPerUnit * (0.3 + next() * 0.6)));
    const units = divideIntoWorkUnits(files, options);
    console.log(`tree #${seed}: ${files.length} files, ${JSON.stringify(options)} -> ${units.length} units`);
    expectEveryFileOnceAndNoUnitOverMax(files, units, options.maxFilesPerUnit);
    expect(units.length).toBeGreaterThanOrEqual(Math.min(options.workers, Math.floor(files.length / MIN_FILES_PER_UNIT)));
    // Any order of the same files gives the same units.
    expect(divideIntoWorkUnits(shuffled(files, seed), options)).toEqual(units);
    expect(divideIntoWorkUnits([...files].reverse(), options)).toEqual(units);
  });

  it('keeps the files directly inside a split folder of 12k files, and keeps folders together', () => {
    const files: FileRecord[] = [];
    for (let i = 0; i < 1500; i++) files.push(record(`big/own${i}.py`));
    for (const [name, count] of [['a', 4000], ['b', 3500], ['c', 2000], ['d', 600], ['e', 400]] as const) {
      for (let i = 0; i < count; i++) files.push(record(`big/${name}/f${i}.py`));
    }
    files.push(record('setup.py'), record('tools/t.py'));
    const units = divideIntoWorkUnits(files, DEFAULTS);
    expectEveryFileOnceAndNoUnitOverMax(files, units, 5000);
    expect(units.map((unit) => `${unit.path}:${unit.files.length}`)).toEqual([
      '*:1',
      'big/*:1500',
      'big/a:4000',
      'big/b:3500',
      'big/{c,d,e}:3000',
      'tools:1',
    ]);
    const own = units.find((unit) => unit.path === 'big/*')!;
    expect(own.files.every((file) => /^big\/own\d+\.py$/.test(file.path))).toBe(true);
  });

  it('splits one flat folder over max into parts, and a deep folder into its children', () => {
    const flat = Array.from({ length: 12_000 }, (_, i) => record(`flat/f${String(i).padStart(5, '0')}.go`));
    const units = divideIntoWorkUnits(flat, DEFAULTS);
    expectEveryFileOnceAndNoUnitOverMax(flat, units, 5000);
    expect(units.map((unit) => `${unit.path}:${unit.files.length}`)).toEqual([
      'flat/* (part 1 of 4):3000',
      'flat/* (part 2 of 4):3000',
      'flat/* (part 3 of 4):3000',
      'flat/* (part 4 of 4):3000',
    ]);
    const chain = Array.from({ length: 6000 }, (_, i) => record(`a/b/c/${i % 2 ? 'x' : 'y'}/f${i}.py`));
    expect(divideIntoWorkUnits(chain, DEFAULTS).map((unit) => `${unit.path}:${unit.files.length}`)).toEqual([
      'a/b/c/x:3000',
      'a/b/c/y:3000',
    ]);
  });

  it('gives every worker work on a small repo, without units of a few files', () => {
    const files: FileRecord[] = [];
    for (const [name, count] of [['api', 120], ['core', 300], ['ui', 80], ['util', 3], ['docs', 2]] as const) {
      for (let i = 0; i < count; i++) files.push(record(`src/${name}/m${i}.py`));
    }
    for (const workers of [2, 4, 8]) {
      const units = divideIntoWorkUnits(files, { ...DEFAULTS, workers });
      expectEveryFileOnceAndNoUnitOverMax(files, units, 5000);
      expect(units.length).toBeGreaterThanOrEqual(workers);
      for (const unit of units) expect(unit.files.length).toBeGreaterThanOrEqual(MIN_FILES_PER_UNIT);
    }
    expect(divideIntoWorkUnits(files, DEFAULTS).map((unit) => unit.path)).toEqual(['.']);
    expect(divideIntoWorkUnits(files, { ...DEFAULTS, workers: 2 }).map((unit) => `${unit.path}:${unit.files.length}`)).toEqual([
      'src/api:120',
      'src/core:300',
      'src/{docs,ui,util}:85',
    ]);
  });

  it('gives a repo of several rounds of units a multiple of the workers, so no unit runs alone at the end', () => {
    // 30 sibling modules of 500 equal files: 15,000 files, 2 workers, target 3000.
    const files: FileRecord[] = [];
    for (let m = 0; m < 30; m++) for (let i = 0; i < 500; i++) files.push(record(`mod${String(m).padStart(2, '0')}/f${i}.java`));
    const units = divideIntoWorkUnits(files, { ...DEFAULTS, workers: 2 });
    expectEveryFileOnceAndNoUnitOverMax(files, units, 5000);
    // Packed up to 3000 files these would be 5 units, the fifth alone on one worker; as 6, three full rounds.
    expect(units.map((unit) => unit.files.length)).toEqual([2500, 2500, 2500, 2500, 2500, 2500]);
    // One worker has nothing to even out: units stay as large as the target allows.
    expect(divideIntoWorkUnits(files, { ...DEFAULTS, workers: 1 }).map((unit) => unit.files.length)).toEqual([3000, 3000, 3000, 3000, 3000]);
  });

  it('keeps a repo smaller than the minimum unit in one unit, and an empty one in none', () => {
    const files = Array.from({ length: 12 }, (_, i) => record(`p${i % 3}/f${i}.js`));
    expect(divideIntoWorkUnits(files, { ...DEFAULTS, workers: 8 }).map((unit) => unit.path)).toEqual(['.']);
    expect(divideIntoWorkUnits([], { ...DEFAULTS, workers: 8 })).toEqual([]);
  });

  it('balances units by bytes, not file count, and still keeps every unit under max files', () => {
    // Like django: one folder of many small files, and siblings with fewer, larger files.
    const files: FileRecord[] = [];
    for (let i = 0; i < 360; i++) files.push(record(`contrib/m${i}.py`, 4_000));
    for (const name of ['core', 'db', 'forms']) for (let i = 0; i < 120; i++) files.push(record(`${name}/m${i}.py`, 28_000));
    const units = divideIntoWorkUnits(files, { ...DEFAULTS, workers: 2 });
    expectEveryFileOnceAndNoUnitOverMax(files, units, 5000);
    const bytes = units.map((unit) => unit.files.reduce((sum, file) => sum + file.size, 0));
    // By file count contrib (360 files, 1.4 MB) would weigh as much as core+db+forms (10 MB).
    expect(Math.max(...bytes) / Math.min(...bytes)).toBeLessThan(2.5);
    expect(units.find((unit) => unit.path === 'contrib')).toBeUndefined();

    // Heavy files never push a unit over the file limit, and light ones never pull it past it.
    const flat = Array.from({ length: 3000 }, (_, i) => record(`flat/f${String(i).padStart(4, '0')}.go`, i < 10 ? 1_000_000 : 0));
    const parts = divideIntoWorkUnits(flat, { maxFilesPerUnit: 1000, targetFilesPerUnit: 800, workers: 1 });
    expectEveryFileOnceAndNoUnitOverMax(flat, parts, 1000);
    expect(parts[0]!.files.length).toBeLessThan(100);
  });

  it('evens one unit per worker by moving the boundary between neighbours to a folder boundary', () => {
    // Like django's top level: whole folders leave the two units 388 and 454 files apart.
    const files: FileRecord[] = [];
    for (const [folder, count] of [['a', 388], ['b/k', 33], ['b/m', 167], ['b/n', 100], ['b/o', 154]] as const) {
      for (let i = 0; i < count; i++) files.push(record(`${folder}/f${String(i).padStart(3, '0')}.py`));
    }
    const units = divideIntoWorkUnits(files, { ...DEFAULTS, workers: 2 });
    expectEveryFileOnceAndNoUnitOverMax(files, units, 5000);
    expect(units.map((unit) => `${unit.path}:${unit.files.length}`)).toEqual(['a..b/k:421', 'b/m..b/o:421']);
    expect(divideIntoWorkUnits(shuffled(files, 3), { ...DEFAULTS, workers: 2 })).toEqual(units);

    // A unit never grows past the file limit to even its neighbour.
    const capped = divideIntoWorkUnits(files, { maxFilesPerUnit: 400, targetFilesPerUnit: 400, workers: 2 });
    expectEveryFileOnceAndNoUnitOverMax(files, capped, 400);
  });

  it('evens whole rounds of units, never splitting a folder\'s own files', () => {
    // Like Go's source for 2 workers: 4 units, one folder (`cmd`, with subfolders) 1.5 times
    // a unit's target yet under the split threshold, so planned whole it weighed 41% of the repo.
    const files: FileRecord[] = [];
    const add = (folder: string, count: number): void => {
      for (let i = 0; i < count; i++) files.push(record(`${folder}/f${String(i).padStart(3, '0')}.go`));
    };
    for (let m = 0; m < 5; m++) add(`a${m}`, 170);
    for (let m = 0; m < 8; m++) add(`cmd/c${m}`, 230);
    for (let m = 0; m < 15; m++) add(`t${String(m).padStart(2, '0')}`, 170);
    const units = divideIntoWorkUnits(files, { ...DEFAULTS, workers: 2 });
    expectEveryFileOnceAndNoUnitOverMax(files, units, 5000);
    expect(units).toHaveLength(4);
    // Within a folder's size of each other (planned whole: 2.2 times apart).
    const sizes = units.map((unit) => unit.files.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(230);
    const unitOfFolder = new Map<string, Set<number>>();
    for (const unit of units) {
      for (const file of unit.files) {
        const folder = file.path.slice(0, file.path.lastIndexOf('/'));
        unitOfFolder.set(folder, (unitOfFolder.get(folder) ?? new Set()).add(unit.index));
      }
    }
    for (const [folder, indexes] of unitOfFolder) expect([folder, indexes.size]).toEqual([folder, 1]);
    expect(divideIntoWorkUnits(shuffled(files, 7), { ...DEFAULTS, workers: 2 })).toEqual(units);

    // A package whose own files come before and after its subfolder in path order: the even
    // cut in path order (after p/m) would put p's own files into both units.
    const interleaved: FileRecord[] = [];
    for (const [prefix, count] of [['p/a', 150], ['p/m/f', 150], ['p/z', 150], ['q/f', 150]] as const) {
      for (let i = 0; i < count; i++) interleaved.push(record(`${prefix}${String(i).padStart(3, '0')}.go`));
    }
    const halves = divideIntoWorkUnits(interleaved, { ...DEFAULTS, workers: 2 });
    expectEveryFileOnceAndNoUnitOverMax(interleaved, halves, 5000);
    expect(halves.map((unit) => unit.files.length)).toEqual([300, 300]);
    expect(new Set(halves[0]!.files.map((file) => file.path.slice(0, file.path.lastIndexOf('/'))))).toEqual(new Set(['p']));
  });

  it('sorts the files inside a unit by path and refuses a file listed twice', () => {
    const units = divideIntoWorkUnits([record('b/x.py'), record('a.py'), record('a/z.py')], DEFAULTS);
    expect(units[0]!.files.map((file) => file.path)).toEqual(['a.py', 'a/z.py', 'b/x.py']);
    expect(() => divideIntoWorkUnits([record('a.py'), record('a.py')], DEFAULTS)).toThrow(/a\.py is listed twice/);
  });
});
