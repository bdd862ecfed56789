// Where imports point: relative paths joined and normalised, and answers kept per unit
// (the same `from pkg import x` recurs across files) that must not leak between questions.
import { describe, expect, it } from 'vitest';
import type { Language } from '../../../src/shared/graph-model.js';
import type { ExtractedImport, FileExtraction } from '../../../src/workers/extraction/file-extraction.js';
import { bindingsOf, type ModuleContext } from '../../../src/workers/resolution/module-bindings.js';

function fileWithImports(path: string, language: Language, imports: Partial<ExtractedImport>[]): FileExtraction {
  return {
    path,
    language,
    lineCount: imports.length,
    packageName: null,
    definitions: [],
    references: [],
    imports: imports.map((entry, i) => ({ module: '', names: [], moduleAlias: null, wildcard: false, isStatic: false, line: i + 1, ...entry })),
  };
}

function unitOf(paths: string[]): ModuleContext {
  const files = new Set(paths);
  return { fileExists: (path) => files.has(path), goModulePath: null };
}

describe('bindingsOf', () => {
  it('joins relative script imports with the importing folder, resolving . and .. segments', () => {
    const context = unitOf(['src/lib/util.ts', 'src/app/view.tsx', 'src/index.ts', 'lib/top.js']);
    const file = fileWithImports('src/app/main.ts', 'typescript', [
      { module: '../lib/util', moduleAlias: 'util' },
      { module: './view.js', moduleAlias: 'view' },
      { module: '..', moduleAlias: 'root' },
      { module: '../.././lib//top', moduleAlias: 'top' },
      { module: '../../../outside', moduleAlias: 'outside' },
      { module: 'react', moduleAlias: 'react' },
    ]);
    const { byName } = bindingsOf(file, context);
    expect(byName.get('util')!.target).toEqual({ kind: 'file', file: 'src/lib/util.ts' });
    expect(byName.get('view')!.target).toEqual({ kind: 'file', file: 'src/app/view.tsx' });
    expect(byName.get('root')!.target).toEqual({ kind: 'file', file: 'src/index.ts' });
    expect(byName.get('top')!.target).toEqual({ kind: 'file', file: 'lib/top.js' });
    expect(byName.get('outside')!.target).toEqual({ kind: 'unknown' });
    expect(byName.get('react')!.target).toEqual({ kind: 'external' });
  });

  it('tells a submodule from a name in the package, file after file of one unit', () => {
    const context = unitOf(['pkg/__init__.py', 'pkg/models.py', 'pkg/sub/__init__.py', 'app/views.py', 'app/forms.py', 'app/__init__.py']);
    const names = (...list: string[]) => list.map((name) => ({ name, alias: name }));
    const views = fileWithImports('app/views.py', 'python', [
      { module: 'pkg', names: names('models', 'helper', 'sub') },
      { module: '.', names: names('forms') },
    ]);
    // Asked again from another file, and for a name that is a package only as `from . import`.
    const forms = fileWithImports('app/forms.py', 'python', [
      { module: 'pkg', names: names('helper', 'models') },
      { module: 'pkg.models', names: names('Model') },
    ]);
    const first = bindingsOf(views, context).byName;
    const second = bindingsOf(forms, context).byName;
    for (const byName of [first, second]) {
      expect(byName.get('models')).toEqual({ target: { kind: 'file', file: 'pkg/models.py' }, path: [] });
      expect(byName.get('helper')).toEqual({ target: { kind: 'file', file: 'pkg/__init__.py' }, path: ['helper'] });
    }
    expect(first.get('sub')).toEqual({ target: { kind: 'file', file: 'pkg/sub/__init__.py' }, path: [] });
    expect(first.get('forms')).toEqual({ target: { kind: 'file', file: 'app/forms.py' }, path: [] });
    expect(second.get('Model')).toEqual({ target: { kind: 'file', file: 'pkg/models.py' }, path: ['Model'] });
    // Another unit's context has its own files: no answer is carried over.
    const elsewhere = bindingsOf(views, unitOf(['pkg/__init__.py', 'app/views.py'])).byName;
    expect(elsewhere.get('models')).toEqual({ target: { kind: 'file', file: 'pkg/__init__.py' }, path: ['models'] });
  });
});
