// `repograph parse <folder> --json | head`: the reader goes away early, the parse still finishes.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

function parseWithClosedOutput(folder: string, dataDir: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'parse', folder, '--data-dir', dataDir, '--json'], {
      cwd: repoRoot,
      env: { ...process.env, REPOGRAPH_WORKERS: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Like `head -c 1`: read the first bytes, then close the pipe while the parse has more to say.
    child.stdout.once('data', () => child.stdout.destroy());
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('repograph CLI whose output is closed early', () => {
  it('finishes the parse and exits 0', async () => {
    const folder = join(tempDir(), 'code');
    mkdirSync(folder);
    for (let i = 0; i < 40; i++) writeFileSync(join(folder, `m${i}.py`), `def f${i}():\n    return f${(i + 1) % 40}()\n`);
    const dataDir = tempDir();

    const run = await parseWithClosedOutput(folder, dataDir);
    expect(run.stderr).not.toContain('EPIPE');
    expect(run.code).toBe(0);

    const status = JSON.parse((await runCli(['status', folder, '--data-dir', dataDir, '--json'])).stdout);
    const [session] = status.projects[0].sessions;
    expect(session.stage).toBe('completed');
    expect(session.counters.filesDone).toBe(40);
  });
});
