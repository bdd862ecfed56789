// Where the worker entry and the shipped resources are, whether the CLI runs from the built
// bundle (out/cli) or from the TypeScript sources (tests, via tsx).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fromSource = import.meta.url.endsWith('.ts');

/** The package root (where package.json and resources/ are). */
export const packageRoot = resolve(here, '..', '..');

export function workerEntryPath(): string {
  return process.env.REPOGRAPH_WORKER_ENTRY ?? (fromSource ? join(packageRoot, 'src', 'workers', 'worker-entry.ts') : join(here, 'worker.js'));
}

export function resourcesDir(): string {
  return join(packageRoot, 'resources');
}

export function rendererDir(): string {
  return join(packageRoot, 'out', 'renderer');
}

export function workerEnv(): Record<string, string> {
  const queries = join(resourcesDir(), 'queries');
  return existsSync(queries) ? { REPOGRAPH_QUERY_DIR: queries } : {};
}
