// `npm run accuracy -- <folder>... [--check] [--sample N] [--only python|ts/js]`: measures Repograph's REFERENCES
// edges against compiler-grade ground truth (TypeScript compiler API for TS/JS, scip-python
// for Python) and prints precision, recall and F1 per language and per reference kind.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, type Comparison, type Score } from './compare.js';
import { DefinitionMap } from './definition-map.js';
import { pythonTruth, scipIndexFor } from './python-truth.js';
import { repographGraph } from './repograph-graph.js';
import { typescriptTruth } from './typescript-truth.js';

const TARGETS: Record<string, { precision: number; recall: number }> = {
  'ts/js': { precision: 0.95, recall: 0.9 },
  python: { precision: 0.9, recall: 0.7 },
};

const CACHE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '.cache', 'accuracy');

interface Options {
  folders: string[];
  check: boolean;
  sample: number;
  /** Only these language families (`python`, `ts/js`); all when empty. */
  only: string[];
}

function parseArguments(argv: string[]): Options {
  const options: Options = { folders: [], check: false, sample: 15, only: [] };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i]!;
    if (argument === '--check') options.check = true;
    else if (argument === '--sample') options.sample = Number(argv[++i] ?? '15');
    else if (argument === '--only') options.only.push(...(argv[++i] ?? '').split(','));
    else if (argument.startsWith('--')) throw new Error(`Unknown option ${argument}: use <folder>... [--check] [--sample N] [--only python|ts/js]`);
    else options.folders.push(argument);
  }
  if (options.folders.length === 0) throw new Error('No folder given: run `npm run accuracy -- <folder>... [--check] [--sample N] [--only python|ts/js]`');
  return options;
}

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  const rows: { folder: string; family: string; result: Comparison; seconds: number }[] = [];
  for (const folder of options.folders) {
    const root = path.resolve(folder);
    const started = Date.now();
    const graph = await repographGraph(root);
    const definitions = new DefinitionMap(graph.nodes);
    const scriptFiles = graph.files.filter((file) => file.language === 'typescript' || file.language === 'javascript').map((file) => file.path);
    const pythonFiles = graph.files.filter((file) => file.language === 'python').map((file) => file.path);
    const wanted = (family: string): boolean => options.only.length === 0 || options.only.includes(family);
    if (scriptFiles.length > 0 && wanted('ts/js')) {
      const truth = typescriptTruth(root, scriptFiles, definitions);
      rows.push({ folder, family: 'ts/js', result: compare(graph.nodes, graph.references, truth, new Set(scriptFiles)), seconds: (Date.now() - started) / 1000 });
    }
    if (pythonFiles.length > 0 && wanted('python')) {
      const truth = pythonTruth(root, scipIndexFor(root, CACHE_DIR), definitions);
      rows.push({ folder, family: 'python', result: compare(graph.nodes, graph.references, truth, new Set(pythonFiles)), seconds: (Date.now() - started) / 1000 });
    }
  }

  let failed = false;
  for (const row of rows) {
    const target = TARGETS[row.family]!;
    console.log(`\n== ${row.folder} (${row.family}, ${row.seconds.toFixed(1)}s)`);
    console.log(`${'kind'.padEnd(12)} ${'TP'.padStart(6)} ${'FP'.padStart(6)} ${'miss'.padStart(6)} ${'prec'.padStart(6)} ${'recall'.padStart(6)} ${'F1'.padStart(6)}`);
    for (const [kind, score] of row.result.byKind) console.log(line(kind, score));
    console.log(line('ALL', row.result.overall));
    const resolutions = [...row.result.byResolution].map(([name, r]) => `${name} ${r.correct}/${r.edges}`).join(', ');
    console.log(`by resolution (correct/edges): ${resolutions}; false positives the tool could not judge: ${row.result.unjudged}`);
    const precisionOk = row.result.overall.precision >= target.precision;
    const recallOk = row.result.overall.recall >= target.recall;
    console.log(`target precision >= ${target.precision}: ${precisionOk ? 'ok' : 'BELOW'}; recall >= ${target.recall}: ${recallOk ? 'ok' : 'BELOW'}`);
    if (!precisionOk) failed = true;
    if (options.sample > 0) {
      console.log(`sample false positives (${row.result.falsePositives.length}):`);
      for (const entry of sample(row.result.falsePositives, options.sample)) console.log(`  ${entry}`);
      console.log(`sample misses (${row.result.misses.length}):`);
      for (const entry of sample(row.result.misses, options.sample)) console.log(`  ${entry}`);
    }
  }
  return options.check && failed ? 1 : 0;
}

function line(label: string, score: Score): string {
  const ratio = (value: number): string => value.toFixed(3).padStart(6);
  return `${label.padEnd(12)} ${String(score.truePositives).padStart(6)} ${String(score.falsePositives).padStart(6)} ${String(score.misses).padStart(6)} ${ratio(score.precision)} ${ratio(score.recall)} ${ratio(score.f1)}`;
}

/** Evenly spread, so the sample is stable from run to run and covers the whole list. */
function sample(entries: string[], count: number): string[] {
  if (entries.length <= count) return entries;
  const step = entries.length / count;
  return Array.from({ length: count }, (_, i) => entries[Math.floor(i * step)]!);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`accuracy: ${(error as Error).message}`);
    process.exit(2);
  },
);
