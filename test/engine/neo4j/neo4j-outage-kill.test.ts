// Issue 4: Neo4j stops and the CLI (with its workers) is SIGKILLed while it waits for it; once
// the server is back, `repograph resume` completes the session to the same graph as an
// uninterrupted run. Uses a private server so that stopping it disturbs no other test file.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, fileStatusCounts, makeFixture, newDataDir, until } from '../resume/resume-harness.js';
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
  cli = await buildCli('neo4j-outage-kill');
  fixture = makeFixture({ packages: 5, filesPerPackage: 10 });
  baseline = new Map();
  for (const project of ['neo4j-outage-kill']) {
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
  it('the CLI killed while waiting for Neo4j resumes to the same graph once it is back', async () => {
    const dir = dataDir();
    const run = await parseThenStopServer('neo4j-outage-kill', dir);
    run.killTree();
    await run.exited;
    await server!.start();
    const status = JSON.parse((await runCli(cli, ['status', '--json', '--data-dir', dir])).stdout);
    expect(status.projects[0].sessions[0].stage).toBe('interrupted');
    await resumeAndCompare('neo4j-outage-kill', dir);
  }, 150_000);

});
