// Helpers for the Neo4j end-to-end tests: the shared test server (test/helpers/neo4j-server.ts),
// a private server that a test may stop and start again without disturbing other test files
// (same launcher as scripts/neo4j-test-server.sh, its own home and port), and CLI runs
// against either with per-test project ids.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import neo4j from 'neo4j-driver';
import { freePort } from '../../helpers/free-port.js';
import { neo4jForTests, neo4jUnavailableReason, type Neo4jTestConnection } from '../../helpers/neo4j-server.js';
import { exportGraph, runCli, startCli, type CliRun } from '../resume/resume-harness.js';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
const LAUNCHER = join(repoRoot, 'neo4j-test-server', 'target');
const MAIN_CLASS = 'org.repograph.testserver.Neo4jTestServer';

export { neo4jForTests, type Neo4jTestConnection };

/** The skip reason outside CI (a missing server fails in CI: neo4jForTests throws there). */
export function skipReason(): string {
  return neo4jUnavailableReason || 'no Neo4j test server';
}

export function neo4jArgs(server: Neo4jTestConnection): string[] {
  return ['--neo4j', server.uri, '--user', server.username, '--database', 'neo4j'];
}

export function neo4jEnv(server: Neo4jTestConnection): Record<string, string> {
  return { NEO4J_PASSWORD: server.password };
}

/** Deletes a project's nodes and edges from the server, so tests never see each other's data. */
export async function deleteProjectFrom(server: Neo4jTestConnection, projectId: string): Promise<void> {
  const driver = neo4j.driver(server.uri, neo4j.auth.basic(server.username, server.password));
  try {
    for (;;) {
      const result = await driver.executeQuery('MATCH (n:NODE {repoId: $repoId}) WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS deleted', { repoId: projectId });
      if (Number(result.records[0]?.get('deleted') ?? 0) === 0) break;
    }
  } finally {
    await driver.close();
  }
}

export async function countNodes(server: Neo4jTestConnection, projectId: string): Promise<{ nodes: number; edges: number }> {
  const driver = neo4j.driver(server.uri, neo4j.auth.basic(server.username, server.password), { disableLosslessIntegers: true });
  try {
    const nodes = await driver.executeQuery('MATCH (n:NODE {repoId: $p}) RETURN count(n) AS c', { p: projectId });
    const edges = await driver.executeQuery('MATCH (:NODE {repoId: $p})-[r]->() RETURN count(r) AS c', { p: projectId });
    return { nodes: Number(nodes.records[0]!.get('c')), edges: Number(edges.records[0]!.get('c')) };
  } finally {
    await driver.close();
  }
}

export function exportProject(cli: string, dataDir: string, project: string, env: Record<string, string> = {}): Promise<string[]> {
  return exportGraph(cli, dataDir, project, env);
}

export { runCli, startCli, type CliRun };

/**
 * A Neo4j server owned by one test file: stopped and started again on the same port and the
 * same store, as an outage of a real server looks to Repograph.
 */
export class PrivateNeo4j {
  private process: ChildProcess | null = null;
  readonly home: string;
  readonly password = 'private-outage-test';
  port = 0;

  private constructor() {
    this.home = mkdtempSync(join(tmpdir(), 'repograph-private-neo4j-'));
  }

  /** Null when the launcher is not built (scripts/neo4j-test-server.sh start builds it). */
  static async create(): Promise<PrivateNeo4j | null> {
    if (!existsSync(join(LAUNCHER, 'classes')) || !existsSync(join(LAUNCHER, 'lib'))) {
      if (process.env.CI === 'true') throw new Error('CI needs the Neo4j test launcher: run scripts/neo4j-test-server.sh start once to build it');
      console.warn('SKIPPING Neo4j outage tests: the launcher in neo4j-test-server/target is not built (run scripts/neo4j-test-server.sh start)');
      return null;
    }
    const server = new PrivateNeo4j();
    server.port = await freePort();
    await server.start();
    return server;
  }

  get connection(): Neo4jTestConnection {
    return { uri: `bolt://127.0.0.1:${this.port}`, username: 'neo4j', password: this.password };
  }

  async start(timeoutMs = 120_000): Promise<void> {
    const child = spawn('java', ['-Xmx512m', '-Xms128m', '-XX:+UseSerialGC', '-cp', `${LAUNCHER}/classes:${LAUNCHER}/lib/*`, MAIN_CLASS, join(this.home, 'db'), String(this.port), this.password], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process = child;
    let output = '';
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`the private Neo4j did not start in ${timeoutMs} ms: ${output.slice(-2000)}`)), timeoutMs);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('REPOGRAPH_NEO4J_READY')) {
          clearTimeout(timer);
          ready();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`the private Neo4j exited (${code}) while starting: ${output.slice(-2000)}`));
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    await exited;
    clearTimeout(timer);
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.home, { recursive: true, force: true });
  }
}

