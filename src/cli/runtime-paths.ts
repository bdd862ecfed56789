// Where the worker entry and the shipped resources are, whether the CLI runs from the built
// bundle (out/cli) or from the TypeScript sources (tests, via tsx).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const fromSource = import.meta.url.endsWith('.ts');

/** The package root (where package.json and resources/ are): this module may sit in a bundle chunk. */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'repograph.js'))) return dir;
    if (dirname(dir) === dir) return resolve(start, '..', '..');
  }
}

export function workerEntryPath(): string {
  return process.env.REPOGRAPH_WORKER_ENTRY ?? (fromSource ? join(packageRoot, 'src', 'workers', 'worker-entry.ts') : join(packageRoot, 'out', 'cli', 'worker.js'));
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
