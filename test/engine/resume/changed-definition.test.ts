// A file changed between the kill and the resume by removing a definition: the resume deletes
// the file's old nodes before parsing it again, so the removed definition is gone, and the
// files that referenced it are parsed again for their references. The graph equals a fresh
// parse of the changed folder.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeHelper } from './fixture-repo.js';
import { PROJECT, buildCli, exportGraph, fileStatusCounts, makeFixture, newDataDir, readState, runCli, startCli, until } from './resume-harness.js';

let cli: string;
const dataDirs: string[] = [];
const shape = { packages: 4, filesPerPackage: 8 };

function dataDir(): string {
  const dir = newDataDir();
  dataDirs.push(dir);
  return dir;
}

beforeAll(async () => {
  cli = await buildCli('changed-definition');
}, 60_000);

afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('a definition removed between kill and resume', () => {
  it('is gone from the embedded graph after the resume, which equals a fresh parse', async () => {
    const changed = makeFixture(shape);
    try {
      const dir = dataDir();
      const run = startCli(cli, ['parse', changed.root, '--project', PROJECT, '--data-dir', dir, '--json']);
      const plan = await run.waitForEvent((event) => event.type === 'session.plan');
      await until(() => (fileStatusCounts(dir).completed ?? 0) >= (plan.filesTotal as number) * 0.6, 60_000, 5);
      run.killTree();
      await run.exited;
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
