// Issue 4: Neo4j stays down past the outage limit (REPOGRAPH_TARGET_OUTAGE_LIMIT_MS): the session
// ends interrupted without charging any unit an attempt, and once the server is back
// `repograph resume` completes it to the same graph as an uninterrupted run.
import { describe, expect, it } from 'vitest';
import { fileStatusCounts, readState } from '../resume/resume-harness.js';
import { usePrivateOutage } from './outage-harness.js';

const { server, dataDir, parseThenStopServer, resumeAndCompare } = await usePrivateOutage('neo4j-outage-limit');

describe.skipIf(!server)('Neo4j stays down', () => {
  it('past the outage limit the session is interrupted without charging attempts, and resumes', async () => {
    const dir = dataDir();
    const run = await parseThenStopServer(dir, { REPOGRAPH_TARGET_OUTAGE_LIMIT_MS: '4000' });
    const { code } = await run.exited;
    expect(code).toBe(1);
    const summary = run.events.find((event) => event.type === 'summary')!;
    expect(summary.stage).toBe('interrupted');
    expect(summary.error).toMatch(/did not answer for \d+ s .*repograph resume/);
    const units = readState(dir, (db) => db.prepare(`SELECT status, attempts FROM work_unit`).all() as { status: string; attempts: number }[]);
    expect(units.filter((unit) => unit.status === 'failed')).toEqual([]);
    expect(Math.max(...units.map((unit) => unit.attempts))).toBeLessThanOrEqual(1);
    expect(fileStatusCounts(dir).pending ?? 0).toBeGreaterThan(0);
    await server!.start();
    await resumeAndCompare(dir);
  }, 180_000);
});
