// Issue 3 end to end against a real Neo4j: the same export as the embedded store, idempotent
// re-parses, parallel workers without deadlocks, projects isolated in one database,
// test-connection, and the password in no log, state file or CLI output.
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, makeFixture, useDataDirs } from '../resume/resume-harness.js';
import { countNodes, deleteProjectFrom, exportProject, neo4jArgs, neo4jEnv, neo4jForTests, runCli, skipReason } from './neo4j-harness.js';

const server = await neo4jForTests();
const run = randomUUID().slice(0, 8);
const projectA = `n4j-eq-a-${run}`;
const projectB = `n4j-eq-b-${run}`;
const projectW = `n4j-eq-w-${run}`;
const WRONG_PASSWORD = `wrong-${randomUUID()}`;
let cli: string;
let fixture: ReturnType<typeof makeFixture>;
let other: ReturnType<typeof makeFixture>;
let baseline: string[];
const { dataDir, dataDirs } = useDataDirs();
/** Every stdout and stderr of every CLI run in this file, checked for the password at the end. */
const outputs: string[] = [];

async function cliRun(args: string[], env: Record<string, string> = {}) {
  const result = await runCli(cli, args, env);
  outputs.push(result.stdout, result.stderr);
  return result;
}

beforeAll(async () => {
  if (!server) return;
  cli = await buildCli('neo4j-equivalence');
  fixture = makeFixture({ packages: 5, filesPerPackage: 10 });
  other = makeFixture({ packages: 3, filesPerPackage: 6 });
  const dir = dataDir();
  const parsed = await cliRun(['parse', fixture.root, '--project', projectA, '--data-dir', dir, '--json']);
  expect(parsed.code, parsed.stderr).toBe(0);
  baseline = await exportProject(cli, dir, projectA);
  expect(baseline.length).toBeGreaterThan(1000);
}, 120_000);

afterAll(async () => {
  if (server) for (const project of [projectA, projectB, projectW]) await deleteProjectFrom(server, project);
  fixture?.cleanup();
  other?.cleanup();
});

