// What the specs do on the app's pages, through its data-testids and Playwright's auto-waiting.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { GraphStats } from '../../src/shared/session.js';

const UNIT_ROWS = '[data-testid="unit-row"]';

/** Fills the folder on the Projects screen, picks the target and presses Start; the Run screen follows. */
export async function startParseFromUi(page: Page, folder: string, target = 'embedded'): Promise<void> {
  await page.getByTestId('nav-projects').click();
  await page.getByTestId('folder-path-input').fill(folder);
  await page.getByTestId('target-select').selectOption(target);
  await page.getByTestId('start-parse').click();
  await page.getByTestId('session-stage').waitFor();
}

export async function sessionStage(page: Page): Promise<string> {
  return ((await page.getByTestId('session-stage').textContent()) ?? '').trim();
}

/** Waits until the Run screen shows `stage`, failing early when the run ends in another final stage. */
export async function waitForStage(page: Page, stage: string, timeout = 150_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const current = await sessionStage(page);
        if (current !== stage && ['completed', 'failed', 'cancelled', 'interrupted'].includes(current)) {
          const alert = await page.getByRole('alert').allTextContents();
          throw new Error(`the run ended '${current}', not '${stage}': ${alert.join(' | ')}`);
        }
        return current;
      },
      { timeout, interval: 200 },
    )
    .toBe(stage);
}

export function unitRows(page: Page, status?: string) {
  return page.locator(status ? `${UNIT_ROWS}[data-status="${status}"]` : UNIT_ROWS);
}

/** The numbers the Results screen shows, read back into GraphStats' shape. */
export async function resultsCounts(page: Page, stats: Pick<GraphStats, 'nodesByLabel' | 'edgesByType' | 'languages'>) {
  await page.getByTestId('results-total-nodes').waitFor();
  const read = async (testId: string): Promise<number> => Number((await page.getByTestId(testId).textContent())?.trim());
  const readAll = async (prefix: string, names: string[]) => Object.fromEntries(await Promise.all(names.map(async (name) => [name, await read(`${prefix}-${name}`)] as const)));
  return {
    totalNodes: await read('results-total-nodes'),
    totalEdges: await read('results-total-edges'),
    filesParsed: await read('results-files-parsed'),
    nodesByLabel: await readAll('results-nodes', Object.keys(stats.nodesByLabel)),
    edgesByType: await readAll('results-edges', Object.keys(stats.edgesByType)),
    languages: await readAll('results-language', Object.keys(stats.languages)),
    // Bars the CLI does not know of would be missed by reading only its names: count them too.
    nodeBars: await page.locator('[data-testid^="results-nodes-"]').count(),
    edgeBars: await page.locator('[data-testid^="results-edges-"]').count(),
  };
}

/** What resultsCounts should read for these stats. */
export function expectedCounts(stats: GraphStats) {
  const sum = (record: Record<string, number>) => Object.values(record).reduce((total, n) => total + n, 0);
  return {
    totalNodes: sum(stats.nodesByLabel),
    totalEdges: sum(stats.edgesByType),
    filesParsed: stats.files.parsed,
    nodesByLabel: stats.nodesByLabel,
    edgesByType: stats.edgesByType,
    languages: stats.languages,
    nodeBars: Object.keys(stats.nodesByLabel).length,
    edgeBars: Object.keys(stats.edgesByType).length,
  };
}
