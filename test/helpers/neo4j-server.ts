// The real Neo4j the tests run against: NEO4J_URI if set, else the repo's test server
// (scripts/neo4j-test-server.sh), started on demand. Outside CI a missing server skips the
// Neo4j tests with a loud reason; in CI (CI=true) it fails them.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import neo4j from 'neo4j-driver';

export interface Neo4jTestConnection {
  uri: string;
  username: string;
  password: string;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'neo4j-test-server.sh');
const ENV_FILE = join(ROOT, '.cache', 'neo4j-test-server', 'env');

let pending: Promise<Neo4jTestConnection | null> | null = null;

export async function neo4jForTests(): Promise<Neo4jTestConnection | null> {
  pending ??= locate();
  return pending;
}

/** The reason the Neo4j tests are skipped, for `describe.skipIf` titles and logs. */
export let neo4jUnavailableReason = '';

async function locate(): Promise<Neo4jTestConnection | null> {
  const fromEnv = process.env.NEO4J_URI;
  if (fromEnv) {
    return { uri: fromEnv, username: process.env.NEO4J_USERNAME ?? 'neo4j', password: process.env.NEO4J_PASSWORD ?? '' };
  }
  const running = await readEnvFile();
  if (running && (await answers(running))) return running;
  try {
    const { stdout } = await promisify(execFile)('bash', [SCRIPT, 'start'], { cwd: ROOT, timeout: 15 * 60_000, maxBuffer: 10 * 1024 * 1024 });
    const started = parseEnv(stdout);
    if (started && (await answers(started))) return started;
    throw new Error(`${SCRIPT} start printed no usable NEO4J_URI:\n${stdout}`);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (process.env.CI === 'true') throw new Error(`CI needs a Neo4j server and none could be started: ${detail}`);
    neo4jUnavailableReason = `no Neo4j test server (set NEO4J_URI or fix scripts/neo4j-test-server.sh start): ${detail.split('\n')[0]}`;
    console.warn(`SKIPPING Neo4j tests: ${neo4jUnavailableReason}`);
    return null;
  }
}

async function readEnvFile(): Promise<Neo4jTestConnection | null> {
  try {
    return parseEnv(await readFile(ENV_FILE, 'utf8'));
  } catch {
    return null;
  }
}

function parseEnv(text: string): Neo4jTestConnection | null {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^(NEO4J_[A-Z]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) values.set(match[1], match[2]);
  }
  const uri = values.get('NEO4J_URI');
  if (!uri) return null;
  return { uri, username: values.get('NEO4J_USERNAME') ?? 'neo4j', password: values.get('NEO4J_PASSWORD') ?? '' };
}

async function answers(conn: Neo4jTestConnection): Promise<boolean> {
  const driver = neo4j.driver(conn.uri, neo4j.auth.basic(conn.username, conn.password), { connectionTimeout: 5000 });
  try {
    await driver.verifyConnectivity();
    return true;
  } catch {
    return false;
  } finally {
    await driver.close();
  }
}
