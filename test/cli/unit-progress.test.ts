// A unit parses all its files before it writes any: its progress must show the parsing too,
// not sit at 0 until the writes begin.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { generateFixtureRepo } from '../engine/resume/fixture-repo.js';

const work = mkdtempSync(join(tmpdir(), 'repograph-progress-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('unit progress', () => {
  it('reports files parsed before any is written, then files written, in order', async () => {
    const root = join(work, 'repo');
    generateFixtureRepo(root, { packages: 4, filesPerPackage: 15 });
    // A report per file, so the test does not depend on how fast this machine parses.
    const run = await runCli(['parse', root, '--data-dir', join(work, 'data'), '--json', '--workers', '1'], { REPOGRAPH_PROGRESS_INTERVAL_MS: '0' });
    expect(run.code, run.stderr).toBe(0);
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, number | string>);
    const progress = events.filter((event) => event.type === 'unit.progress');
    const total = events.find((event) => event.type === 'session.plan')!.filesTotal as number;
    expect(total).toBeGreaterThan(100);

    const parsing = progress.filter((event) => event.filesDone === 0);
    // One report before each file.
    expect(parsing.length).toBe(total);
    expect(parsing.map((event) => event.filesParsed)).toEqual([...parsing.map((event) => event.filesParsed)].sort((a, b) => Number(a) - Number(b)));
    expect(Math.max(...parsing.map((event) => Number(event.filesParsed)))).toBe(total - 1);

    // Then the writes: every file parsed, files done growing to the total.
    const writing = progress.slice(parsing.length);
    expect(writing.length).toBeGreaterThan(0);
    expect(writing.every((event) => event.filesParsed === total)).toBe(true);
    expect(writing.at(-1)!.filesDone).toBe(total);
  });

  it('writes the embedded store in batches of REPOGRAPH_EMBEDDED_BATCH_SIZE, not the Neo4j batch size', async () => {
    const root = join(work, 'batches');
    generateFixtureRepo(root, { packages: 2, filesPerPackage: 15 });
    const writeSteps = async (name: string, env: Record<string, string>): Promise<number[]> => {
      const run = await runCli(['parse', root, '--data-dir', join(work, name), '--json', '--workers', '1'], { REPOGRAPH_PROGRESS_INTERVAL_MS: '0', ...env });
      expect(run.code, run.stderr).toBe(0);
      const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, number | string>);
      return events.filter((event) => event.type === 'unit.progress' && Number(event.filesDone) > 0).map((event) => Number(event.filesDone));
    };
    // Small embedded batches: the files are marked done a few at a time.
    const small = await writeSteps('small-batches', { REPOGRAPH_EMBEDDED_BATCH_SIZE: '20', NEO4J_BATCH_SIZE: '100000' });
    expect(small.length).toBeGreaterThan(5);
    expect(small).toEqual([...small].sort((a, b) => a - b));
    // The default embedded batch holds this whole repo, whatever the Neo4j batch size.
    const large = await writeSteps('default-batches', { NEO4J_BATCH_SIZE: '20' });
    expect(large).toEqual([small.at(-1)]);
  });
});
