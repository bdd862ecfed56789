// The project id (repoId): a hash of the folder's canonical path, or a name the user gives.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

export async function canonicalRoot(folder: string): Promise<string> {
  return realpath(folder);
}

export function projectIdFor(canonicalPath: string, name?: string): string {
  if (name) return name;
  return createHash('sha256').update(canonicalPath).digest('hex').slice(0, 16);
}

export function projectNameFor(canonicalPath: string, name?: string): string {
  return name ?? basename(canonicalPath);
}

/** git HEAD and whether the work tree is dirty, or null outside a git repository. */
export async function gitSnapshot(root: string): Promise<string | null> {
  // Two git processes cost ~30 ms before a parse can start: not spent where there is no repository.
  if (!process.env.GIT_DIR && !insideGitWorkTree(root)) return null;
  const run = promisify(execFile);
  try {
    const [head, status] = await Promise.all([
      run('git', ['-C', root, 'rev-parse', 'HEAD'], { timeout: 10_000 }),
      run('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { timeout: 30_000 }),
    ]);
    return `${head.stdout.trim()}${status.stdout.trim() ? '+dirty' : ''}`;
  } catch {
    return null;
  }
}

/** Whether `folder` or a folder above it holds a `.git` (a folder, or a file for worktrees and submodules). */
function insideGitWorkTree(folder: string): boolean {
  for (let at = resolve(folder); ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return true;
    if (dirname(at) === at) return false;
  }
}
