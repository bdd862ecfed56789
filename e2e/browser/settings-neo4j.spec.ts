// Issue 5: Neo4j from the Settings screen: a wrong password is explained, the right one shows the
// server's version, and a folder parsed into the saved connection lands in that server.
import { join } from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neo4jForTests, neo4jUnavailableReason, type Neo4jTestConnection } from '../../test/helpers/neo4j-server.js';
import { expectedCounts, resultsCounts, startParseFromUi, unitRows, waitForStage } from '../helpers/app-page.js';
import { chromiumMissingReason, saveScreenshot } from '../helpers/chromium.js';
import { createFixtureRepo, type FixtureRepo } from '../helpers/fixture-repo.js';
import { graphStats, projectStatus, runRepograph } from '../helpers/repograph-cli.js';
import { useServedApp } from '../helpers/served-app.js';

const CONNECTION_NAME = 'e2e-test-server';
const missingChromium = chromiumMissingReason();
const server: Neo4jTestConnection | null = missingChromium ? null : await neo4jForTests();
const skipReason = missingChromium ?? (server ? null : neo4jUnavailableReason);
if (skipReason) console.log(`skipping e2e/browser/settings-neo4j.spec.ts: ${skipReason}`);

describe.skipIf(skipReason !== null)('browser host: Settings and a Neo4j target', () => {
  const app = useServedApp('repograph-e2e-neo4j-');
  let fixture: FixtureRepo;
  let driver: Driver;
  let projectId: string | undefined;

  async function fillConnection(password: string): Promise<void> {
    await app.page.getByTestId('neo4j-name').fill(CONNECTION_NAME);
    await app.page.getByTestId('neo4j-uri').fill(server!.uri);
    await app.page.getByTestId('neo4j-user').fill(server!.username);
    await app.page.getByTestId('neo4j-database').fill('neo4j');
    await app.page.getByTestId('neo4j-password').fill(password);
  }

  async function testResult(): Promise<{ ok: string | null; text: string }> {
    // Pressing Test clears the previous outcome first, so this waits for the new one.
    await app.page.getByTestId('neo4j-test-button').click();
    const result = app.page.getByTestId('neo4j-test-result');
    await result.waitFor({ timeout: 60_000 });
    return { ok: await result.getAttribute('data-ok'), text: ((await result.textContent()) ?? '').trim() };
  }

  async function neo4jCount(query: string): Promise<number> {
    const result = await driver.executeQuery(query, { repoId: projectId }, { database: 'neo4j' });
    return Number(result.records[0]?.get('n'));
  }

  beforeAll(async () => {
    fixture = await createFixtureRepo(join(app.workDir, 'repo'), { foldersPerLanguage: 2 });
    driver = neo4j.driver(server!.uri, neo4j.auth.basic(server!.username, server!.password));
    await app.page.goto(app.serve.url);
  });

  // Registered after useServedApp's, so it runs before the browser and serve are closed.
  afterAll(async () => {
    if (projectId) await driver.executeQuery('MATCH (n:NODE {repoId: $repoId}) DETACH DELETE n', { repoId: projectId }, { database: 'neo4j' });
    await driver?.close();
  });

  it('explains a wrong password', async () => {
    await app.page.getByTestId('nav-settings').click();
    await app.page.getByTestId('add-connection').click();
    await fillConnection(`${server!.password}-wrong`);
    const outcome = await testResult();
    expect(outcome.ok).toBe('false');
    expect(outcome.text).toContain(`refused the password for user '${server!.username}'`);
    expect(outcome.text).toContain('check the user and password in Settings');
  });

  it("shows the server's version for the right credentials and saves the connection", async () => {
    const components = await driver.executeQuery('CALL dbms.components() YIELD versions RETURN versions[0] AS version');
    const version = String(components.records[0]?.get('version'));

    await app.page.getByTestId('neo4j-password').fill(server!.password);
    const outcome = await testResult();
    expect(outcome.ok).toBe('true');
    expect(outcome.text).toContain(`Connected: Neo4j ${version}`);
    expect(outcome.text).toContain('database neo4j');
    await saveScreenshot(app.page, 'settings');

    await app.page.getByTestId('save-settings').click();
    await app.page.getByTestId('settings-saved').waitFor();
    // The password is stored on the host, never shown again.
    expect(await app.page.getByTestId('neo4j-password').inputValue()).toBe('');
    expect(await app.page.getByTestId('neo4j-password').getAttribute('placeholder')).toContain('Stored');
  });

  it('parses a folder into the saved connection from the UI', async () => {
    await startParseFromUi(app.page, fixture.root, `neo4j:${CONNECTION_NAME}`);
    await waitForStage(app.page, 'completed', 170_000);
    const status = await projectStatus(app.dataDir, fixture.root);
    projectId = status.project.id;
    expect(status.project.target).toBe('neo4j');
    const unitCount = status.sessions[0]?.units.length ?? 0;
    expect(unitCount).toBeGreaterThan(1);
    await expect.poll(() => unitRows(app.page, 'completed').count()).toBe(unitCount);

    // The same folder in the embedded store is the yardstick: the same graph, whatever the target.
    const embeddedDataDir = join(app.workDir, 'embedded-data');
    await runRepograph(['parse', fixture.root, '--data-dir', embeddedDataDir, '--json']);
    const embedded = await graphStats(embeddedDataDir, fixture.root);
    const totalNodes = Object.values(embedded.nodesByLabel).reduce((sum, n) => sum + n, 0);
    const totalEdges = Object.values(embedded.edgesByType).reduce((sum, n) => sum + n, 0);
    expect(await neo4jCount('MATCH (n:NODE {repoId: $repoId}) RETURN count(n) AS n')).toBe(totalNodes);
    expect(await neo4jCount('MATCH (:NODE {repoId: $repoId})-[r]->() RETURN count(r) AS n')).toBe(totalEdges);
    expect(await neo4jCount('MATCH (n:FILE {repoId: $repoId}) RETURN count(n) AS n')).toBe(fixture.totalFiles);

    await app.page.getByTestId('view-results').click();
    expect(await resultsCounts(app.page, embedded)).toEqual(expectedCounts(embedded));
    await app.page.getByTestId('results-cypher').waitFor();
    expect(await app.page.getByTestId('results-cypher').textContent()).toContain(projectId);
  });
});
