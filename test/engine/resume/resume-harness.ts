// Runs the real CLI as a child process (bundled once per test file) against a generated
// fixture repository, and compares `repograph export --format jsonl` between runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect } from 'vitest';
import { generateFixtureRepo, type FixtureShape } from './fixture-repo.js';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');

/** Small units and batches, so that a run has many of both. */
export const SMALL_RUN_ENV: Record<string, string> = {
  MAX_FILES_PER_WORK_UNIT: '30',
  TARGET_FILES_PER_WORK_UNIT: '20',
  NEO4J_BATCH_SIZE: '40',
  REPOGRAPH_EMBEDDED_BATCH_SIZE: '40',
  REPOGRAPH_WORKERS: '2',
};

export const PROJECT = 'resume-fixture';

/**
 * Bundles the CLI and its worker into out/<name> (inside the repo, so node_modules and
 * resources resolve). startCli runs that worker, not out/cli's, which may predate the sources.
 */
export async function buildCli(name: string): Promise<string> {
  const outdir = join(repoRoot, 'out', `resume-cli-${name}`);
  await build({
    entryPoints: { main: join(repoRoot, 'src/cli/index.ts'), worker: join(repoRoot, 'src/workers/worker-entry.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return join(outdir, 'main.js');
}

export interface Fixture {
  root: string;
  files: string[];
  cleanup(): void;
}

export function makeFixture(shape?: FixtureShape): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'repograph-resume-fixture-'));
  const files = generateFixtureRepo(root, shape);
  return { root, files, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'repograph-resume-data-'));
}

/** Data dirs of one test file: `dataDir()` makes a fresh one; all of them are removed after the file's tests. */
export function useDataDirs(): { dataDir: () => string; dataDirs: readonly string[] } {
  const dataDirs: string[] = [];
  afterAll(() => {
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });
  const dataDir = (): string => {
    const dir = newDataDir();
    dataDirs.push(dir);
    return dir;
  };
  return { dataDir, dataDirs };
}

/** What a test file compares its interrupted runs with; set by the time its tests run. */
export interface Baseline {
  /** The CLI bundle the file runs. */
  cli: string;
  /** The 5 x 10 fixture, removed after the file's tests. */
  fixture: Fixture;
  /** The export of one uninterrupted parse of the fixture. */
  graph: string[];
}

/**
 * Before the file's tests: bundles the CLI as out/resume-cli-<name>, generates the fixture and
 * parses it once, uninterrupted, into a data dir from `dataDir`, under `project` (default PROJECT).
 * `minLines`: the export must have more lines than that.
 */
export function useBaseline(name: string, dataDir: () => string, options: { project?: string; minLines?: number } = {}): Baseline {
  const baseline = {} as Baseline;
  let fixture: Fixture | undefined;
  beforeAll(async () => {
    baseline.cli = await buildCli(name);
    fixture = makeFixture({ packages: 5, filesPerPackage: 10 });
    baseline.fixture = fixture;
    const project = options.project ?? PROJECT;
    const dir = dataDir();
    const run = await runCli(baseline.cli, ['parse', fixture.root, '--project', project, '--data-dir', dir, '--json']);
    expect(run.code, run.stderr).toBe(0);
    baseline.graph = await exportGraph(baseline.cli, dir, project);
    if (options.minLines !== undefined) expect(baseline.graph.length).toBeGreaterThan(options.minLines);
  }, 120_000);
  afterAll(() => fixture?.cleanup());
  return baseline;
}

