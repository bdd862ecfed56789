// Workers start with what their target needs and no more: the extra CA bundle Node parses at
// every process start is kept only for workers that may open TLS connections to Neo4j.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { createChildProcessHost } from '../../src/engine/pool/child-process-host.js';
import type { WorkerHost, WorkerSpawnOptions } from '../../src/engine/pool/worker-host.js';
import { defaultSettings } from '../../src/engine/settings-store.js';
import type { TargetConfig } from '../../src/shared/session.js';
import { usesTls } from '../../src/storage/neo4j-address.js';
import { repoRoot } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir('repograph-worker-env-');

/** The real child-process host, noting what each worker was started with. */
function recordingHost(): { host: WorkerHost; spawned: WorkerSpawnOptions[] } {
  const real = createChildProcessHost({ entry: join(repoRoot, 'src', 'workers', 'worker-entry.ts') });
  const spawned: WorkerSpawnOptions[] = [];
  return {
    host: {
      spawn(options) {
        spawned.push(options);
        return real.spawn(options);
      },
    },
    spawned,
  };
}

function smallRepo(): string {
  const root = join(tempDir(), 'repo');
  mkdirSync(root);
  writeFileSync(join(root, 'app.py'), 'def main():\n    return 1\n');
  return root;
}

async function spawnOptionsFor(target: TargetConfig | undefined): Promise<{ options: WorkerSpawnOptions[]; outcome: string }> {
  const { host, spawned } = recordingHost();
  const engine = new Engine({ dataDir: join(tempDir(), 'data'), workerHost: host, settings: { ...defaultSettings(), workers: 1 } });
  let outcome: string;
  try {
    const running = await engine.parse({ root: smallRepo(), target });
    outcome = (await running.done).stage;
  } catch (error) {
    outcome = `rejected: ${(error as Error).message}`;
  } finally {
    await engine.close();
  }
  return { options: spawned, outcome };
}

function neo4jAt(uri: string): TargetConfig {
  return { kind: 'neo4j', uri, username: 'neo4j', password: 'not-used', database: 'neo4j' };
}

describe('worker start-up environment', () => {
  it('starts embedded-store workers without the extra CA bundle', async () => {
    const { options, outcome } = await spawnOptionsFor(undefined);
    expect(outcome).toBe('completed');
    expect(options.length).toBeGreaterThan(0);
    expect(options.every((spawn) => spawn.tls === false)).toBe(true);
  });

  it('keeps it for workers writing to Neo4j over TLS, not over plain Bolt', async () => {
    // Nothing listens there: the parse fails to open its target, after the workers have started.
    const port = await freePort();
    const plain = await spawnOptionsFor(neo4jAt(`bolt://127.0.0.1:${port}`));
    const encrypted = await spawnOptionsFor(neo4jAt(`bolt+s://127.0.0.1:${port}`));
    expect(plain.outcome).toMatch(/^rejected: .*did not answer/);
    expect(encrypted.outcome).toMatch(/^rejected: /);
    expect(plain.options.map((spawn) => spawn.tls)).toEqual([false]);
    expect(encrypted.options.map((spawn) => spawn.tls)).toEqual([true]);
  });

  it('tells TLS schemes from plain ones', () => {
    expect(['bolt://h:7687', 'neo4j://h', 'BOLT://h'].map(usesTls)).toEqual([false, false, false]);
    expect(['bolt+s://h', 'neo4j+s://h:7687', 'neo4j+ssc://h', 'Bolt+SSC://h'].map(usesTls)).toEqual([true, true, true, true]);
  });
});
