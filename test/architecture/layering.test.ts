// The layering rules of DESIGN.md are enforced by ESLint: a wrong import must fail the lint.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

const eslint = new ESLint({ cwd: repoRoot });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${repoRoot}/${filePath}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import layering', () => {
  it.each([
    ['src/engine/x.ts', "import { app } from 'electron';"],
    ['src/workers/x.ts', "import { Engine } from '../engine/engine.js';"],
    ['src/shared/x.ts', "import { readFile } from 'node:fs';"],
    ['src/shared/x.ts', "import { StateStore } from '../storage/state-store.js';"],
    ['src/renderer/src/x.ts', "import { join } from 'node:path';"],
    ['src/renderer/src/x.ts', "import { Engine } from '../../engine/engine.js';"],
    ['src/storage/x.ts', "import { Engine } from '../engine/engine.js';"],
    ['src/cli/x.ts', "import { BrowserWindow } from 'electron';"],
    ['src/main/x.ts', "import { runUnit } from '../workers/unit-worker.js';"],
  ])('%s may not: %s', async (file, code) => {
    expect(await problems(file, code)).not.toEqual([]);
  });

  it.each([
    ['src/engine/x.ts', "import { StateStore } from '../storage/state-store.js';"],
    ['src/workers/x.ts', "import type { GraphNode } from '../shared/graph-model.js';"],
    ['src/main/x.ts', "import { app } from 'electron';"],
    ['src/main/x.ts', "import workerPath from '../workers/worker-entry.ts?modulePath';"],
    ['src/preload/x.ts', "import { contextBridge } from 'electron';"],
    ['src/renderer/src/x.ts', "import type { RepographApi } from '../../shared/api.js';"],
  ])('%s may: %s', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
