// The scan of a large tree takes seconds (minutes on a slow or cold disk): it reports how far
// it got, and a cancel stops it rather than waiting for it to end and planning unwanted work.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { createChildProcessHost } from '../../src/engine/pool/child-process-host.js';
import { defaultSettings } from '../../src/engine/settings-store.js';
import type { EngineEvent } from '../../src/shared/events.js';
import { repoRoot } from '../helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'repograph-cancel-scan-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CODE_FILES = 6;

/** A few Python files beside thousands of folders without code (like translations): a scan that takes a while. */
function slowToScan(): string {
  const root = join(work, 'repo');
  mkdirSync(root);
  for (let i = 0; i < CODE_FILES; i++) writeFileSync(join(root, `m${i}.py`), `def f${i}():\n    return ${i}\n`);
  for (let i = 0; i < 6000; i++) mkdirSync(join(root, 'locale', String(i % 60), String(i)), { recursive: true });
  return root;
}

function newEngine(name: string): { engine: Engine; events: EngineEvent[] } {
  const engine = new Engine({
    dataDir: join(work, name),
    workerHost: createChildProcessHost({ entry: join(repoRoot, 'src', 'workers', 'worker-entry.ts') }),
    settings: { ...defaultSettings(), workers: 1 },
  });
  const events: EngineEvent[] = [];
  engine.subscribe((event) => events.push(event));
  return { engine, events };
}

describe('a long scan', () => {
  let root = '';
  beforeAll(() => {
    root = slowToScan();
  });

  it('reports its progress between the scanning stage and the plan', async () => {
    const { engine, events } = newEngine('progress');
    try {
      const running = await engine.parse({ root });
      expect(await running.done).toEqual({ stage: 'completed', error: null });
      const types = events.map((event) => event.type);
      const progress = events.filter((event) => event.type === 'scan.progress');
      expect(progress.length).toBeGreaterThan(0);
      expect(types.indexOf('scan.progress')).toBeGreaterThan(types.indexOf('session.stage'));
      expect(types.lastIndexOf('scan.progress')).toBeLessThan(types.indexOf('session.plan'));
      const seen = progress.map((event) => event.entriesSeen);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(seen[0]).toBeGreaterThan(0);
      expect(Math.max(...progress.map((event) => event.filesFound))).toBeLessThanOrEqual(CODE_FILES);
    } finally {
      await engine.close();
    }
  });

  it('stops when the session is cancelled, and plans nothing; a resume then plans and parses the whole folder', async () => {
    const { engine, events } = newEngine('cancel');
    try {
      // The scan started before parse() returned, and has only had the set-up's waits to run in.
      const running = await engine.parse({ root });
      running.cancel();
      expect(await running.done).toEqual({ stage: 'cancelled', error: null });
      expect(events.some((event) => event.type === 'session.plan')).toBe(false);
      // The app learns the outcome from this event (it does not await the session).
      expect(events.at(-1)).toMatchObject({ type: 'session.stage', sessionId: running.sessionId, stage: 'cancelled' });
      expect(engine.state.units(running.sessionId)).toEqual([]);

      const resumed = await engine.resume({ root });
      expect(resumed.sessionId).toBe(running.sessionId);
      expect(await resumed.done).toEqual({ stage: 'completed', error: null });
      const session = engine.state.session(resumed.sessionId)!;
      expect(engine.state.summary(session).counters.filesDone).toBe(CODE_FILES);
    } finally {
      await engine.close();
    }
  });
});
