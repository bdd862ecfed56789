// A cancel while the folder is still being scanned stops the scan: on a large tree the scan
// takes seconds, and waiting for it to end only to plan work nobody wants made Cancel slow.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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

describe('cancel while scanning', () => {
  it('stops the scan and plans nothing; a resume then plans and parses the whole folder', async () => {
    const root = slowToScan();
    const settings = { ...defaultSettings(), workers: 1 };
    const engine = new Engine({
      dataDir: join(work, 'data'),
      workerHost: createChildProcessHost({ entry: join(repoRoot, 'src', 'workers', 'worker-entry.ts') }),
      settings,
    });
    const events: EngineEvent[] = [];
    engine.subscribe((event) => events.push(event));
    try {
      // The scan started before parse() returned, and has only had the set-up's waits to run in.
      const running = await engine.parse({ root });
      running.cancel();
      expect(await running.done).toEqual({ stage: 'cancelled', error: null });
      expect(events.some((event) => event.type === 'session.plan')).toBe(false);
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
