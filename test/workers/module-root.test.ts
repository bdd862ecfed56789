// What the chosen folder is called from inside its own code: the dotted name of a Python package
// (from the __init__.py files of it and the folders above it), or a Go import path (from the
// nearest go.mod at or above it).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pythonPackageName, readGoModulePath } from '../../src/workers/unit-worker.js';
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

describe('readGoModulePath', () => {
  it('is the module path at the module root, and the path inside the module below it', async () => {
    const root = folders(['app/pkg/util'], []);
    writeFileSync(join(root, 'app/go.mod'), 'module example.com/app\n\ngo 1.21\n');
    expect(await readGoModulePath(join(root, 'app'))).toBe('example.com/app');
    expect(await readGoModulePath(join(root, 'app/pkg/util'))).toBe('example.com/app/pkg/util');
  });

  it('takes the nearest go.mod, and gives null for a go.mod without a module line', async () => {
    const root = folders(['app/tools/gen'], []);
    writeFileSync(join(root, 'app/go.mod'), 'module example.com/app\n');
    writeFileSync(join(root, 'app/tools/go.mod'), 'module example.com/app/tools\n');
    expect(await readGoModulePath(join(root, 'app/tools/gen'))).toBe('example.com/app/tools/gen');
    writeFileSync(join(root, 'app/tools/go.mod'), 'go 1.21\n');
    expect(await readGoModulePath(join(root, 'app/tools/gen'))).toBeNull();
  });
});
