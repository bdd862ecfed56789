import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSkippedFolder, languageOf, scanFolder, ScanStopped, type ScanResult } from '../../../src/engine/scan/scanner.js';

const MiB = 1024 * 1024;
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '../../..');

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'repograph-scan-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(relativePath: string, content: string | Buffer = 'x = 1\n'): Promise<void> {
  const absolute = join(root, relativePath);
  await mkdir(dirname(absolute), { recursive: true });
  await writeFile(absolute, content);
}

const paths = (result: ScanResult): string[] => result.files.map((file) => file.path);
const reasons = (result: ScanResult): Record<string, string> =>
  Object.fromEntries(result.skipped.map((skipped) => [skipped.path, skipped.reason]));

describe('languageOf', () => {
  it('maps extensions to languages and leaves declaration files and other files out', () => {
    expect(languageOf('a/b.py')).toBe('python');
    expect(['x.js', 'x.mjs', 'x.cjs', 'x.jsx'].map(languageOf)).toEqual(Array(4).fill('javascript'));
    expect(['x.ts', 'x.mts', 'x.cts', 'x.tsx'].map(languageOf)).toEqual(Array(4).fill('typescript'));
    expect(languageOf('src/Main.java')).toBe('java');
    expect(languageOf('main.go')).toBe('go');
    expect(['types.d.ts', 'x.d.mts', 'README.md', 'Makefile', '.js', 'x.c'].map(languageOf)).toEqual(Array(6).fill(null));
  });
});

