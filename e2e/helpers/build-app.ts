// vitest globalSetup of the e2e suite: test what the sources build to now, not a stale out/.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './repograph-cli.js';

export default function buildApp(): void {
  if (process.env.REPOGRAPH_E2E_SKIP_BUILD === '1') return;
  const run = (args: string[]): void => {
    execFileSync(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  };
  run([join(repoRoot, 'scripts', 'build-cli.mjs')]);
  run([join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
}
