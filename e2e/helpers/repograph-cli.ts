// Runs the built `repograph` CLI (bin/repograph.js -> out/cli) as the e2e specs' second opinion.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { GraphStats } from '../../src/shared/session.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const repographBin = join(repoRoot, 'bin', 'repograph.js');

/** Small units so that a few hundred files make a dozen or more of them; two workers, as on a laptop. */
export const E2E_ENGINE_ENV: Readonly<Record<string, string>> = {
  REPOGRAPH_WORKERS: '2',
  MAX_FILES_PER_WORK_UNIT: '24',
  TARGET_FILES_PER_WORK_UNIT: '20',
};

export interface CliResult {
  stdout: string;
  stderr: string;
}

/** The environment for repograph processes: ours, without a data dir or Neo4j the caller did not ask for. */
export function repographEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...E2E_ENGINE_ENV, ...extra };
  for (const key of ['REPOGRAPH_DATA_DIR', 'NEO4J_URI', 'NEO4J_USERNAME', 'NEO4J_PASSWORD', 'NEO4J_DATABASE']) {
    if (!(key in extra)) delete env[key];
  }
  return env;
}

/** Runs `repograph <args>`; rejects with its stderr when it exits non-zero. */
export function runRepograph(args: string[], extraEnv: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [repographBin, ...args],
      { cwd: repoRoot, env: repographEnv(extraEnv), timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`repograph ${args.join(' ')} failed (${error.message}):\n${stderr}\n${stdout.slice(-2000)}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}

export async function graphStats(dataDir: string, folder: string, extraEnv: Record<string, string> = {}): Promise<GraphStats> {
  const { stdout } = await runRepograph(['stats', folder, '--data-dir', dataDir, '--json'], extraEnv);
  return JSON.parse(stdout) as GraphStats;
}

export interface StatusUnit {
  id: number;
  index: number;
  path: string;
  status: string;
  attempts: number;
  filesTotal: number;
  filesDone: number;
}

export interface StatusSession {
  id: string;
  stage: string;
  resumes: number;
  counters: { filesTotal: number; filesDone: number; nodes: number; edges: number };
  units: StatusUnit[];
}

export interface ProjectStatus {
  project: { id: string; root: string; name: string; target: string };
  /** Newest first. */
  sessions: StatusSession[];
}

/** The project at `folder` and its sessions, as `repograph status --json` reports them. */
export async function projectStatus(dataDir: string, folder: string): Promise<ProjectStatus> {
  const { stdout } = await runRepograph(['status', folder, '--data-dir', dataDir, '--json']);
  const report = JSON.parse(stdout) as { projects: ProjectStatus[] };
  const project = report.projects[0];
  if (!project) throw new Error(`repograph status found no project for ${folder} in ${dataDir}:\n${stdout}`);
  return project;
}

/** The project's whole graph as `repograph export --format jsonl` writes it. */
export async function exportJsonl(dataDir: string, folder: string): Promise<string> {
  const { stdout } = await runRepograph(['export', folder, '--data-dir', dataDir, '--format', 'jsonl']);
  return stdout;
}
