// Bad input gets one clear message and a non-zero exit, and leaves nothing "completed".
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateStore } from '../../src/storage/state-store.js';
import { runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

function completedSessions(dataDir: string): number {
  const state = new StateStore(join(dataDir, 'state.sqlite'));
  try {
    return (state.db.prepare(`SELECT COUNT(*) FROM session WHERE stage = 'completed'`).pluck().get() as number) ?? 0;
  } finally {
    state.close();
  }
}

describe('repograph CLI on bad input', () => {
  it('a missing folder', async () => {
    const dataDir = tempDir();
    const run = await runCli(['parse', join(dataDir, 'nope'), '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`repograph: The folder ${join(dataDir, 'nope')} does not exist: check the path.`);
  });

  it('a file instead of a folder', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'a.py');
    writeFileSync(file, 'x = 1\n');
    const run = await runCli(['parse', file, '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is a file, not a folder');
  });

  it('an empty folder, and a folder with nothing parseable: failed, never completed', async () => {
    const dataDir = tempDir();
    const empty = join(tempDir(), 'empty');
    mkdirSync(empty);
    const run = await runCli(['parse', empty, '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('No parseable files');
    const docs = join(tempDir(), 'docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'README.md'), '# hi\n');
    writeFileSync(join(docs, 'data.bin.py'), Buffer.from([0, 1, 2, 3]));
    const second = await runCli(['parse', docs, '--data-dir', dataDir, '--json']);
    expect(second.code).toBe(1);
    const summary = second.stdout.trim().split('\n').map((line) => JSON.parse(line)).find((line) => line.type === 'summary');
    expect(summary.stage).toBe('failed');
    expect(summary.error).toMatch(/No parseable files .* \(1 skipped\): pick the folder that holds the code\./);
    expect(completedSessions(dataDir)).toBe(0);
  });

  it('an unreadable folder (as a user who cannot read it)', async () => {
    const dataDir = tempDir();
    const locked = join(tempDir(), 'locked');
    mkdirSync(locked);
    writeFileSync(join(locked, 'a.py'), 'x = 1\n');
    chmodSync(locked, 0o000);
    const asRoot = process.getuid?.() === 0;
    try {
      if (asRoot) {
        // Root reads anything: the honest check is the same command as an unprivileged user.
        const { spawnSync } = await import('node:child_process');
        chmodSync(dataDir, 0o777);
        const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', 'src/cli/index.ts', 'parse', locked, '--data-dir', dataDir], {
          cwd: join(import.meta.dirname, '../..'),
          encoding: 'utf8',
        });
        if (result.error) return console.log(`skipped the unreadable-folder case: setpriv is not available (${result.error.message})`);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain(`${locked} cannot be read`);
      } else {
        const run = await runCli(['parse', locked, '--data-dir', dataDir]);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('cannot be read');
      }
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it('an unknown flag, a missing folder argument and an unknown command: usage, exit 2', async () => {
    const flag = await runCli(['parse', '.', '--frobnicate']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--frobnicate'");
    expect(flag.stderr).toContain('Usage: repograph');
    const noFolder = await runCli(['parse']);
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toContain('parse needs a folder');
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const workers = await runCli(['parse', '.', '--workers', 'two']);
    expect(workers.code).toBe(2);
    expect(workers.stderr).toContain("--workers takes a positive whole number, not 'two'");
    const port = await runCli(['serve', '--port', '99999']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("--port takes a whole number from 1 to 65535, not '99999'");
    // A scheme neo4j-driver does not speak; user-info in the URI is not echoed back.
    for (const command of [['parse', '.'], ['test-connection']]) {
      const uri = await runCli([...command, '--neo4j', 'http://neo4j:secret@db.example:7474']);
      expect(uri.code, command[0]).toBe(2);
      expect(uri.stderr, command[0]).toContain("--neo4j takes a bolt://, neo4j:// or neo4j+s:// URI (e.g. bolt://localhost:7687), not 'http://db.example:7474'");
      expect(uri.stderr).not.toContain('secret');
    }
    const fromEnv = await runCli(['test-connection'], { NEO4J_URI: 'localhost:7687' });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr.trim()).toBe("repograph: NEO4J_URI must be a bolt://, neo4j:// or neo4j+s:// URI (e.g. bolt://localhost:7687), not 'localhost:7687'.");
  });

  it('resume with nothing to resume', async () => {
    const dataDir = tempDir();
    const folder = tempDir();
    writeFileSync(join(folder, 'a.py'), 'def f():\n    return 1\n');
    const run = await runCli(['resume', folder, '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('No session to resume');
  });

  it('stats, export and status of a folder never parsed into the data dir: say so, write nothing', async () => {
    const dataDir = tempDir();
    const parsed = tempDir();
    writeFileSync(join(parsed, 'a.py'), 'def f():\n    return 1\n');
    expect((await runCli(['parse', parsed, '--data-dir', dataDir])).code).toBe(0);
    const other = tempDir();
    writeFileSync(join(other, 'b.py'), 'def g():\n    return 2\n');
    const out = join(tempDir(), 'graph.jsonl');

    const message = `repograph: ${other} has not been parsed into ${dataDir}: run \`repograph parse ${other}\` first, or give the --data-dir it was parsed into.`;
    for (const args of [['stats', other], ['export', other, '--out', out], ['export', other, '--format', 'neo4j-admin', '--out', out]]) {
      const run = await runCli([...args, '--data-dir', dataDir]);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr.trim(), args.join(' ')).toBe(message);
      expect(run.stdout, args.join(' ')).toBe('');
    }
    expect(existsSync(out)).toBe(false);
    const named = await runCli(['stats', '--project', 'nothing-here', '--data-dir', dataDir]);
    expect(named.code).toBe(1);
    expect(named.stderr).toContain(`project nothing-here has not been parsed into ${dataDir}`);

    const status = await runCli(['status', other, '--data-dir', dataDir]);
    expect(status.code).toBe(0);
    expect(status.stdout.trim()).toBe(`${other} has not been parsed into ${dataDir}.`);
    // The folder that was parsed still answers.
    expect((await runCli(['stats', parsed, '--data-dir', dataDir])).stdout).toContain('Nodes: FILE 1, FUNCTION 1');
  });

  it('an export to a path that cannot be written: which path, why, what to do; nothing written', async () => {
    const dataDir = tempDir();
    const folder = tempDir();
    writeFileSync(join(folder, 'a.py'), 'def f():\n    return 1\n');
    expect((await runCli(['parse', folder, '--data-dir', dataDir])).code).toBe(0);
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'kept\n');

    const cases: [string[], string][] = [
      [['--out', join(folder, 'missing', 'graph.jsonl')], `the folder ${join(folder, 'missing')} does not exist. Create it, or pick another --out.`],
      [['--out', folder], 'it is a folder. Give --out a file name.'],
      [['--out', join(file, 'graph.jsonl')], 'part of the path is a file, not a folder. Pick another --out.'],
      [['--format', 'neo4j-admin', '--out', file], 'a file is in the way of the folder. Pick another --out.'],
    ];
    for (const [args, why] of cases) {
      const run = await runCli(['export', folder, '--data-dir', dataDir, ...args]);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr.trim()).toBe(`repograph: Cannot write the export to ${args[args.length - 1]}: ${why}`);
    }
    expect(readFileSync(file, 'utf8')).toBe('kept\n');
  });
});
