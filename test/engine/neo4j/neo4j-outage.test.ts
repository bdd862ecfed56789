// Issue 4: Neo4j stops in the middle of a run. The run shows waiting-for-target with the error,
// starts no new unit and completes no file while the server is down, and finishes once the
// server is back, with the same graph as an uninterrupted run. Uses a private server so that
// stopping it cannot disturb other test files.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, fileStatusCounts, makeFixture, newDataDir, until } from '../resume/resume-harness.js';
import { PrivateNeo4j, exportProject, neo4jArgs, neo4jEnv, runCli, startCli } from './neo4j-harness.js';

const server = await PrivateNeo4j.create();
const PROJECT = 'neo4j-outage-pause';
let cli: string;
let fixture: ReturnType<typeof makeFixture>;
let baseline: string[];
const dataDirs: string[] = [];

function dataDir(): string {
  const dir = newDataDir();
  dataDirs.push(dir);
  return dir;
}

beforeAll(async () => {
  cli = await buildCli('neo4j-outage');
  fixture = makeFixture({ packages: 5, filesPerPackage: 10 });
  const dir = dataDir();
  const run = await runCli(cli, ['parse', fixture.root, '--project', PROJECT, '--data-dir', dir, '--json']);
  expect(run.code, run.stderr).toBe(0);
  baseline = await exportProject(cli, dir, PROJECT);
  expect(baseline.length).toBeGreaterThan(1000);
}, 120_000);

afterAll(async () => {
  await server?.dispose();
  fixture?.cleanup();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!server)('Neo4j stops mid-run', () => {
  it('waits for it, then completes with the same graph as an uninterrupted run', async () => {
    const conn = server!.connection;
    const dir = dataDir();
    const run = startCli(cli, ['parse', fixture.root, '--project', PROJECT, '--data-dir', dir, '--json', ...neo4jArgs(conn)], neo4jEnv(conn));
    const plan = await run.waitForEvent((event) => event.type === 'session.plan');
    await until(() => (fileStatusCounts(dir).completed ?? 0) >= (plan.filesTotal as number) * 0.25, 60_000, 5);
    const stoppedAt = Date.now();
    await server!.stop();
    const waiting = await run.waitForEvent((event) => event.type === 'session.stage' && event.stage === 'waiting-for-target', 90_000);
    const detectedMs = Date.now() - stoppedAt;
    expect(waiting.error).toMatch(/^waiting for Neo4j: Neo4j at bolt:\/\/127\.0\.0\.1:\d+ /);
    expect(JSON.stringify(waiting)).not.toContain(conn.password);
    const status = JSON.parse((await runCli(cli, ['status', '--json', '--data-dir', dir])).stdout);
    expect(status.projects[0].sessions[0].stage).toBe('waiting-for-target');

    // While it is down no file is marked completed (their writes cannot have happened).
    const completedWhileDown = fileStatusCounts(dir).completed ?? 0;
    await new Promise((done) => setTimeout(done, 3000));
    expect(fileStatusCounts(dir).completed ?? 0).toBe(completedWhileDown);
    expect(fileStatusCounts(dir).pending ?? 0).toBeGreaterThan(0);

    await server!.start();
    const { code } = await run.exited;
    expect(code, run.stderr()).toBe(0);
    const stages = run.events.filter((event) => event.type === 'session.stage').map((event) => event.stage);
    const wait = stages.indexOf('waiting-for-target');
    expect(stages.slice(wait + 1)).toContain('parsing');
    expect(run.events.find((event) => event.type === 'summary')!.stage).toBe('completed');
    const units = (await runCli(cli, ['status', '--json', '--data-dir', dir])).stdout;
    expect(units).not.toContain(conn.password);
    expect(await exportProject(cli, dir, PROJECT, neo4jEnv(conn))).toEqual(baseline);
    console.info(`outage noticed ${detectedMs} ms after the server stopped`);
  }, 150_000);
});
