// Issue 4 against the shared Neo4j: bootstrap from Neo4j after the SQLite state was deleted,
// and a definition removed between the kill and the resume, each ending in the same graph
// as an uninterrupted run (of the folder as it is at the end).
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeHelper } from '../resume/fixture-repo.js';
import { buildCli, makeFixture, parseAndKill, readState, useDataDirs, type Fixture } from '../resume/resume-harness.js';
import { deleteProjectFrom, exportProject, neo4jArgs, neo4jEnv, neo4jForTests, runCli, skipReason } from './neo4j-harness.js';

const server = await neo4jForTests();
const run = randomUUID().slice(0, 8);
const projects = { bootstrap: `n4j-boot-${run}`, changed: `n4j-changed-${run}` };
let cli: string;
const { dataDir } = useDataDirs();
const fixtures: Fixture[] = [];
const shape = { packages: 4, filesPerPackage: 10 };

function fixture(): Fixture {
  const made = makeFixture(shape);
  fixtures.push(made);
  return made;
}

/** The embedded store's export of the folder as it is now: what the Neo4j graph must equal. */
async function embeddedExport(root: string, project: string): Promise<string[]> {
  const dir = dataDir();
  const parsed = await runCli(cli, ['parse', root, '--project', project, '--data-dir', dir, '--json']);
  expect(parsed.code, parsed.stderr).toBe(0);
  return exportProject(cli, dir, project);
}

/** Parses into Neo4j and SIGKILLs the CLI and its workers once `share` of the files are done. */
async function parseIntoNeo4jAndKill(root: string, project: string, dir: string, share: number): Promise<void> {
  await parseAndKill(cli, root, dir, share, { project, args: neo4jArgs(server!), env: neo4jEnv(server!) });
}

beforeAll(async () => {
  if (server) cli = await buildCli('neo4j-resume');
}, 60_000);

afterAll(async () => {
  if (server) for (const project of Object.values(projects)) await deleteProjectFrom(server, project);
  for (const made of fixtures) made.cleanup();
});

describe.skipIf(!server)(`resume into Neo4j${server ? '' : ` (SKIPPED: ${skipReason()})`}`, () => {
  it('bootstraps from Neo4j after the SQLite state was deleted', async () => {
    const repo = fixture();
    const project = projects.bootstrap;
    const baseline = await embeddedExport(repo.root, project);
    const dir = dataDir();
    await parseIntoNeo4jAndKill(repo.root, project, dir, 0.5);
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `state.sqlite${suffix}`), { force: true });
    const resumed = await runCli(cli, ['resume', repo.root, '--project', project, '--data-dir', dir, '--json', ...neo4jArgs(server!)], neo4jEnv(server!));
    expect(resumed.code, resumed.stderr).toBe(0);
    const event = resumed.events.find((e) => e.type === 'session.resumed')!;
    expect(event.kind).toBe('bootstrap');
    expect(event.filesFoundInTarget).toBeGreaterThan(0);
    expect(await exportProject(cli, dir, project, neo4jEnv(server!))).toEqual(baseline);
  }, 120_000);

  it('a definition removed between kill and resume is gone from Neo4j', async () => {
    const repo = fixture();
    const project = projects.changed;
    const dir = dataDir();
    await parseIntoNeo4jAndKill(repo.root, project, dir, 0.6);
    const done = readState(dir, (db) => db.prepare(`SELECT path FROM file_state WHERE status = 'completed' AND path LIKE 'py/%' ORDER BY path`).pluck().all() as string[]);
    expect(done.length).toBeGreaterThan(0);
    const removed = removeHelper(repo.root, done[0]!);
    const resumed = await runCli(cli, ['resume', '--project', project, '--data-dir', dir, '--json'], neo4jEnv(server!));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.events.find((e) => e.type === 'session.resumed')!.changedFiles).toEqual([done[0]]);
    const after = await exportProject(cli, dir, project, neo4jEnv(server!));
    expect(after.some((line) => line.includes(`"name":"${removed}"`))).toBe(false);
    expect(after).toEqual(await embeddedExport(repo.root, project));
  }, 120_000);
});
