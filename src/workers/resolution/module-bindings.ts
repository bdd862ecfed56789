// What each imported name of a file refers to: a repo file (with a path inside it), a Go
// package (a directory), something outside the repo, or something we cannot place.
import type { Language } from '../../shared/graph-model.js';
import { packageKeyOf } from '../../shared/resolution.js';
import type { FileExtraction } from '../extraction/file-extraction.js';

export type ModuleTarget =
  | { kind: 'file'; file: string }
  /** A Go package, or a Java package's directory: `dir/` (`./` for the root). */
  | { kind: 'package'; key: string }
  | { kind: 'external' }
  /** Not found in the repo and not known to be external (a path alias, another build module). */
  | { kind: 'unknown' };

export interface Binding {
  target: ModuleTarget;
  /** Qualified-name path inside the target; [] for the module itself. */
  path: string[];
}

export interface FileBindings {
  /** Keyed by local name, and by dotted name for Python `import a.b` (`a.b`). */
  byName: Map<string, Binding>;
  /** `from m import *`, Java `a.b.*`, Go dot imports, JS `export *`, in import order. */
  wildcards: Binding[];
  /** Repo files this file imports, first line each (IMPORTS edges). */
  importedFiles: Map<string, number>;
}

export interface ModuleContext {
  fileExists: (relativePath: string) => boolean;
  goModulePath: string | null;
  /**
   * The dotted name of the chosen folder when it is itself a Python package (`django` for
   * .../site-packages/django), so that `import django.db` finds `db/__init__.py`; else null.
   */
  pythonRootPackage?: string | null;
}

export function bindingsOf(extraction: FileExtraction, context: ModuleContext): FileBindings {
  const bindings: FileBindings = { byName: new Map(), wildcards: [], importedFiles: new Map() };
  const bind = (name: string, binding: Binding): void => {
    if (!bindings.byName.has(name)) bindings.byName.set(name, binding);
  };
  const noteFile = (target: ModuleTarget, line: number): void => {
    if (target.kind === 'file' && target.file !== extraction.path && !bindings.importedFiles.has(target.file)) {
      bindings.importedFiles.set(target.file, line);
    }
  };

  for (const entry of extraction.imports) {
    switch (extraction.language) {
      case 'python': {
        if (entry.names.length === 0 && !entry.wildcard) {
          if (entry.moduleAlias) {
            const target = pythonModule(entry.module, extraction.path, context);
            noteFile(target, entry.line);
            bind(entry.moduleAlias, { target, path: [] });
            continue;
          }
          // `import a.b.c` binds `a`; `a.b.c.f()` goes through the longest imported prefix.
          const segments = entry.module.split('.');
          const prefixes = segments.map((_, i) => segments.slice(0, i + 1).join('.'));
          const targets = prefixes.map((prefix) => pythonModule(prefix, extraction.path, context));
          const anyInRepo = targets.some((target) => target.kind === 'file');
          prefixes.forEach((prefix, i) => {
            const target = targets[i]!;
            bind(prefix, { target: target.kind === 'external' && anyInRepo ? { kind: 'unknown' } : target, path: [] });
          });
          noteFile(targets[targets.length - 1]!, entry.line);
          continue;
        }
        const module = pythonModule(entry.module, extraction.path, context);
        if (entry.wildcard) {
          noteFile(module, entry.line);
          bindings.wildcards.push({ target: module, path: [] });
        }
        for (const { name, alias } of entry.names) {
          const submodule = pythonSubmodule(module, name, context);
          const target = submodule ?? module;
          noteFile(target, entry.line);
          bind(alias, { target, path: submodule ? [] : [name] });
        }
        continue;
      }
      case 'javascript':
      case 'typescript': {
        const target = scriptModule(entry.module, extraction.path, context);
        noteFile(target, entry.line);
        if (entry.wildcard) bindings.wildcards.push({ target, path: [] });
        if (entry.moduleAlias) bind(entry.moduleAlias, { target, path: [] });
        for (const { name, alias } of entry.names) bind(alias, { target, path: [name === 'default' ? alias : name] });
        continue;
      }
      case 'java': {
        const sourceRoot = javaSourceRoot(extraction);
        const segments = entry.module.split('.');
        if (entry.wildcard) {
          const found = javaClassFile(segments, sourceRoot, context);
          if (found) bindings.wildcards.push({ target: { kind: 'file', file: found.file }, path: found.path });
          else if (isJavaPlatform(entry.module)) bindings.wildcards.push({ target: { kind: 'external' }, path: [] });
          else bindings.wildcards.push({ target: { kind: 'package', key: `${sourceRoot}${segments.join('/')}/` }, path: [] });
          continue;
        }
        const found = javaClassFile(segments, sourceRoot, context);
        const target: ModuleTarget = found
          ? { kind: 'file', file: found.file }
          : isJavaPlatform(entry.module) ? { kind: 'external' } : { kind: 'unknown' };
        noteFile(target, entry.line);
        bind(segments[segments.length - 1]!, { target, path: found ? found.path : [] });
        continue;
      }
      case 'go': {
        const target = goPackage(entry.module, context.goModulePath);
        if (entry.wildcard) bindings.wildcards.push({ target, path: [] });
        else if (entry.moduleAlias) bind(entry.moduleAlias, { target, path: [] });
        continue;
      }
    }
  }
  return bindings;
}

