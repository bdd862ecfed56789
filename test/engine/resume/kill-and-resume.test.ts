// SIGKILL of the whole process tree (the CLI and its workers) at several moments, then
// `repograph resume`: the export must equal an uninterrupted run's, and the resume must parse
// no more than what was not completed at the kill (plus one batch per unit).
import { describe, expect, it } from 'vitest';
import {
  PROJECT,
  exportGraph,
  fileStatusCounts,
  filesHandedToWorkers,
  readState,
  runCli,
  seededRandom,
  startCli,
  until,
  useBaseline,
  useDataDirs,
} from './resume-harness.js';

const { dataDir } = useDataDirs();
const baseline = useBaseline('kill', dataDir, { minLines: 1000 });

async function resumeAndCompare(dir: string): Promise<{ sessionId: string; handed: number; pendingAtKill: number; units: number; events: Record<string, unknown>[] }> {
  const pendingAtKill = fileStatusCounts(dir).pending ?? 0;
  const since = Date.now();
  const resumed = await runCli(baseline.cli, ['resume', '--project', PROJECT, '--data-dir', dir, '--json']);
  expect(resumed.code, resumed.stderr).toBe(0);
  const summary = resumed.events.find((event) => event.type === 'summary')!;
  expect(summary.stage).toBe('completed');
  expect(await exportGraph(baseline.cli, dir)).toEqual(baseline.graph);
  const sessionId = summary.sessionId as string;
  const units = readState(dir, (db) => db.prepare(`SELECT COUNT(*) FROM work_unit`).pluck().get() as number);
  return { sessionId, handed: filesHandedToWorkers(dir, sessionId, since), pendingAtKill, units, events: resumed.events };
}

/** Starts a parse and SIGKILLs the CLI and its workers as soon as the session enters `stage`. */
async function parseAndKillAtStage(dir: string, stage: string): Promise<void> {
  const run = startCli(baseline.cli, ['parse', baseline.fixture.root, '--project', PROJECT, '--data-dir', dir, '--json']);
  await run.waitForEvent((event) => event.type === 'session.stage' && event.stage === stage);
  run.killTree();
  await run.exited;
}

describe('kill the whole process tree, then resume', () => {
  it('during scanning', async () => {
    const dir = dataDir();
    await parseAndKillAtStage(dir, 'scanning');
    const status = await runCli(baseline.cli, ['status', '--json', '--data-dir', dir]);
    const session = JSON.parse(status.stdout).projects[0].sessions[0];
    expect(session.stage).toBe('interrupted');
    await resumeAndCompare(dir);
  });

  const random = seededRandom(20240611);
  const points = [random(), random()].map((r) => 0.1 + r * 0.7);
  for (const point of points) {
    it(`during parsing, after ${Math.round(point * 100)}% of the files`, async () => {
      const dir = dataDir();
      const run = startCli(baseline.cli, ['parse', baseline.fixture.root, '--project', PROJECT, '--data-dir', dir, '--json']);
      const plan = await run.waitForEvent((event) => event.type === 'session.plan');
      const killAt = Math.max(1, Math.floor((plan.filesTotal as number) * point));
      await until(() => (fileStatusCounts(dir).completed ?? 0) >= killAt, 60_000, 5);
      run.killTree();
      await run.exited;
      const status = await runCli(baseline.cli, ['status', '--json', '--data-dir', dir]);
      expect(JSON.parse(status.stdout).projects[0].sessions[0].stage).toBe('interrupted');
      const { handed, pendingAtKill, units } = await resumeAndCompare(dir);
      const batch = 40;
      expect(pendingAtKill).toBeGreaterThan(0);
      expect(handed).toBeLessThanOrEqual(pendingAtKill + units * batch);
      const resumes = JSON.parse((await runCli(baseline.cli, ['status', '--json', '--data-dir', dir])).stdout).projects[0].sessions[0].resumeMetrics.resumes;
      expect(resumes).toBe(1);
    });
  }

  // The coordinator waits at the named point (REPOGRAPH_TEST_PAUSE_AT), so the kill lands there
  // and not wherever a fast machine has got to by the time the test reacts.
  const resolvingKills = [
    { point: 'resolving', title: 'as cross-unit resolution starts, before the links held back are written', waitFor: (event: Record<string, unknown>) => event.type === 'session.stage' && event.stage === 'resolving' },
    { point: 'final-pass', title: 'during cross-unit resolution, after the links held back are written', waitFor: (event: Record<string, unknown>) => event.type === 'resolve.progress' },
  ];
  for (const kill of resolvingKills) {
    it(kill.title, async () => {
      const dir = dataDir();
      const run = startCli(baseline.cli, ['parse', baseline.fixture.root, '--project', PROJECT, '--data-dir', dir, '--json'], { REPOGRAPH_TEST_PAUSE_AT: kill.point });
      await run.waitForEvent(kill.waitFor);
      run.killTree();
      await run.exited;
      // References no pass has settled yet: the ones the resume's final pass must read, no more.
      const openAtKill = readState(dir, (db) =>
        db.prepare(`SELECT COUNT(*) FROM deferred_ref d JOIN session s ON s.id = d.session_id WHERE d.resolved = 0 AND d.id > s.final_settled_through`).pluck().get() as number,
      );
      if (kill.point === 'resolving') expect(openAtKill).toBeGreaterThan(0);
      const { handed, events } = await resumeAndCompare(dir);
      expect(handed).toBe(0);
      // The final pass says how far it got, from 0 to every reference it found open, while resolving.
      const types = events.map((event) => (event.type === 'session.stage' ? `stage:${event.stage as string}` : (event.type as string)));
      const progress = events.filter((event) => event.type === 'resolve.progress');
      expect(progress.length).toBeGreaterThanOrEqual(1);
      expect(progress.map((event) => event.referencesTotal)).toEqual(progress.map(() => openAtKill));
      expect(progress[0]!.referencesDone).toBe(0);
      expect(progress.at(-1)!.referencesDone).toBe(openAtKill);
      expect(types.indexOf('resolve.progress')).toBeGreaterThan(types.indexOf('stage:resolving'));
      expect(types.lastIndexOf('resolve.progress')).toBeLessThan(types.indexOf('stage:aggregating'));
    });
  }
});
