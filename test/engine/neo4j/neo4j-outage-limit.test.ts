// Issue 4: Neo4j stays down past the outage limit (REPOGRAPH_TARGET_OUTAGE_LIMIT_MS): the session
// ends interrupted without charging any unit an attempt, and once the server is back
// `repograph resume` completes it to the same graph as an uninterrupted run.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, fileStatusCounts, makeFixture, newDataDir, readState, until } from '../resume/resume-harness.js';
import { PrivateNeo4j, exportProject, neo4jEnv, neo4jArgs, runCli, startCli } from './neo4j-harness.js';

const server = await PrivateNeo4j.create();
let cli: string;
let fixture: ReturnType<typeof makeFixture>;
let baseline: Map<string, string[]>;
const dataDirs: string[] = [];

function dataDir(): string {
  const dir = newDataDir();
  dataDirs.push(dir);
  return dir;
}

beforeAll(async () => {
  cli = await buildCli('neo4j-outage-limit');
  fixture = makeFixture({ packages: 5, filesPerPackage: 10 });
  baseline = new Map();
  for (const project of ['neo4j-outage-limit']) {
    const dir = dataDir();
    const run = await runCli(cli, ['parse', fixture.root, '--project', project, '--data-dir', dir, '--json']);
    expect(run.code, run.stderr).toBe(0);
    baseline.set(project, await exportProject(cli, dir, project));
  }
}, 120_000);

afterAll(async () => {
  await server?.dispose();
  fixture?.cleanup();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** Parses into the private server and stops it once a quarter of the files are done. */
async function parseThenStopServer(project: string, dir: string, env: Record<string, string> = {}) {
  const conn = server!.connection;
  const run = startCli(cli, ['parse', fixture.root, '--project', project, '--data-dir', dir, '--json', ...neo4jArgs(conn)], { ...neo4jEnv(conn), ...env });
  const plan = await run.waitForEvent((event) => event.type === 'session.plan');
  await until(() => (fileStatusCounts(dir).completed ?? 0) >= (plan.filesTotal as number) * 0.25, 60_000, 5);
  await server!.stop();
  await run.waitForEvent((event) => event.type === 'session.stage' && event.stage === 'waiting-for-target', 90_000);
  return run;
}

async function resumeAndCompare(project: string, dir: string): Promise<void> {
  const conn = server!.connection;
  const resumed = await runCli(cli, ['resume', '--project', project, '--data-dir', dir, '--json'], neo4jEnv(conn));
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.events.find((event) => event.type === 'summary')!.stage).toBe('completed');
  expect(await exportProject(cli, dir, project, neo4jEnv(conn))).toEqual(baseline.get(project));
}

describe.skipIf(!server)('Neo4j stays down', () => {
  it('past the outage limit the session is interrupted without charging attempts, and resumes', async () => {
    const dir = dataDir();
    const run = await parseThenStopServer('neo4j-outage-limit', dir, { REPOGRAPH_TARGET_OUTAGE_LIMIT_MS: '4000' });
    const { code } = await run.exited;
    expect(code).toBe(1);
    const summary = run.events.find((event) => event.type === 'summary')!;
    expect(summary.stage).toBe('interrupted');
    expect(summary.error).toMatch(/did not answer for \d+ s .*repograph resume/);
    const units = readState(dir, (db) => db.prepare(`SELECT status, attempts FROM work_unit`).all() as { status: string; attempts: number }[]);
    expect(units.filter((unit) => unit.status === 'failed')).toEqual([]);
    expect(Math.max(...units.map((unit) => unit.attempts))).toBeLessThanOrEqual(1);
    expect(fileStatusCounts(dir).pending ?? 0).toBeGreaterThan(0);
    await server!.start();
    await resumeAndCompare('neo4j-outage-limit', dir);
  }, 180_000);
});