describe('scanFolder', () => {
  it('records path, language, size and mtime of each parseable file, sorted, and nothing else', async () => {
    await put('b/z.go', 'package b\n');
    await put('a.py', 'print(1)\n');
    await put('a/x.ts', 'export const x = 1;\n');
    await put('README.md', '# readme\n');
    await put('a/y.c', 'int y;\n');
    const result = await scanFolder(root, { maxFileBytes: MiB });
    expect(paths(result)).toEqual(['a.py', 'a/x.ts', 'b/z.go']);
    expect(result.files[0]).toMatchObject({ path: 'a.py', language: 'python', size: 9 });
    expect(result.files[0]!.mtimeMs).toBeGreaterThan(0);
    expect(result.skipped).toEqual([]);
  });

  it('honours .gitignore at every level, with negation and folder-only patterns', async () => {
    await put('.gitignore', '*.gen.py\ngenerated/\nlogs\n');
    await put('keep.py');
    await put('a.gen.py');
    await put('generated/g.py');
    await put('src/generated', 'not a folder, so `generated/` does not match it\n');
    await put('src/generated.py');
    await put('logs/l.py');
    // The deeper file overrides the root file for its own folder.
    await put('sub/.gitignore', '!special.gen.py\n/local.py\ncache/\n');
    await put('sub/special.gen.py');
    await put('sub/other.gen.py');
    await put('sub/local.py');
    await put('sub/deeper/local.py');
    await put('sub/cache/c.py');
    await put('sub/deeper/cache/c.py');
    const result = await scanFolder(root, { maxFileBytes: MiB });
    expect(paths(result)).toEqual(['keep.py', 'src/generated.py', 'sub/deeper/local.py', 'sub/special.gen.py']);
    expect(result.skipped).toEqual([]);
    // Git itself, where installed, agrees on which files are not ignored.
    if (spawnSync('git', ['init', '-q'], { cwd: root }).status === 0) {
      const listed = spawnSync('git', ['ls-files', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
      expect(listed.stdout.split('\n').filter((path) => path.endsWith('.py')).sort()).toEqual(paths(result));
    }
  });

  it('honours .repographignore at any level and extraIgnore patterns from the root', async () => {
    await put('.repographignore', 'fixtures/\n');
    await put('fixtures/f.py');
    await put('lib/.repographignore', '*_pb2.py\n');
    await put('lib/api_pb2.py');
    await put('lib/api.py');
    await put('lib/.gitignore', '!important_pb2.py\n');
    await put('lib/important_pb2.py');
    await put('tools/gen/t.py');
    await put('tools/t.py');
    // A deeper negation cannot bring back what the user excluded for Repograph alone.
    await put('tools/.gitignore', '!gen/\n');
    const result = await scanFolder(root, { maxFileBytes: MiB, extraIgnore: ['tools/gen/', ''] });
    expect(paths(result)).toEqual(['lib/api.py', 'tools/t.py']);
  });

  it('skips dependency, tool and build-output folders once each without descending', async () => {
    for (const folder of ['.git', 'node_modules', 'vendor', '__pycache__', '.venv', 'x/node_modules', 'web/dist', 'web/build', 'app/target', 'app/out']) {
      await put(`${folder}/deep/inner.js`, 'var a;\n');
    }
    await put('web/package.json', '{}');
    await put('app/pom.xml', '<project/>');
    // Go's go/build package, with no build manifest beside it, is source code.
    await put('go/build/build.go', 'package build\n');
    await put('go/out/out.go', 'package out\n');
    await put('x/main.js', 'var b;\n');
    const result = await scanFolder(root, { maxFileBytes: MiB });
    expect(paths(result)).toEqual(['go/build/build.go', 'go/out/out.go', 'x/main.js']);
    expect(reasons(result)).toEqual({
      '.git': 'excluded folder',
      '.venv': 'excluded folder',
      __pycache__: 'excluded folder',
      node_modules: 'excluded folder',
      vendor: 'excluded folder',
      'x/node_modules': 'excluded folder',
      'web/dist': 'build output folder',
      'web/build': 'build output folder',
      'app/target': 'build output folder',
      'app/out': 'build output folder',
    });
    expect(result.skipped.every(isSkippedFolder)).toBe(true);
  });

  it('skips binary files, files over the size cap and declaration files, saying why', async () => {
    await put('bin.py', Buffer.concat([Buffer.from('x = 1\n'), Buffer.from([0, 1, 2])]));
    await put('big.js', 'a'.repeat(2048 + 1));
    await put('exact.js', 'a'.repeat(2048));
    await put('types.d.ts', 'export declare const x: number;\n');
    await put('late-nul.py', 'a'.repeat(9000) + '\0');
    const result = await scanFolder(root, { maxFileBytes: 2048 });
    // A NUL after the first 8 KiB is not looked for (the file is parsed, the parser decides).
    expect(paths(result)).toEqual(['exact.js']);
    expect(reasons(result)).toEqual({
      'big.js': 'larger than 2 KiB',
      'bin.py': 'binary file',
      'late-nul.py': 'larger than 2 KiB',
      'types.d.ts': 'declaration file',
    });
    const withMiB = await scanFolder(root, { maxFileBytes: MiB });
    expect(paths(withMiB)).toEqual(['big.js', 'exact.js', 'late-nul.py']);
  });

  it('survives a symlink loop and counts each file once', async () => {
    await put('a/b/file.py');
    await put('top.py');
    await symlink('..', join(root, 'a/b/up'));
    await symlink(join(root, 'a'), join(root, 'again'));
    await symlink('../top.py', join(root, 'a/top-link.py'));
    const result = await scanFolder(root, { maxFileBytes: MiB });
    expect(paths(result)).toEqual(['a/b/file.py', 'top.py']);
    expect(reasons(result)).toEqual({
      'a/b/up': 'symlink to a, scanned there',
      'a/top-link.py': 'same file as top.py, scanned there',
      again: 'symlink to a, scanned there',
    });
  });

  it('scans linked code once, at its real path unless only the link names it as code', async () => {
    await put('.gitignore', 'ignored/\n');
    await put('ignored/r.py');
    await put('scripts/tool', 'print("a script without an extension")\n');
    await symlink('ignored', join(root, 'linked'));
    await symlink('ignored/r.py', join(root, 'linked-file.py'));
    await symlink('scripts/tool', join(root, 'tool.py'));
    await symlink('gone', join(root, 'dangling-folder'));
    const result = await scanFolder(root, { maxFileBytes: MiB });
    expect(paths(result)).toEqual(['tool.py']);
    expect(result.files[0]!.language).toBe('python');
    // Git would track the links, but what they point at is what the user chose to ignore.
    expect(reasons(result)).toEqual({
      linked: 'symlink into an excluded folder',
      'linked-file.py': 'symlink into an excluded folder',
    });
  });

  it('skips symlinks that leave the folder, and broken or special files, without failing', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'repograph-outside-'));
    try {
      await writeFile(join(outside, 'o.py'), 'o = 1\n');
      await put('in.py');
      await symlink(outside, join(root, 'out-dir'));
      await symlink(join(outside, 'o.py'), join(root, 'out.py'));
      await symlink(join(outside, 'notes.txt'), join(root, 'notes.txt'));
      await symlink('missing.py', join(root, 'dangling.py'));
      execFileSync('mkfifo', [join(root, 'pipe.py')]);
      await symlink('pipe.py', join(root, 'pipe-link.py'));
      const result = await scanFolder(root, { maxFileBytes: MiB });
      expect(paths(result)).toEqual(['in.py']);
      expect(reasons(result)).toEqual({
        'dangling.py': 'broken symlink (ENOENT)',
        'out-dir': 'symlink outside the folder',
        'out.py': 'symlink outside the folder',
        'pipe.py': 'not a regular file',
        'pipe-link.py': 'not a regular file',
      });
      expect(result.skipped.some(isSkippedFolder)).toBe(false);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('skips unreadable files and folders with the OS error code', async (context) => {
    // Root reads any file whatever its mode, so the scan runs in a process as user `nobody`.
    if (process.getuid?.() !== 0) {
      console.log('running as a regular user: chmod 000 is enough, scanning in-process');
    }
    await put('ok.py');
    await put('secret.py');
    await put('locked/inner.py');
    await chmod(join(root, 'secret.py'), 0o000);
    await chmod(join(root, 'locked'), 0o000);
    await chmod(root, 0o755);
    let result: ScanResult;
    if (process.getuid?.() === 0) {
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(here, 'fixtures/scan-in-process.ts'), root],
        { cwd: repoRoot, uid: 65534, gid: 65534, encoding: 'utf8', timeout: 60_000 },
      );
      if (child.status !== 0) {
        context.skip(`could not run the scanner as user nobody: ${child.error?.message ?? child.stderr}`);
        return;
      }
      result = JSON.parse(child.stdout) as ScanResult;
    } else {
      result = await scanFolder(root, { maxFileBytes: MiB });
    }
    await chmod(join(root, 'locked'), 0o755);
    expect(paths(result)).toEqual(['ok.py']);
    expect(reasons(result)).toEqual({ locked: 'unreadable folder (EACCES)', 'secret.py': 'unreadable file (EACCES)' });
  });

  it('says what to do when the folder itself cannot be scanned', async () => {
    await expect(scanFolder(join(root, 'nope'), { maxFileBytes: MiB })).rejects.toThrow(/Cannot scan .*nope: .*ENOENT.*Choose an existing folder/);
    await put('file.py');
    await expect(scanFolder(join(root, 'file.py'), { maxFileBytes: MiB })).rejects.toThrow(/not a folder/);
  });

  it('gives the same sorted result every time and reports progress', async () => {
    for (let i = 0; i < 60; i++) await put(`d${i % 7}/s${i % 3}/f${i}.${['py', 'js', 'go', 'java', 'ts'][i % 5]}`);
    await put('Z.py');
    await put('a.py');
    await put('a-b/x.py');
    await put('a/x.py');
    const seen: number[] = [];
    const found: number[] = [];
    const first = await scanFolder(root, {
      maxFileBytes: MiB,
      onProgress: (progress) => {
        seen.push(progress.entriesSeen);
        found.push(progress.filesFound);
      },
    });
    const second = await scanFolder(root, { maxFileBytes: MiB });
    expect(second).toEqual(first);
    expect(first.files).toHaveLength(64);
    const sorted = [...paths(first)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(paths(first)).toEqual(sorted);
    expect(paths(first).slice(0, 4)).toEqual(['Z.py', 'a-b/x.py', 'a.py', 'a/x.py']);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(found).toEqual([...found].sort((a, b) => a - b));
    // Every file is read by the time the last folder's progress is reported (links are followed later; there are none).
    expect(found.at(-1)).toBe(64);
  });

  it('stops between batches of folders once asked to, with ScanStopped', async () => {
    for (let i = 0; i < 200; i++) await put(`f${i}/a.py`);
    let asked = 0;
    const stopped = scanFolder(root, { maxFileBytes: MiB, shouldStop: () => ++asked > 1 });
    await expect(stopped).rejects.toBeInstanceOf(ScanStopped);
    expect(asked).toBeGreaterThan(1);
    expect((await scanFolder(root, { maxFileBytes: MiB, shouldStop: () => false })).files).toHaveLength(200);
  });

  it('gives the same result for the folder written with a trailing slash, relatively, or through a link', async () => {
    await put('pkg/a.py');
    await put('pkg/sub/b.go');
    await put('notes.txt');
    await symlink(join(root, 'pkg/a.py'), join(root, 'pkg/link.py'));
    const plain = await scanFolder(root, { maxFileBytes: MiB });
    expect(paths(plain)).toEqual(['pkg/a.py', 'pkg/sub/b.go']);
    expect(reasons(plain)).toEqual({ 'pkg/link.py': 'same file as pkg/a.py, scanned there' });
    expect(await scanFolder(`${root}/`, { maxFileBytes: MiB })).toEqual(plain);
    expect(await scanFolder(join(root, 'pkg', '..'), { maxFileBytes: MiB })).toEqual(plain);
    const linked = join(await mkdtemp(join(tmpdir(), 'repograph-scan-link-')), 'code');
    await symlink(root, linked);
    try {
      expect(await scanFolder(linked, { maxFileBytes: MiB })).toEqual(plain);
    } finally {
      await rm(dirname(linked), { recursive: true, force: true });
    }
  });
});