function directoryOf(filePath: string): string {
  const slash = filePath.lastIndexOf('/');
  return slash === -1 ? '' : filePath.slice(0, slash);
}

/** `a/b` joined with `c/../d` gives `a/b/d`: '.', '..' and empty segments resolved. */
function joinPath(base: string, path: string): string {
  const joined = base === '' ? path : path === '' ? base : `${base}/${path}`;
  // Most joins (`django/db` and `models`) have nothing to resolve.
  if (!/(^|\/)\.{1,2}(\/|$)|\/\/|^\/|\/$/.test(joined)) return joined;
  const out: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** Answers per context (one unit's files): `from django.db import models` recurs in hundreds of files. */
const pythonModules = new WeakMap<ModuleContext, Map<string, ModuleTarget>>();

/**
 * The answer depends on the importing file's folder only, and not even on that for an absolute
 * import found from the repo root (the first place looked): that answer is kept by module alone.
 */
function pythonModule(module: string, fromFile: string, context: ModuleContext): ModuleTarget {
  let known = pythonModules.get(context);
  if (!known) pythonModules.set(context, (known = new Map()));
  const anywhere = known.get(module);
  if (anywhere) return anywhere;
  const key = `${module}\0${directoryOf(fromFile)}`;
  let target = known.get(key);
  if (!target) {
    const found = findPythonModule(module, fromFile, context);
    target = found.target;
    known.set(found.atRoot ? module : key, target);
  }
  return target;
}

/** Where `module` is, and whether it was found as an absolute import from the repo root (so from any folder). */
function findPythonModule(module: string, fromFile: string, context: ModuleContext): { target: ModuleTarget; atRoot: boolean } {
  const dots = /^\.*/.exec(module)![0].length;
  const rest = module.slice(dots).split('.').filter(Boolean).join('/');
  const inRootPackage = dots === 0 ? withinRootPackage(module, context.pythonRootPackage ?? null) : null;
  if (inRootPackage !== null) {
    // The folder is the package itself: the module's path inside it, from the root.
    const file = pythonModuleFile(inRootPackage, inRootPackage === '', context);
    if (file) return { target: file, atRoot: true };
  }
  const bases: string[] = [];
  if (dots > 0) {
    let base = directoryOf(fromFile);
    for (let i = 1; i < dots; i++) base = directoryOf(base);
    bases.push(base);
  } else {
    // The repo root first, then each enclosing folder (src/ layouts, script folders).
    const parts = directoryOf(fromFile).split('/').filter(Boolean);
    bases.push('');
    for (let i = 1; i <= parts.length; i++) bases.push(parts.slice(0, i).join('/'));
  }
  for (const [i, base] of bases.entries()) {
    const found = (target: ModuleTarget) => ({ target, atRoot: dots === 0 && i === 0 });
    const stem = joinPath(base, rest);
    const file = pythonModuleFile(stem, rest === '', context);
    if (file) return found(file);
    if (dots > 0 && rest === '') return found({ kind: 'package', key: stem === '' ? './' : `${stem}/` });
  }
  return { target: dots > 0 ? { kind: 'unknown' } : { kind: 'external' }, atRoot: false };
}

/** `django.db.models` inside root package `django`: `db/models`; '' for the package itself; null outside it. */
function withinRootPackage(module: string, rootPackage: string | null): string | null {
  if (rootPackage === null) return null;
  if (module === rootPackage) return '';
  return module.startsWith(`${rootPackage}.`) ? module.slice(rootPackage.length + 1).split('.').join('/') : null;
}

/** `from pkg import mod` where `mod` is a module of the package rather than a name in it. */
function pythonSubmodule(module: ModuleTarget, name: string, context: ModuleContext): ModuleTarget | null {
  let directory: string;
  if (module.kind === 'file' && module.file.endsWith('__init__.py')) directory = directoryOf(module.file);
  else if (module.kind === 'package') directory = module.key === './' ? '' : module.key.slice(0, -1);
  else return null;
  return pythonModuleFile(joinPath(directory, name), false, context);
}

/**
 * The file of the module at `stem` (a path without extension): `stem.py`, else the package's
 * `stem/__init__.py`; only the latter when `packageOnly` (`from .. import x` names a package).
 */
function pythonModuleFile(stem: string, packageOnly: boolean, context: ModuleContext): ModuleTarget | null {
  // Each `from pkg import a, b` asks for pkg/a and pkg/b, in file after file of the unit.
  let known = pythonModuleFiles.get(context);
  if (!known) pythonModuleFiles.set(context, (known = new Map()));
  const key = packageOnly ? `${stem}\0` : stem;
  let file = known.get(key);
  if (file === undefined) {
    file = null;
    const init = joinPath(stem, '__init__.py');
    if (!packageOnly && context.fileExists(`${stem}.py`)) file = { kind: 'file', file: `${stem}.py` };
    else if (context.fileExists(init)) file = { kind: 'file', file: init };
    known.set(key, file);
  }
  return file;
}

const pythonModuleFiles = new WeakMap<ModuleContext, Map<string, ModuleTarget | null>>();

const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

function scriptModule(specifier: string, fromFile: string, context: ModuleContext): ModuleTarget {
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) {
    return specifier.startsWith('@/') || specifier.startsWith('~/') ? { kind: 'unknown' } : { kind: 'external' };
  }
  const stem = joinPath(directoryOf(fromFile), specifier);
  const tries = [stem];
  // TypeScript ESM writes `./x.js` for `./x.ts`.
  const jsExtension = /\.(m|c)?jsx?$/.exec(stem);
  if (jsExtension) tries.push(...SCRIPT_EXTENSIONS.map((ext) => stem.slice(0, -jsExtension[0].length) + ext));
  tries.push(...SCRIPT_EXTENSIONS.map((ext) => stem + ext));
  tries.push(...SCRIPT_EXTENSIONS.map((ext) => `${stem}/index${ext}`));
  for (const candidate of tries) if (context.fileExists(candidate)) return { kind: 'file', file: candidate };
  return { kind: 'unknown' };
}

/** The folder that holds the package folders: `src/main/java/` for `src/main/java/com/a/X.java`. */
export function javaSourceRoot(extraction: FileExtraction): string {
  const directory = packageKeyOf(extraction.path);
  if (!extraction.packageName) return directory;
  const packagePath = `${extraction.packageName.replace(/\./g, '/')}/`;
  if (directory === packagePath) return '';
  return directory.endsWith(`/${packagePath}`) ? directory.slice(0, -packagePath.length) : directory;
}

/** `a.b.Outer.Inner` -> the file `a/b/Outer.java` and the path `Outer.Inner` inside it. */
function javaClassFile(segments: string[], sourceRoot: string, context: ModuleContext): { file: string; path: string[] } | null {
  for (let end = segments.length; end >= 1; end--) {
    const file = `${sourceRoot}${segments.slice(0, end).join('/')}.java`;
    if (context.fileExists(file)) return { file, path: segments.slice(end - 1) };
  }
  return null;
}

function isJavaPlatform(module: string): boolean {
  return /^(java|javax|jdk|sun|com\.sun|org\.w3c|org\.xml|org\.ietf|org\.omg|kotlin)\./.test(module);
}

function goPackage(importPath: string, modulePath: string | null): ModuleTarget {
  if (!modulePath) return { kind: 'external' };
  const std = standardLibraryPath(modulePath);
  // In Go's own source the packages of module `std` are imported by their path under src/
  // (`net/http`); a path whose first element has a dot names a module elsewhere, and `C` is cgo.
  if (std !== null && !importPath.split('/')[0]!.includes('.') && importPath !== 'C') modulePath = std;
  if (importPath === modulePath) return { kind: 'package', key: './' };
  if (modulePath === '') return { kind: 'package', key: `${importPath}/` };
  if (importPath.startsWith(`${modulePath}/`)) return { kind: 'package', key: `${importPath.slice(modulePath.length + 1)}/` };
  return { kind: 'external' };
}

/** For a folder of Go's standard library (module `std`), its import path ('' for src/ itself); else null. */
function standardLibraryPath(modulePath: string): string | null {
  if (modulePath === 'std') return '';
  return modulePath.startsWith('std/') ? modulePath.slice('std/'.length) : null;
}

export function isScriptLanguage(language: Language): boolean {
  return language === 'javascript' || language === 'typescript';
}
