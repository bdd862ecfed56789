// The dotted name of a chosen folder that is a Python package, read from the __init__.py files
// of it and the folders above it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pythonPackageName } from '../../src/workers/unit-worker.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

function folders(paths: string[], packages: string[]): string {
  const root = tempDir();
  for (const path of paths) mkdirSync(join(root, path), { recursive: true });
  for (const path of packages) writeFileSync(join(root, path, '__init__.py'), '');
  return root;
}

describe('pythonPackageName', () => {
  it('names a package folder after itself and the packages around it', () => {
    const root = folders(['site-packages/django/db'], ['site-packages/django', 'site-packages/django/db']);
    expect(pythonPackageName(join(root, 'site-packages/django/db'))).toBe('django.db');
    expect(pythonPackageName(join(root, 'site-packages/django'))).toBe('django');
  });

  it('gives null for a folder that is not a package, or whose name is not an identifier', () => {
    const root = folders(['site-packages/django', 'my-project'], ['my-project']);
    expect(pythonPackageName(join(root, 'site-packages'))).toBeNull();
    expect(pythonPackageName(join(root, 'my-project'))).toBeNull();
  });
});
