// Worker faults: a killed worker fails only its unit, which is retried; a file that kills its
// worker twice is isolated and reported failed, and every other file is in the graph.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT, exportGraph, runCli, startCli, useBaseline, useDataDirs } from './resume-harness.js';

const { dataDir } = useDataDirs();
const baseline = useBaseline('faults', dataDir);

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

/** The baseline without one file: its nodes, and every edge that touches them. */
function withoutFile(lines: readonly string[], path: string): string[] {
  const gone = new Set<string>();
  for (const line of lines) {
    const record = JSON.parse(line) as { type: string; id: string; properties: { file_path?: string } };
    if (record.type === 'node' && record.properties.file_path === path) gone.add(record.id);
  }
  expect(gone.size).toBeGreaterThan(1);
  return lines.filter((line) => {
    const record = JSON.parse(line) as { type: string; id: string; start?: { id: string }; end?: { id: string } };
    if (record.type === 'node') return !gone.has(record.id);
    return !gone.has(record.start!.id) && !gone.has(record.end!.id);
  });
}

describe('worker faults', () => {
  it('a worker killed mid-unit fails only its unit, which is retried to an identical graph', async () => {
    const dir = dataDir();
    // A progress report per parsed file: the kill then lands while a unit is still parsing,
    // before it has written anything (a kill after its last commit would leave nothing to retry).
    const run = startCli(baseline.cli, ['parse', baseline.fixture.root, '--project', PROJECT, '--data-dir', dir, '--json'], { REPOGRAPH_PROGRESS_INTERVAL_MS: '0' });
    await run.waitForEvent((event) => event.type === 'unit.progress' && event.filesDone === 0 && Number(event.filesParsed) > 0);
    // A worker may finish between listing and killing it: try again until a kill lands mid-unit
    // (its unit failed with files still to write, so the retry has work to do).
    const midUnit = (event: Record<string, unknown>): boolean => {
      const unit = event.unit as { filesDone: number; filesTotal: number } | undefined;
      return event.type === 'unit.failed' && unit !== undefined && unit.filesDone < unit.filesTotal;
    };
    for (let tries = 0; tries < 10 && !run.events.some(midUnit); tries++) {
      const worker = childPids(run.child.pid!)[0];
      if (worker !== undefined) {
        try {
          process.kill(worker, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await run.waitForEvent(midUnit, 1500).catch(() => undefined);
    }
    const { code } = await run.exited;
    expect(code, run.stderr()).toBe(0);
    const failed = run.events.filter(midUnit);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed[0]!.willRetry).toBe(true);
    expect(await exportGraph(baseline.cli, dir)).toEqual(baseline.graph);
    const status = JSON.parse((await runCli(baseline.cli, ['status', '--json', '--data-dir', dir])).stdout);
    expect(status.projects[0].sessions[0].resumeMetrics.retriedUnits.length).toBeGreaterThanOrEqual(1);
  });

  it('a poison file is isolated and reported failed; every other file is in the graph', async () => {
    const dir = dataDir();
    const poison = 'web/lib2/file5.ts';
    const run = startCli(baseline.cli, ['parse', baseline.fixture.root, '--project', PROJECT, '--data-dir', dir, '--json'], { REPOGRAPH_TEST_ABORT_ON_FILE: poison });
    const { code } = await run.exited;
    expect(code, run.stderr()).toBe(0);
    const failedFiles = run.events.filter((event) => event.type === 'file.failed');
    expect(failedFiles.map((event) => event.path)).toEqual([poison]);
    expect(String(failedFiles[0]!.reason)).toMatch(/isolated/);
    const summary = run.events.find((event) => event.type === 'summary')!;
    expect(summary.stage).toBe('completed');
    expect((summary.counters as { filesFailed: number }).filesFailed).toBe(1);
    expect(await exportGraph(baseline.cli, dir)).toEqual(withoutFile(baseline.graph, poison));
    const status = JSON.parse((await runCli(baseline.cli, ['status', '--json', '--data-dir', dir])).stdout);
    expect(status.projects[0].sessions[0].resumeMetrics.isolatedFiles).toEqual([expect.objectContaining({ path: poison, crashes: 2 })]);
  });
});
