// `repograph parse <folder> --json | head`: the reader goes away early, the parse still finishes.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

function runWithClosedOutput(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
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
  // One folder and data dir for both tests: the export reads what the parse wrote.
  const work = mkdtempSync(join(tmpdir(), 'repograph-closed-output-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const folder = join(work, 'code');
  const dataDir = join(work, 'data');
  const files = 200;

  it('parse: finishes the parse and exits 0', async () => {
    mkdirSync(folder);
    for (let i = 0; i < files; i++) writeFileSync(join(folder, `m${i}.py`), `def f${i}():\n    return f${(i + 1) % files}()\n`);

    const run = await runWithClosedOutput(['parse', folder, '--data-dir', dataDir, '--json']);
    expect(run.stderr).not.toContain('EPIPE');
    expect(run.code).toBe(0);

    const status = JSON.parse((await runCli(['status', folder, '--data-dir', dataDir, '--json'])).stdout);
    const [session] = status.projects[0].sessions;
    expect(session.stage).toBe('completed');
    expect(session.counters.filesDone).toBe(files);
  });

  it('export: stops writing, quietly, and exits 0', async () => {
    // More than a pipe holds (64 KiB), so the export is still writing when the pipe closes.
    const whole = await runCli(['export', folder, '--data-dir', dataDir]);
    expect(whole.stdout.length).toBeGreaterThan(128 * 1024);

    const run = await runWithClosedOutput(['export', folder, '--data-dir', dataDir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
