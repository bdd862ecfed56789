// Files changed or deleted between the kill and the resume: the resume deletes their old nodes
// from the graph (also those of files still pending, whose unit had written its definitions),
// and the files that referenced them are parsed again for their references. The graph equals
// a fresh parse of the changed folder.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { removeHelper } from './fixture-repo.js';
import { PROJECT, buildCli, exportGraph, makeFixture, parseAndKill, parseUntil, readState, runCli, until, useDataDirs } from './resume-harness.js';

let cli: string;

/**
 * A file still pending whose definitions are already in the embedded graph: a unit writes all
 * its definitions before it marks its first batch of files completed. Null when there is none.
 */
function pendingFileWithNodes(dir: string, pathLike = '%'): string | null {
  return readState(dir, (db) => {
    db.exec(`ATTACH DATABASE '${join(dir, 'graph.sqlite').replaceAll("'", "''")}' AS g`);
    const path = db
      .prepare(
        `SELECT f.path FROM file_state f WHERE f.status = 'pending' AND f.path LIKE ?
         AND EXISTS (SELECT 1 FROM g.node n WHERE n.file_path = f.path AND n.label != 'FILE') ORDER BY f.path LIMIT 1`,
      )
      .pluck()
      .get(pathLike) as string | undefined;
    return path ?? null;
  });
}

/** Parses until some files are completed and `pathLike` has a pending file with written definitions, then kills the CLI and its workers. */
async function parseAndKillWithPendingDefinitions(root: string, dir: string, pathLike: string): Promise<string> {
  const { run } = await parseUntil(cli, root, dir, 0.1);
  let pending: string | null = null;
  await until(() => (pending = pendingFileWithNodes(dir, pathLike)) !== null, 60_000, 5);
  run.killTree();
  await run.exited;
  return pending!;
}

const { dataDir } = useDataDirs();
const shape = { packages: 4, filesPerPackage: 8 };

/**
 * Resumes the session in `dir`, then parses the folder afresh into a new data dir: the resumed
 * graph must equal the fresh one, the folder as it is now. Returns the resume's events and graph.
 */
async function resumeEqualsFreshParse(root: string, dir: string): Promise<{ events: Record<string, unknown>[]; after: string[] }> {
  const resumed = await runCli(cli, ['resume', '--project', PROJECT, '--data-dir', dir, '--json']);
  expect(resumed.code, resumed.stderr).toBe(0);
  const after = await exportGraph(cli, dir);
  const fresh = dataDir();
  const parsed = await runCli(cli, ['parse', root, '--project', PROJECT, '--data-dir', fresh, '--json']);
  expect(parsed.code, parsed.stderr).toBe(0);
  expect(after).toEqual(await exportGraph(cli, fresh));
  return { events: resumed.events, after };
}

beforeAll(async () => {
  cli = await buildCli('changed-definition');
}, 60_000);

describe('the folder changed between kill and resume', () => {
  it('a definition removed from a parsed file is gone from the embedded graph after the resume, which equals a fresh parse', async () => {
    const changed = makeFixture(shape);
    try {
      const dir = dataDir();
      await parseAndKill(cli, changed.root, dir, 0.6);
      const done = readState(dir, (db) => db.prepare(`SELECT path FROM file_state WHERE status = 'completed' AND path LIKE 'py/%' ORDER BY path`).pluck().all() as string[]);
      expect(done.length).toBeGreaterThan(0);
      const path = done[0]!;
      const before = await exportGraph(cli, dir);
      const removed = removeHelper(changed.root, path);
      expect(before.some((line) => line.includes(`"name":"${removed}"`))).toBe(true);

      const { events, after } = await resumeEqualsFreshParse(changed.root, dir);
      expect(events.find((event) => event.type === 'session.resumed')!.changedFiles).toEqual([path]);
      expect(after.some((line) => line.includes(`"name":"${removed}"`))).toBe(false);
    } finally {
      changed.cleanup();
    }
  }, 120_000);

  it('a parsed file and a pending one deleted: both leave the graph, and are failed with the reason', async () => {
    const changed = makeFixture(shape);
    try {
      const dir = dataDir();
      const pendingFile = await parseAndKillWithPendingDefinitions(changed.root, dir, '%');
      const parsedFile = readState(dir, (db) => db.prepare(`SELECT path FROM file_state WHERE status = 'completed' ORDER BY path LIMIT 1`).pluck().get() as string);
      const before = await exportGraph(cli, dir);
      for (const path of [parsedFile, pendingFile]) expect(before.some((line) => line.includes(`"file_path":"${path}"`)), path).toBe(true);
      rmSync(join(changed.root, parsedFile));
      rmSync(join(changed.root, pendingFile));

      // Equal to a fresh parse: no import of the deleted files still linked by name either.
      const { after } = await resumeEqualsFreshParse(changed.root, dir);
      for (const path of [parsedFile, pendingFile]) expect(after.some((line) => line.includes(`"file_path":"${path}"`)), path).toBe(false);
      const failed = readState(dir, (db) => db.prepare(`SELECT path, reason FROM file_state WHERE status = 'failed' ORDER BY path`).all());
      expect(failed).toEqual([parsedFile, pendingFile].sort().map((path) => ({ path, reason: 'the file was deleted after the session started' })));
    } finally {
      changed.cleanup();
    }
  }, 120_000);

  it('a definition removed from a file still pending, whose definitions were already written: gone after the resume', async () => {
    const changed = makeFixture(shape);
    try {
      const dir = dataDir();
      const path = await parseAndKillWithPendingDefinitions(changed.root, dir, 'py/%');
      const removed = removeHelper(changed.root, path);
      expect((await exportGraph(cli, dir)).some((line) => line.includes(`"name":"${removed}"`) && line.includes(`"file_path":"${path}"`))).toBe(true);

      const { after } = await resumeEqualsFreshParse(changed.root, dir);
      expect(after.some((line) => line.includes(`"name":"${removed}"`) && line.includes(`"file_path":"${path}"`))).toBe(false);
    } finally {
      changed.cleanup();
    }
  }, 120_000);
});
