// Bootstrap (the SQLite state is gone, the graph is not), cancel with one Ctrl-C, and a folder
// that changed between the interrupted run and the resume: each ends in the same graph as an
// uninterrupted run.
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { PROJECT, exportGraph, fileStatusCounts, makeFixture, parseAndKill, runCli, startCli, useBaseline, useDataDirs } from './resume-harness.js';

const { dataDir } = useDataDirs();
const baseline = useBaseline('bootstrap', dataDir);
const shape = { packages: 5, filesPerPackage: 10 };

async function parseOnce(root: string): Promise<string[]> {
  const dir = dataDir();
  const run = await runCli(baseline.cli, ['parse', root, '--project', PROJECT, '--data-dir', dir, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return exportGraph(baseline.cli, dir);
}

/** The run exits 130 leaving the session `stage` with files pending, and a resume ends in the baseline graph. */
async function expectStoppedThenResumed(run: ReturnType<typeof startCli>, dir: string, stage: 'cancelled' | 'interrupted'): Promise<void> {
  const { code } = await run.exited;
  expect(code, run.stderr()).toBe(130);
  const status = JSON.parse((await runCli(baseline.cli, ['status', '--json', '--data-dir', dir])).stdout);
  expect(status.projects[0].sessions[0].stage).toBe(stage);
  expect(fileStatusCounts(dir).pending ?? 0).toBeGreaterThan(0);
  const resumed = await runCli(baseline.cli, ['resume', '--project', PROJECT, '--data-dir', dir, '--json']);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(await exportGraph(baseline.cli, dir)).toEqual(baseline.graph);
}

describe('bootstrap, cancel and a changed folder', () => {
  it('rebuilds the state from the folder and the target after the SQLite state was deleted', async () => {
    const dir = dataDir();
    const plan = await parseAndKill(baseline.cli, baseline.fixture.root, dir, 0.5);
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `state.sqlite${suffix}`), { force: true });

    const resumed = await runCli(baseline.cli, ['resume', baseline.fixture.root, '--project', PROJECT, '--data-dir', dir, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const bootstrap = resumed.events.find((event) => event.type === 'session.resumed')!;
    expect(bootstrap.kind).toBe('bootstrap');
    expect(bootstrap.filesFoundInTarget).toBeGreaterThan(0);
    expect(bootstrap.filesLeft).toBe((plan.filesTotal as number) - (bootstrap.filesFoundInTarget as number));
    expect(await exportGraph(baseline.cli, dir)).toEqual(baseline.graph);
    const status = JSON.parse((await runCli(baseline.cli, ['status', '--json', '--data-dir', dir])).stdout);
    expect(status.projects[0].sessions[0].resumeMetrics.bootstraps).toBe(1);
  });

  it('one Ctrl-C cancels after the current batch; the session is cancelled and resumes to the same graph', async () => {
    const dir = dataDir();
    const run = startCli(baseline.cli, ['parse', baseline.fixture.root, '--project', PROJECT, '--data-dir', dir, '--json']);
    await run.waitForEvent((event) => event.type === 'unit.progress');
    process.kill(run.child.pid!, 'SIGINT');
    await expectStoppedThenResumed(run, dir, 'cancelled');
  });

  it('a second Ctrl-C quits at once; the session reads interrupted and resumes to the same graph', async () => {
    const dir = dataDir();
    const run = startCli(baseline.cli, ['parse', baseline.fixture.root, '--project', PROJECT, '--data-dir', dir, '--json']);
    await run.waitForEvent((event) => event.type === 'unit.progress');
    process.kill(run.child.pid!, 'SIGINT');
    // Two signals sent back to back merge into one: the second goes once the first was handled.
    await vi.waitFor(() => expect(run.stderr()).toContain('Cancelling after the current batch'), { timeout: 10_000, interval: 20 });
    process.kill(run.child.pid!, 'SIGINT');
    await expectStoppedThenResumed(run, dir, 'interrupted');
  });

  it('re-parses files that changed since the interrupted run', async () => {
    const changed = makeFixture(shape);
    try {
      const dir = dataDir();
      await parseAndKill(baseline.cli, changed.root, dir, 0.6);
      // Every file gets a new top-level function: completed files must be parsed again to show it.
      for (const path of changed.files.filter((file) => file.endsWith('.py'))) appendFileSync(join(changed.root, path), '\ndef added_later():\n    return 1\n');
      const resumed = await runCli(baseline.cli, ['resume', '--project', PROJECT, '--data-dir', dir, '--json']);
      expect(resumed.code, resumed.stderr).toBe(0);
      const event = resumed.events.find((e) => e.type === 'session.resumed')!;
      expect((event.changedFiles as string[]).length).toBeGreaterThan(0);
      expect(await exportGraph(baseline.cli, dir)).toEqual(await parseOnce(changed.root));
    } finally {
      changed.cleanup();
    }
  });
});
