// Issue 5: a folder parsed through the browser UI; every unit completes and the Results screen
// shows exactly what `repograph stats --json` reports for the same data dir.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectedCounts, resultsCounts, startParseFromUi, unitRows, waitForStage } from '../helpers/app-page.js';
import { chromiumMissingReason, saveScreenshot } from '../helpers/chromium.js';
import { createFixtureRepo, type FixtureRepo } from '../helpers/fixture-repo.js';
import { graphStats, projectStatus } from '../helpers/repograph-cli.js';
import { useServedApp } from '../helpers/served-app.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipping e2e/browser/parse-and-results.spec.ts: ${missing}`);

describe.skipIf(missing !== null)('browser host: parse a folder through the UI', () => {
  const app = useServedApp('repograph-e2e-parse-');
  let fixture: FixtureRepo;

  beforeAll(async () => {
    fixture = await createFixtureRepo(join(app.workDir, 'repo'));
  });

  it('runs every work unit to completed', async () => {
    await app.page.goto(app.serve.url);
    await app.page.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
    await expect.poll(() => app.page.getByText('No projects yet').count()).toBe(1);

    await startParseFromUi(app.page, fixture.root);
    await waitForStage(app.page, 'completed');

    const [session] = (await projectStatus(app.dataDir, fixture.root)).sessions;
    expect(session?.stage).toBe('completed');
    expect(session?.counters.filesDone).toBe(fixture.totalFiles);
    const unitCount = session?.units.length ?? 0;
    // Small units on purpose: the run must have spread over several workers' worth of units.
    expect(unitCount).toBeGreaterThanOrEqual(8);
    await expect.poll(() => unitRows(app.page, 'completed').count()).toBe(unitCount);
    expect(await unitRows(app.page).count()).toBe(unitCount);
    expect(await app.page.getByTestId('run-progress').getAttribute('aria-valuenow')).toBe('100');
  });

  it('shows on the Results screen the counts `repograph stats --json` reports', async () => {
    await app.page.getByTestId('view-results').click();
    const stats = await graphStats(app.dataDir, fixture.root);
    expect(stats.files).toEqual({ parsed: fixture.totalFiles, skipped: 0, failed: 0 });
    expect(stats.languages).toEqual(fixture.filesByLanguage);
    expect(Object.keys(stats.nodesByLabel).sort()).toEqual(['CLASS', 'FILE', 'FUNCTION', 'INTERFACE']);
    expect(stats.edgesByType.REFERENCES ?? 0).toBeGreaterThan(0);

    expect(await resultsCounts(app.page, stats)).toEqual(expectedCounts(stats));
    await saveScreenshot(app.page, 'results');
  });

  it('lists the project as completed on the Projects screen', async () => {
    await app.page.getByTestId('nav-projects').click();
    const card = app.page.getByTestId('project-card');
    await card.waitFor();
    expect(await card.count()).toBe(1);
    await expect.poll(async () => (await card.getByTestId('project-stage').textContent())?.trim()).toBe('completed');
    expect(await card.textContent()).toContain(fixture.root);
    await saveScreenshot(app.page, 'projects');

    // The card's Results button opens the same numbers.
    await card.getByTestId('open-results').click();
    await app.page.getByTestId('results-total-nodes').waitFor();
    const stats = await graphStats(app.dataDir, fixture.root);
    expect(await resultsCounts(app.page, stats)).toEqual(expectedCounts(stats));
  });
});
