// The project id (repoId): a hash of the folder's canonical path, or a name the user gives.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { basename } from 'node:path';
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
  const run = promisify(execFile);
  try {
    const head = (await run('git', ['-C', root, 'rev-parse', 'HEAD'], { timeout: 10_000 })).stdout.trim();
    const status = (await run('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { timeout: 30_000 })).stdout.trim();
    return `${head}${status ? '+dirty' : ''}`;
  } catch {
    return null;
  }
}