export interface CliRun {
  child: ChildProcess;
  events: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first event (NDJSON line on stdout) that matches. */
  waitForEvent(match: (event: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** SIGKILL to the CLI and every worker (the whole process group). */
  killTree(): void;
}

export function startCli(cli: string, args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: repoRoot,
    env: { ...process.env, REPOGRAPH_WORKER_ENTRY: join(dirname(cli), 'worker.js'), ...SMALL_RUN_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const events: Record<string, unknown>[] = [];
  const waiters: { match: (event: Record<string, unknown>) => boolean; resolve: (event: Record<string, unknown>) => void }[] = [];
  let buffer = '';
  let errText = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.match(event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (errText += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('close', (code, signal) => done({ code, signal })));
  return {
    child,
    events,
    stderr: () => errText,
    exited,
    waitForEvent(match, timeoutMs = 60_000) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolveEvent, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event in ${timeoutMs} ms; stderr: ${errText.slice(-2000)}`)), timeoutMs);
        waiters.push({
          match,
          resolve: (event) => {
            clearTimeout(timer);
            resolveEvent(event);
          },
        });
        void exited.then(() => setTimeout(() => reject(new Error(`the CLI exited before the event; stderr: ${errText.slice(-2000)}`)), 50));
      });
    },
    killTree() {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    },
  };
}

export async function runCli(cli: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string; events: Record<string, unknown>[] }> {
  const run = startCli(cli, args, env);
  let stdout = '';
  run.child.stdout!.on('data', (chunk: string) => (stdout += chunk));
  const { code } = await run.exited;
  return { code, stdout, stderr: run.stderr(), events: run.events };
}

export async function exportGraph(cli: string, dataDir: string, project = PROJECT, env: Record<string, string> = {}): Promise<string[]> {
  const result = await runCli(cli, ['export', '--format', 'jsonl', '--project', project, '--data-dir', dataDir], env);
  if (result.code !== 0) throw new Error(`export failed (${result.code}): ${result.stderr}`);
  return result.stdout.split('\n').filter((line) => line.length > 0);
}

/** Reads the state store the way a second process would (the CLI may still be running). */
export function readState<T>(dataDir: string, query: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'state.sqlite'), { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  try {
    return query(db);
  } finally {
    db.close();
  }
}

export function fileStatusCounts(dataDir: string): Record<string, number> {
  return readState(dataDir, (db) => {
    const rows = db.prepare(`SELECT status, COUNT(*) AS n FROM file_state GROUP BY status`).all() as { status: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  });
}

/** Polls until `check` is true (the state store is written by other processes). */
export async function until(check: () => boolean, timeoutMs = 60_000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (check()) return;
    } catch {
      // The database may not exist yet.
    }
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, everyMs));
  }
}

export interface ParseOptions {
  /** Default PROJECT. */
  project?: string;
  /** Appended after `--json`. */
  args?: string[];
  env?: Record<string, string>;
}

/**
 * Starts `repograph parse <root>` into `dataDir` and resolves, the CLI still running, once
 * `share` of the files it planned are completed in the state store.
 */
export async function parseUntil(cli: string, root: string, dataDir: string, share: number, options: ParseOptions = {}): Promise<{ run: CliRun; plan: Record<string, unknown> }> {
  const args = ['parse', root, '--project', options.project ?? PROJECT, '--data-dir', dataDir, '--json', ...(options.args ?? [])];
  const run = startCli(cli, args, options.env);
  const plan = await run.waitForEvent((event) => event.type === 'session.plan');
  await until(() => (fileStatusCounts(dataDir).completed ?? 0) >= (plan.filesTotal as number) * share, 60_000, 5);
  return { run, plan };
}

/** parseUntil, then SIGKILL of the CLI and its workers; resolves with the plan once they are gone. */
export async function parseAndKill(cli: string, root: string, dataDir: string, share: number, options: ParseOptions = {}): Promise<Record<string, unknown>> {
  const { run, plan } = await parseUntil(cli, root, dataDir, share, options);
  run.killTree();
  await run.exited;
  return plan;
}

/** Files handed to workers during one session run, from the session log's `unit started` lines after `since`. */
export function filesHandedToWorkers(dataDir: string, sessionId: string, since: number): number {
  const lines = readFileSync(join(dataDir, 'logs', `${sessionId}.jsonl`), 'utf8').split('\n').filter(Boolean);
  let total = 0;
  for (const line of lines) {
    const entry = JSON.parse(line) as { time: string; msg: string; files?: number };
    if (entry.msg === 'unit started' && Date.parse(entry.time) >= since) total += entry.files ?? 0;
  }
  return total;
}

/** A small seeded generator (mulberry32), so "random" kill points repeat run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
