// Issue 4: Neo4j stops in the middle of a run. The run shows waiting-for-target with the error,
// starts no new unit and completes no file while the server is down, and finishes once the
// server is back, with the same graph as an uninterrupted run. Uses a private server so that
// stopping it cannot disturb other test files.
import { afterAll, describe, expect, it } from 'vitest';
import { fileStatusCounts, parseUntil, useBaseline, useDataDirs } from '../resume/resume-harness.js';
import { PrivateNeo4j, exportProject, neo4jArgs, neo4jEnv, runCli } from './neo4j-harness.js';

const server = await PrivateNeo4j.create();
const PROJECT = 'neo4j-outage-pause';
const { dataDir } = useDataDirs();
const baseline = useBaseline('neo4j-outage', dataDir, { project: PROJECT, minLines: 1000 });

afterAll(async () => {
  await server?.dispose();
});

describe.skipIf(!server)('Neo4j stops mid-run', () => {
  it('waits for it, then completes with the same graph as an uninterrupted run', async () => {
    const conn = server!.connection;
    const dir = dataDir();
    const { run } = await parseUntil(baseline.cli, baseline.fixture.root, dir, 0.25, { project: PROJECT, args: neo4jArgs(conn), env: neo4jEnv(conn) });
    const stoppedAt = Date.now();
    await server!.stop();
    const waiting = await run.waitForEvent((event) => event.type === 'session.stage' && event.stage === 'waiting-for-target', 90_000);
    const detectedMs = Date.now() - stoppedAt;
    expect(waiting.error).toMatch(/^waiting for Neo4j: Neo4j at bolt:\/\/127\.0\.0\.1:\d+ /);
    expect(JSON.stringify(waiting)).not.toContain(conn.password);
    const status = JSON.parse((await runCli(baseline.cli, ['status', '--json', '--data-dir', dir])).stdout);
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
    const units = (await runCli(baseline.cli, ['status', '--json', '--data-dir', dir])).stdout;
    expect(units).not.toContain(conn.password);
    expect(await exportProject(baseline.cli, dir, PROJECT, neo4jEnv(conn))).toEqual(baseline.graph);
    console.info(`outage noticed ${detectedMs} ms after the server stopped`);
  }, 150_000);
});
