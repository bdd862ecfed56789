// Issue 5: the host is killed mid-run (SIGKILL of serve and its workers, like a crash); started
// again, it offers Resume, and the resumed run yields the graph an uninterrupted run yields.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectedCounts, resultsCounts, sessionStage, startParseFromUi, unitRows, waitForStage } from '../helpers/app-page.js';
import { chromiumMissingReason, saveScreenshot } from '../helpers/chromium.js';
import { createFixtureRepo, type FixtureRepo } from '../helpers/fixture-repo.js';
import { exportJsonl, graphStats, projectStatus, runRepograph, type StatusUnit } from '../helpers/repograph-cli.js';
import { useServedApp } from '../helpers/served-app.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipping e2e/browser/resume-after-kill.spec.ts: ${missing}`);

describe.skipIf(missing !== null)('browser host: killed mid-run, then resumed', () => {
  // Each test starts its own serve on the same data dir.
  const app = useServedApp('repograph-e2e-resume-', { startServeFirst: false });
  let referenceDataDir: string;
  let fixture: FixtureRepo;
  let sessionId: string;
  let unitsAtKill: StatusUnit[] = [];

  beforeAll(async () => {
    referenceDataDir = join(app.workDir, 'reference-data');
    fixture = await createFixtureRepo(join(app.workDir, 'repo'));
    // The uninterrupted run to compare with: the same folder, same engine settings, its own data dir.
    await runRepograph(['parse', fixture.root, '--data-dir', referenceDataDir, '--json']);
  });

  it('leaves an interrupted session when the host is killed while units run', async () => {
    const serve = await app.startServe();
    await app.page.goto(serve.url);
    await startParseFromUi(app.page, fixture.root);

    // Kill once some units are done and others are running: the rest is what Resume must finish.
    // One poll reads all three, since a unit's row can show completed a moment before the next
    // unit's row shows running.
    const midRun = async (): Promise<boolean> =>
      (await unitRows(app.page, 'completed').count()) >= 2 && (await unitRows(app.page, 'running').count()) > 0 && (await sessionStage(app.page)) === 'parsing';
    await expect.poll(midRun, { timeout: 120_000, interval: 50 }).toBe(true);
    await saveScreenshot(app.page, 'run-mid-run');
    await serve.killGroup();

    const [session] = (await projectStatus(app.dataDir, fixture.root)).sessions;
    expect(session?.stage).toBe('interrupted');
    sessionId = session!.id;
    unitsAtKill = session!.units;
    const completed = unitsAtKill.filter((unit) => unit.status === 'completed');
    expect(completed.length).toBeGreaterThanOrEqual(2);
    expect(completed.length).toBeLessThan(unitsAtKill.length);
    expect(session!.counters.filesDone).toBeLessThan(fixture.totalFiles);
  });

  it('shows the Resume banner after a restart, and Resume completes the run', async () => {
    const serve = await app.startServe();
    await app.page.goto(serve.url);

    const banner = app.page.getByTestId('resume-banner');
    await banner.waitFor();
    const text = (await banner.textContent()) ?? '';
    expect(text).toContain('interrupted');
    expect(text).toContain(`of ${fixture.totalFiles} files`);

    await app.page.getByTestId('resume-button').click();
    await waitForStage(app.page, 'completed');
    await expect.poll(() => unitRows(app.page, 'completed').count()).toBe(unitsAtKill.length);
    expect(await unitRows(app.page).count()).toBe(unitsAtKill.length);
    await expect.poll(() => banner.count()).toBe(0);

    const [session] = (await projectStatus(app.dataDir, fixture.root)).sessions;
    expect(session?.id).toBe(sessionId);
    expect(session?.stage).toBe('completed');
    expect(session?.resumes).toBe(1);
    expect(session?.counters.filesDone).toBe(fixture.totalFiles);
    // Resume finishes only what was missing: units completed before the kill were not run again.
    for (const before of unitsAtKill.filter((unit) => unit.status === 'completed')) {
      const after = session!.units.find((unit) => unit.id === before.id);
      expect(after, `unit ${before.path}`).toMatchObject({ status: 'completed', attempts: before.attempts });
    }
  });

  it('ends with the same graph as an uninterrupted run', async () => {
    const [resumed, reference] = await Promise.all([graphStats(app.dataDir, fixture.root), graphStats(referenceDataDir, fixture.root)]);
    expect(resumed).toEqual(reference);
    const [resumedGraph, referenceGraph] = await Promise.all([exportJsonl(app.dataDir, fixture.root), exportJsonl(referenceDataDir, fixture.root)]);
    expect(referenceGraph.split('\n').length).toBeGreaterThan(fixture.totalFiles);
    // Byte-identical: same node ids, properties and edges, in the same order.
    expect(resumedGraph === referenceGraph).toBe(true);

    await app.page.getByTestId('view-results').click();
    expect(await resultsCounts(app.page, reference)).toEqual(expectedCounts(reference));
  });
});
