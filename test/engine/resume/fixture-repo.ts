// Generates a repository of a few hundred files in several directories and languages whose
// files reference each other across directories (so across work units), deterministically.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface FixtureShape {
  /** Packages per language; each holds `filesPerPackage` files. */
  packages: number;
  filesPerPackage: number;
}

export const DEFAULT_SHAPE: FixtureShape = { packages: 6, filesPerPackage: 12 };

export function generateFixtureRepo(root: string, shape: FixtureShape = DEFAULT_SHAPE): string[] {
  const written: string[] = [];
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    written.push(path);
  };
  const { packages, filesPerPackage } = shape;
  // The other package and file a file refers to: always a different directory.
  const other = (p: number, f: number): [number, number] => [(p + 1) % packages, (f * 7 + 3) % filesPerPackage];

  for (let p = 0; p < packages; p++) {
    for (let f = 0; f < filesPerPackage; f++) {
      const [op, of] = other(p, f);
      write(
        `py/pkg${p}/mod${f}.py`,
        `from py.pkg${op}.mod${of} import Shape${op}_${of}, helper${op}_${of}\nfrom .mod${(f + 1) % filesPerPackage} import local${(f + 1) % filesPerPackage}\n\n` +
          `class Shape${p}_${f}(Shape${op}_${of}):\n    def area(self):\n        return helper${op}_${of}(self) + local${(f + 1) % filesPerPackage}()\n\n    def scale(self, k):\n        return self.area() * k\n\n` +
          `def helper${p}_${f}(x):\n    return Shape${op}_${of}()\n\ndef local${f}():\n    return ${f}\n`,
      );
      write(
        `web/lib${p}/file${f}.ts`,
        `import { make${op}_${of}, Box${op}_${of} } from '../lib${op}/file${of}';\nimport { util${(f + 1) % filesPerPackage} } from './file${(f + 1) % filesPerPackage}';\n\n` +
          `export interface Shape${p}_${f} { size(): number }\n\nexport class Box${p}_${f} extends Box${op}_${of} implements Shape${p}_${f} {\n  size(): number { return make${op}_${of}().size() + util${(f + 1) % filesPerPackage}(); }\n}\n\n` +
          `export function make${p}_${f}(): Box${p}_${f} { return new Box${p}_${f}(); }\n\nexport function util${f}(): number { return ${f}; }\n`,
      );
      write(
        `java/src/com/example/p${p}/Service${f}.java`,
        `package com.example.p${p};\n\nimport com.example.p${op}.Service${of};\n\npublic class Service${f} extends Service${of} {\n  public int run() { return new Service${of}().compute() + helper(); }\n  public int compute() { return ${f}; }\n  private int helper() { return run(); }\n}\n`,
      );
      if (f % 2 === 0) {
        write(
          `scripts/s${p}/tool${f}.js`,
          `const { make${op}_${of} } = require('../s${op}/tool${of % 2 === 0 ? of : (of + 1) % filesPerPackage}');\n\nfunction make${p}_${f}() { return make${op}_${of}() + 1; }\n\nclass Tool${p}_${f} { run() { return make${p}_${f}(); } }\n\nmodule.exports = { make${p}_${f}, Tool${p}_${f} };\n`,
        );
      }
    }
  }
  write('go.mod', 'module example.com/fixture\n\ngo 1.21\n');
  for (let p = 0; p < packages; p++) {
    for (let f = 0; f < Math.ceil(filesPerPackage / 3); f++) {
      const op = (p + 1) % packages;
      write(
        `goapp/g${p}/file${f}.go`,
        `package g${p}\n\nimport "example.com/fixture/goapp/g${op}"\n\ntype Item${f} struct{ N int }\n\nfunc (i Item${f}) Total() int { return g${op}.Count${f}() + i.N }\n\nfunc Count${f}() int { return ${f} }\n`,
      );
    }
  }
  return written;
}

/** Removes `def helper<p>_<f>` (referenced from another package) from a completed Python file. */
export function removeHelper(root: string, path: string): string {
  const text = readFileSync(join(root, path), 'utf8');
  const name = /def (helper\d+_\d+)\(x\):\n {4}return [^\n]+\n/.exec(text)!;
  writeFileSync(join(root, path), text.replace(name[0], ''));
  return name[1]!;
}