describe.skipIf(!server)(`Neo4j and the embedded store hold the same graph${server ? '' : ` (SKIPPED: ${skipReason()})`}`, () => {
  const neoDir = (): string => dataDirs[1]!;

  it('parses into Neo4j with the same export as the embedded store, and a second parse changes nothing', async () => {
    const dir = dataDir();
    const args = ['parse', fixture.root, '--project', projectA, '--data-dir', dir, '--json', ...neo4jArgs(server!)];
    const first = await cliRun(args, neo4jEnv(server!));
    expect(first.code, first.stderr).toBe(0);
    expect(await exportProject(cli, dir, projectA, neo4jEnv(server!))).toEqual(baseline);
    const counts = await countNodes(server!, projectA);
    expect(counts.nodes).toBeGreaterThan(500);

    const second = await cliRun(args, neo4jEnv(server!));
    expect(second.code, second.stderr).toBe(0);
    expect(await countNodes(server!, projectA)).toEqual(counts);
    const exported = await cliRun(['export', '--format', 'jsonl', '--project', projectA, '--data-dir', dir], neo4jEnv(server!));
    expect(exported.stdout.split('\n').filter(Boolean)).toEqual(baseline);
    const stats = await cliRun(['stats', '--json', '--project', projectA, '--data-dir', dir], neo4jEnv(server!));
    expect(stats.code, stats.stderr).toBe(0);
  }, 120_000);

  it('4 parallel workers on names shared across many files complete without a deadlock', async () => {
    const dir = dataDir();
    const parsed = await cliRun(['parse', fixture.root, '--project', projectW, '--data-dir', dir, '--json', '--workers', '4', ...neo4jArgs(server!)], {
      ...neo4jEnv(server!),
      TARGET_FILES_PER_WORK_UNIT: '10',
    });
    expect(parsed.code, parsed.stderr).toBe(0);
    expect(parsed.stdout + parsed.stderr).not.toMatch(/deadlock/i);
    const logs = readdirSync(join(dir, 'logs')).map((name) => readFileSync(join(dir, 'logs', name), 'utf8')).join('\n');
    expect(logs).not.toMatch(/deadlock/i);
    // Same graph as the embedded store under another project id: same shape, line for line.
    const exported = await exportProject(cli, dir, projectW, neo4jEnv(server!));
    expect(exported.map((line) => line.replaceAll(projectW, projectA))).toHaveLength(baseline.length);
  }, 120_000);

  it('two projects in one database stay isolated', async () => {
    const dir = neoDir();
    const before = await countNodes(server!, projectA);
    const parsedB = await cliRun(['parse', other.root, '--project', projectB, '--data-dir', dir, '--json', ...neo4jArgs(server!)], neo4jEnv(server!));
    expect(parsedB.code, parsedB.stderr).toBe(0);
    const countsB = await countNodes(server!, projectB);
    expect(countsB.nodes).toBeGreaterThan(0);
    expect(await countNodes(server!, projectA)).toEqual(before);
    // Parsing A again replaces A's graph only.
    const again = await cliRun(['parse', fixture.root, '--project', projectA, '--data-dir', dir, '--json', ...neo4jArgs(server!)], neo4jEnv(server!));
    expect(again.code, again.stderr).toBe(0);
    expect(await countNodes(server!, projectB)).toEqual(countsB);
    expect(await exportProject(cli, dir, projectA, neo4jEnv(server!))).toEqual(baseline);
    const exportB = await exportProject(cli, dir, projectB, neo4jEnv(server!));
    expect(exportB.some((line) => line.includes(projectA))).toBe(false);
  }, 120_000);

  it('test-connection prints the version and edition, and a wrong password gets its own error', async () => {
    const ok = await cliRun(['test-connection', ...neo4jArgs(server!)], neo4jEnv(server!));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Connected to Neo4j 5\.\d+\.\d+ \((community|enterprise)\)/);
    const json = await cliRun(['test-connection', '--json', ...neo4jArgs(server!)], neo4jEnv(server!));
    expect(JSON.parse(json.stdout)).toMatchObject({ serverVersion: expect.stringMatching(/^5\./), edition: expect.any(String) });

    const wrong = await cliRun(['test-connection', ...neo4jArgs(server!)], { NEO4J_PASSWORD: WRONG_PASSWORD });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/refused the password for user 'neo4j'/);
    const wrongParse = await cliRun(['parse', other.root, '--project', `${projectB}-wrong`, '--data-dir', dataDir(), '--json', ...neo4jArgs(server!)], {
      NEO4J_PASSWORD: WRONG_PASSWORD,
    });
    expect(wrongParse.code).toBe(1);
    expect(wrongParse.stderr).toMatch(/refused the password/);
  }, 60_000);

  it('the password appears in no session log, state file, status or CLI output', async () => {
    for (const dir of dataDirs) {
      const status = await cliRun(['status', '--json', '--data-dir', dir]);
      expect(status.code, status.stderr).toBe(0);
      const files = [join(dir, 'state.sqlite'), join(dir, 'state.sqlite-wal')].filter(existsSync);
      if (existsSync(join(dir, 'logs'))) files.push(...readdirSync(join(dir, 'logs')).map((name) => join(dir, 'logs', name)));
      for (const file of files) {
        const bytes = readFileSync(file).toString('latin1');
        expect(bytes.includes(server!.password), file).toBe(false);
        expect(bytes.includes(WRONG_PASSWORD), file).toBe(false);
      }
    }
    expect(outputs.length).toBeGreaterThan(20);
    for (const text of outputs) {
      expect(text.includes(server!.password)).toBe(false);
      expect(text.includes(WRONG_PASSWORD)).toBe(false);
    }
  }, 60_000);
});
