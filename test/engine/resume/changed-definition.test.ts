// A file changed between the kill and the resume by removing a definition: the resume deletes
// the file's old nodes before parsing it again, so the removed definition is gone, and the
// files that referenced it are parsed again for their references. The graph equals a fresh
// parse of the changed folder.
import { beforeAll, describe, expect, it } from 'vitest';
import { removeHelper } from './fixture-repo.js';
import { PROJECT, buildCli, exportGraph, makeFixture, parseAndKill, readState, runCli, useDataDirs } from './resume-harness.js';

let cli: string;
const { dataDir } = useDataDirs();
const shape = { packages: 4, filesPerPackage: 8 };

beforeAll(async () => {
  cli = await buildCli('changed-definition');
}, 60_000);

describe('a definition removed between kill and resume', () => {
  it('is gone from the embedded graph after the resume, which equals a fresh parse', async () => {
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

      const resumed = await runCli(cli, ['resume', '--project', PROJECT, '--data-dir', dir, '--json']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.events.find((event) => event.type === 'session.resumed')!.changedFiles).toEqual([path]);
      const after = await exportGraph(cli, dir);
      expect(after.some((line) => line.includes(`"name":"${removed}"`))).toBe(false);
      const fresh = dataDir();
      const parsed = await runCli(cli, ['parse', changed.root, '--project', PROJECT, '--data-dir', fresh, '--json']);
      expect(parsed.code, parsed.stderr).toBe(0);
      expect(after).toEqual(await exportGraph(cli, fresh));
    } finally {
      changed.cleanup();
    }
  }, 120_000);
});
