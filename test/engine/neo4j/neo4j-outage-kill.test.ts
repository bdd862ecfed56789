// Issue 4: Neo4j stops and the CLI (with its workers) is SIGKILLed while it waits for it; once
// the server is back, `repograph resume` completes the session to the same graph as an
// uninterrupted run. Uses a private server so that stopping it disturbs no other test file.
import { describe, expect, it } from 'vitest';
import { runCli } from './neo4j-harness.js';
import { usePrivateOutage } from './outage-harness.js';

const { server, baseline, dataDir, parseThenStopServer, resumeAndCompare } = await usePrivateOutage('neo4j-outage-kill');

describe.skipIf(!server)('Neo4j stays down', () => {
  it('the CLI killed while waiting for Neo4j resumes to the same graph once it is back', async () => {
    const dir = dataDir();
    const run = await parseThenStopServer(dir);
    run.killTree();
    await run.exited;
    await server!.start();
    const status = JSON.parse((await runCli(baseline.cli, ['status', '--json', '--data-dir', dir])).stdout);
    expect(status.projects[0].sessions[0].stage).toBe('interrupted');
    await resumeAndCompare(dir);
  }, 150_000);
});
