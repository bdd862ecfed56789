// The setup of the tests where Neo4j stays down (neo4j-outage-kill, neo4j-outage-limit): a
// private server they may stop, the uninterrupted baseline, a parse that loses the server a
// quarter of the way through, and the resume that must end in the baseline's graph.
import { afterAll, expect } from 'vitest';
import { parseUntil, useBaseline, useDataDirs, type Baseline } from '../resume/resume-harness.js';
import { PrivateNeo4j, exportProject, neo4jArgs, neo4jEnv, runCli, type CliRun } from './neo4j-harness.js';

export interface OutageSuite {
  /** Null when the launcher is not built: the file's tests are skipped. */
  server: PrivateNeo4j | null;
  baseline: Baseline;
  dataDir: () => string;
  /** Parses into the private server and stops it once a quarter of the files are done; resolves once the run waits for it. */
  parseThenStopServer(dir: string, env?: Record<string, string>): Promise<CliRun>;
  /** `repograph resume`, which must complete and export the baseline's graph. */
  resumeAndCompare(dir: string): Promise<void>;
}

/** Registers the file's hooks; `project` names both the CLI bundle and the project id. */
export async function usePrivateOutage(project: string): Promise<OutageSuite> {
  const server = await PrivateNeo4j.create();
  const { dataDir } = useDataDirs();
  const baseline = useBaseline(project, dataDir, { project });
  afterAll(async () => {
    await server?.dispose();
  });

  async function parseThenStopServer(dir: string, env: Record<string, string> = {}): Promise<CliRun> {
    const conn = server!.connection;
    const { run } = await parseUntil(baseline.cli, baseline.fixture.root, dir, 0.25, { project, args: neo4jArgs(conn), env: { ...neo4jEnv(conn), ...env } });
    await server!.stop();
    await run.waitForEvent((event) => event.type === 'session.stage' && event.stage === 'waiting-for-target', 90_000);
    return run;
  }

  async function resumeAndCompare(dir: string): Promise<void> {
    const conn = server!.connection;
    const resumed = await runCli(baseline.cli, ['resume', '--project', project, '--data-dir', dir, '--json'], neo4jEnv(conn));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.events.find((event) => event.type === 'summary')!.stage).toBe('completed');
    expect(await exportProject(baseline.cli, dir, project, neo4jEnv(conn))).toEqual(baseline.graph);
  }

  return { server, baseline, dataDir, parseThenStopServer, resumeAndCompare };
}
