// End to end on real code from Debian's packages: every parseable file (counted independently
// of the scanner, with find) becomes one FILE node, and parsing again into a fresh data dir,
// with another number of workers and so other work units, gives a byte-identical export.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { corpusPath } from '../helpers/corpus.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

/** Parseable files by find: the extensions we parse, not declaration files, at most 1 MiB, outside excluded folders. */
function independentCount(root: string): number {
  const prune = ['vendor', 'node_modules', '.git', '__pycache__', '.venv', 'venv', '.tox'];
  const pruneArgs = prune.flatMap((name, i) => [...(i ? ['-o'] : []), '-name', name]);
  const extensions = ['py', 'go', 'java', 'js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx'];
  const nameArgs = extensions.flatMap((ext, i) => [...(i ? ['-o'] : []), '-name', `*.${ext}`]);
  const out = execFileSync('find', [root, '(', ...pruneArgs, ')', '-prune', '-o', '-type', 'f', '(', ...nameArgs, ')', '-size', '-1025k', '-print'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out
    .split('\n')
    .filter(Boolean)
    .filter((path) => !/\.d\.[mc]?ts$/.test(path))
    .filter((path) => readFileSync(path).length <= 1024 * 1024).length;
}

async function parseAndExport(
  root: string,
  dataDir: string,
  workers: number,
): Promise<{ summary: { counters: { filesDone: number; filesFailed: number } }; units: number; exported: string }> {
  const parse = await runCli(['parse', root, '--data-dir', dataDir, '--json', '--workers', String(workers)], {}, 600_000);
  expect(parse.stderr).not.toContain('Error');
  expect(parse.code).toBe(0);
  const events = parse.stdout.trim().split('\n').map((line) => JSON.parse(line));
  const summary = events.find((line) => line.type === 'summary');
  const units = new Set(events.filter((line) => line.type === 'unit.started').map((line) => line.unit.id)).size;
  const out = join(dataDir, 'export.jsonl');
  const exported = await runCli(['export', root, '--data-dir', dataDir, '--format', 'jsonl', '--out', out]);
  expect(exported.code).toBe(0);
  return { summary, units, exported: readFileSync(out, 'utf8') };
}

describe.each(['django', 'go'] as const)('a real parse of %s', (name) => {
  it('has one FILE node per parseable file and exports byte-identically from a fresh data dir and other work units', { timeout: 900_000 }, async () => {
    const root = corpusPath(name);
    if (!root) return;
    const first = await parseAndExport(root, tempDir(), 2);
    const expectedFiles = independentCount(root);
    const fileNodes = first.exported.split('\n').filter((line) => line.startsWith('{"type":"node",') && line.includes('"labels":["NODE","FILE"]')).length;
    console.log(`${name}: ${expectedFiles} parseable files by find, ${fileNodes} FILE nodes, ${first.exported.split('\n').length - 1} export lines`);
    expect(first.summary.counters.filesFailed).toBe(0);
    expect(first.summary.counters.filesDone).toBe(expectedFiles);
    expect(fileNodes).toBe(expectedFiles);
    // Other units: references resolved inside one unit in the first parse are resolved across
    // units in the second, and the graph must not depend on that.
    const second = await parseAndExport(root, tempDir(), 3);
    console.log(`${name}: ${first.units} work units with 2 workers, ${second.units} with 3`);
    expect(second.units).not.toBe(first.units);
    expect(second.exported === first.exported).toBe(true);
  });
});
