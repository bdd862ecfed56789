// The scanner on real trees (Django and Go's standard library, from Debian packages, and the
// Linux kernel when already fetched), checked against an independent listing by `find` or git.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSkippedFolder, scanFolder } from '../../../src/engine/scan/scanner.js';
import { divideIntoWorkUnits } from '../../../src/engine/scan/work-units.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const corpora: Record<string, string> = {};
let unavailable = '';

beforeAll(() => {
  // The kernel is a 139 MB download: it is only used when `scripts/fetch-corpus.sh linux` ran before.
  const names = ['django', 'go', ...(existsSync(join(repoRoot, '.cache/corpus/linux/.extracted')) ? ['linux'] : [])];
  const fetched = spawnSync('bash', [join(repoRoot, 'scripts/fetch-corpus.sh'), ...names], { encoding: 'utf8', timeout: 110_000 });
  if (fetched.status !== 0) {
    unavailable = `scripts/fetch-corpus.sh failed: ${fetched.stderr.trim().split('\n').pop() ?? ''}`;
    return;
  }
  for (const line of fetched.stdout.trim().split('\n')) {
    const [name, path] = line.split('=', 2);
    if (name !== undefined && path !== undefined) corpora[name] = path;
  }
});

const EXTENSIONS = ['py', 'js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx', 'java', 'go'];

/** Code files by extension, as `find` lists them, relative to the root (for trees without .gitignore). */
function findCodeFiles(root: string): string[] {
  const names = EXTENSIONS.flatMap((ext, i) => [...(i > 0 ? ['-o'] : []), '-name', `*.${ext}`]);
  const output = execFileSync('find', ['.', '-type', 'f', '(', ...names, ')'], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return output.split('\n').filter((line) => line !== '').map((line) => line.slice(2));
}

const code = new RegExp(`\\.(${EXTENSIONS.join('|')})$`);

/** Code files git does not ignore, using a throwaway git dir so the corpus is not touched. */
async function gitCodeFiles(root: string): Promise<string[]> {
  const gitDir = await mkdtemp(join(tmpdir(), 'repograph-git-'));
  try {
    execFileSync('git', ['init', '-q', '--bare', gitDir]);
    const output = execFileSync('git', [`--git-dir=${gitDir}`, `--work-tree=${root}`, 'ls-files', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    return output.split('\n').filter((path) => code.test(path));
  } finally {
    await rm(gitDir, { recursive: true, force: true });
  }
}

describe.each(['django', 'go', 'linux'])('scanning the %s corpus', (name) => {
  it('accounts for every code file listed independently: parsed, skipped, or in a skipped folder', async (context) => {
    const root = corpora[name];
    if (root === undefined) {
      const reason = unavailable || `not fetched: run \`scripts/fetch-corpus.sh ${name}\` first${name === 'linux' ? ' (a 139 MB download, to check the scan at the scale of ~75k files)' : ''}`;
      console.log(`${name} corpus not available, test skipped: ${reason}`);
      context.skip(reason);
      return;
    }
    const started = performance.now();
    const result = await scanFolder(root, { maxFileBytes: 1024 * 1024 });
    const elapsed = Math.round(performance.now() - started);

    const skippedFolders = result.skipped.filter(isSkippedFolder).map((skipped) => `${skipped.path}/`);
    const listed = name === 'linux' ? await gitCodeFiles(root) : findCodeFiles(root);
    const expected = listed.filter((path) => !skippedFolders.some((folder) => path.startsWith(folder)));
    // Links to folders are reported too, but they are not code files.
    const skippedFiles = result.skipped.filter((skipped) => !isSkippedFolder(skipped) && code.test(skipped.path));
    const accounted = [...result.files.map((file) => file.path), ...skippedFiles.map((skipped) => skipped.path)];
    expect(new Set(accounted).size).toBe(accounted.length);
    expect([...accounted].sort()).toEqual([...expected].sort());
    expect(result.files.length).toBeGreaterThan(100);

    const units = divideIntoWorkUnits(result.files, { maxFilesPerUnit: 5000, targetFilesPerUnit: 3000, workers: 2 });
    expect(units.flatMap((unit) => unit.files)).toHaveLength(result.files.length);
    console.log(
      `${name}: ${result.files.length} files, ${result.skipped.length} skipped ` +
        `(${result.skipped.map((skipped) => `${skipped.path}: ${skipped.reason}`).join('; ')}), scanned in ${elapsed} ms; ` +
        `2 workers -> ${units.length} units: ${units.map((unit) => `${unit.path} (${unit.files.length})`).join(', ')}`,
    );
  });
});
