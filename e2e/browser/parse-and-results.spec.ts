// Issue 5: a folder parsed through the browser UI; every unit completes and the Results screen
// shows exactly what `repograph stats --json` reports for the same data dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedCounts, resultsCounts, startParseFromUi, unitRows, waitForStage } from '../helpers/app-page.js';
import { chromiumMissingReason, launchChromium, newAppPage, saveScreenshot } from '../helpers/chromium.js';
import { createFixtureRepo, type FixtureRepo } from '../helpers/fixture-repo.js';
import { graphStats, projectStatus } from '../helpers/repograph-cli.js';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipping e2e/browser/parse-and-results.spec.ts: ${missing}`);

describe.skipIf(missing !== null)('browser host: parse a folder through the UI', () => {
  let workDir: string;
  let dataDir: string;
  let fixture: FixtureRepo;
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'repograph-e2e-parse-'));
    dataDir = join(workDir, 'data');
    fixture = await createFixtureRepo(join(workDir, 'repo'));
    serve = await startServe({ dataDir });
    browser = await launchChromium();
    page = await newAppPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('runs every work unit to completed', async () => {
    await page.goto(serve!.url);
    await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
    await expect.poll(() => page.getByText('No projects yet').count()).toBe(1);

    await startParseFromUi(page, fixture.root);
    await waitForStage(page, 'completed');

    const [session] = (await projectStatus(dataDir, fixture.root)).sessions;
    expect(session?.stage).toBe('completed');
    expect(session?.counters.filesDone).toBe(fixture.totalFiles);
    const unitCount = session?.units.length ?? 0;
    // Small units on purpose: the run must have spread over several workers' worth of units.
    expect(unitCount).toBeGreaterThanOrEqual(8);
    await expect.poll(() => unitRows(page, 'completed').count()).toBe(unitCount);
    expect(await unitRows(page).count()).toBe(unitCount);
    expect(await page.getByTestId('run-progress').getAttribute('aria-valuenow')).toBe('100');
  });

  it('shows on the Results screen the counts `repograph stats --json` reports', async () => {
    await page.getByTestId('view-results').click();
    const stats = await graphStats(dataDir, fixture.root);
    expect(stats.files).toEqual({ parsed: fixture.totalFiles, skipped: 0, failed: 0 });
    expect(stats.languages).toEqual(fixture.filesByLanguage);
    expect(Object.keys(stats.nodesByLabel).sort()).toEqual(['CLASS', 'FILE', 'FUNCTION', 'INTERFACE']);
    expect(stats.edgesByType.REFERENCES ?? 0).toBeGreaterThan(0);

    expect(await resultsCounts(page, stats)).toEqual(expectedCounts(stats));
    await saveScreenshot(page, 'results');
  });

  it('lists the project as completed on the Projects screen', async () => {
    await page.getByTestId('nav-projects').click();
    const card = page.getByTestId('project-card');
    await card.waitFor();
    expect(await card.count()).toBe(1);
    await expect.poll(async () => (await card.getByTestId('project-stage').textContent())?.trim()).toBe('completed');
    expect(await card.textContent()).toContain(fixture.root);
    await saveScreenshot(page, 'projects');

    // The card's Results button opens the same numbers.
    await card.getByTestId('open-results').click();
    await page.getByTestId('results-total-nodes').waitFor();
    const stats = await graphStats(dataDir, fixture.root);
    expect(await resultsCounts(page, stats)).toEqual(expectedCounts(stats));
  });
});
