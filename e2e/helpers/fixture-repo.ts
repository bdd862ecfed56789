// A generated code folder for the e2e runs: a few hundred small files in several folders and
// languages, with references inside files, across files and across folders (so across work units).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface FixtureRepo {
  root: string;
  /** Parseable files written, by language. */
  filesByLanguage: Record<string, number>;
  totalFiles: number;
}

export interface FixtureShape {
  /** Files per leaf folder; every language gets the same number of folders. */
  filesPerFolder?: number;
  foldersPerLanguage?: number;
  /** Extra functions per file, to make each file cost some parsing. */
  functionsPerFile?: number;
}

type Generator = (folder: number, file: number, shape: Required<FixtureShape>) => { path: string; text: string };

const pad = (n: number): string => String(n).padStart(2, '0');

const typescript: Generator = (folder, file, shape) => {
  const other = (folder + 1) % shape.foldersPerLanguage;
  const lines = [
    `import { helper${pad(file)} } from '../../shared/helpers-${pad(file % 10)}';`,
    `import { Service${other}_${pad(file)} } from '../svc${other}/service-${pad(file)}';`,
    '',
    `export interface Port${folder}_${pad(file)} {`,
    '  handle(input: number): number;',
    '}',
    '',
    `export class Service${folder}_${pad(file)} implements Port${folder}_${pad(file)} {`,
    '  handle(input: number): number {',
    `    return helper${pad(file)}(input) + this.offset();`,
    '  }',
    '  private offset(): number {',
    `    return ${folder * 100 + file};`,
    '  }',
    `  peer(): Service${other}_${pad(file)} | null {`,
    '    return null;',
    '  }',
    '}',
  ];
  for (let i = 0; i < shape.functionsPerFile; i++) {
    lines.push('', `export function step${i}(value: number): number {`, `  return new Service${folder}_${pad(file)}().handle(value + ${i});`, '}');
  }
  return { path: `web/svc${folder}/service-${pad(file)}.ts`, text: lines.join('\n') + '\n' };
};

const javascript: Generator = (folder, file, shape) => {
  const lines = [`export function helper${pad(file)}(value) {`, `  return value * ${file + 1};`, '}'];
  for (let i = 0; i < shape.functionsPerFile; i++) {
    lines.push('', `export function mix${i}(value) {`, `  return helper${pad(file)}(value) + ${i};`, '}');
  }
  lines.push('', `export class Cache${folder}_${pad(file)} {`, '  get(key) {', `    return helper${pad(file)}(key.length);`, '  }', '}');
  // Folder 0 of JavaScript doubles as web/shared, the helpers every TypeScript service imports.
  const path = folder === 0 && file < 10 ? `web/shared/helpers-${pad(file)}.js` : `web/lib${folder}/cache-${pad(file)}.js`;
  return { path, text: lines.join('\n') + '\n' };
};

const python: Generator = (folder, file, shape) => {
  const other = (folder + 1) % shape.foldersPerLanguage;
  const lines = [
    `from pkg${other}.mod_${pad(file)} import compute_${other}_${pad(file)}`,
    '',
    '',
    `class Model${folder}_${pad(file)}:`,
    '    def __init__(self, value):',
    '        self.value = value',
    '',
    '    def total(self):',
    `        return compute_${other}_${pad(file)}(self.value) + self.scale()`,
    '',
    '    def scale(self):',
    `        return ${file}`,
    '',
    '',
    `def compute_${folder}_${pad(file)}(value):`,
    '    return value + 1',
  ];
  for (let i = 0; i < shape.functionsPerFile; i++) {
    lines.push('', '', `def task_${i}(value):`, `    return Model${folder}_${pad(file)}(value).total() + ${i}`);
  }
  return { path: `py/pkg${folder}/mod_${pad(file)}.py`, text: lines.join('\n') + '\n' };
};

const java: Generator = (folder, file, shape) => {
  const other = (folder + 1) % shape.foldersPerLanguage;
  const name = `Entity${folder}x${pad(file)}`;
  const lines = [
    `package com.example.p${folder};`,
    '',
    `import com.example.p${other}.Entity${other}x${pad(file)};`,
    '',
    `public class ${name} implements Comparable<${name}> {`,
    '  private final int value;',
    `  public ${name}(int value) { this.value = value; }`,
    `  public int compareTo(${name} other) { return Integer.compare(value, other.value); }`,
    `  public Entity${other}x${pad(file)} peer() { return new Entity${other}x${pad(file)}(value + 1); }`,
  ];
  for (let i = 0; i < shape.functionsPerFile; i++) lines.push(`  public int op${i}(int x) { return x + value + ${i}; }`);
  lines.push('}');
  return { path: `jvm/src/com/example/p${folder}/${name}.java`, text: lines.join('\n') + '\n' };
};

const go: Generator = (folder, file, shape) => {
  const lines = [
    `package pkg${folder}`,
    '',
    `type Record${pad(file)} struct {`,
    '\tValue int',
    '}',
    '',
    `func (r *Record${pad(file)}) Double() int {`,
    `\treturn Scale${pad(file)}(r.Value) * 2`,
    '}',
    '',
    `func Scale${pad(file)}(v int) int {`,
    `\treturn v + ${file}`,
    '}',
  ];
  for (let i = 0; i < shape.functionsPerFile; i++) {
    lines.push('', `func Op${pad(file)}_${i}(v int) int {`, `\tr := Record${pad(file)}{Value: v + ${i}}`, '\treturn r.Double()', '}');
  }
  return { path: `golang/pkg${folder}/record_${pad(file)}.go`, text: lines.join('\n') + '\n' };
};

const GENERATORS: Record<string, Generator> = { typescript, javascript, python, java, go };

/**
 * Writes the fixture into `root` (created if missing). The default shape is 5 languages x
 * 3 folders x 20 files = 300 files, plus a README and an ignored folder that must not count.
 */
export async function createFixtureRepo(root: string, shape: FixtureShape = {}): Promise<FixtureRepo> {
  const full: Required<FixtureShape> = { filesPerFolder: 20, foldersPerLanguage: 3, functionsPerFile: 6, ...shape };
  const filesByLanguage: Record<string, number> = {};
  const writes: Promise<void>[] = [];
  const write = async (path: string, text: string): Promise<void> => {
    const absolute = join(root, path);
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, text);
  };
  for (const [language, generate] of Object.entries(GENERATORS)) {
    for (let folder = 0; folder < full.foldersPerLanguage; folder++) {
      for (let file = 0; file < full.filesPerFolder; file++) {
        const { path, text } = generate(folder, file, full);
        writes.push(write(path, text));
        filesByLanguage[language] = (filesByLanguage[language] ?? 0) + 1;
      }
    }
  }
  writes.push(write('README.md', '# Fixture\nGenerated by e2e/helpers/fixture-repo.ts.\n'));
  writes.push(write('.gitignore', 'generated/\n'));
  writes.push(write('generated/ignored.ts', 'export const ignored = 1;\n'));
  await Promise.all(writes);
  const totalFiles = Object.values(filesByLanguage).reduce((sum, n) => sum + n, 0);
  return { root, filesByLanguage, totalFiles };
}
