import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitSnapshot } from '../../src/engine/project-identity.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
}

describe('gitSnapshot', () => {
  it('is null outside a repository, HEAD inside one (also from a subfolder), and marks a dirty tree', async () => {
    const plain = join(tempDir(), 'plain');
    mkdirSync(plain);
    expect(await gitSnapshot(plain)).toBeNull();

    const repo = join(tempDir(), 'repo');
    mkdirSync(join(repo, 'src'), { recursive: true });
    writeFileSync(join(repo, 'src', 'a.py'), 'def f():\n    pass\n');
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'first');
    const head = git(repo, 'rev-parse', 'HEAD');
    expect(await gitSnapshot(repo)).toBe(head);
    expect(await gitSnapshot(join(repo, 'src'))).toBe(head);

    writeFileSync(join(repo, 'src', 'a.py'), 'def g():\n    pass\n');
    expect(await gitSnapshot(repo)).toBe(`${head}+dirty`);
  });
});
