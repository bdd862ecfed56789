// Builds an Engine for a CLI command: data dir, settings with flags on top, child-process workers.
import { Engine } from '../engine/engine.js';
import { defaultDataDir } from '../engine/data-dir.js';
import { createChildProcessHost } from '../engine/pool/child-process-host.js';
import { loadSettings } from '../engine/settings-store.js';
import { dataDirLayout } from '../engine/data-dir.js';
import type { CliOptions } from './main.js';
import { workerEntryPath, workerEnv } from './runtime-paths.js';

export function createCliEngine(options: CliOptions): Engine {
  const dataDir = options.dataDir ?? defaultDataDir();
  const settings = loadSettings(dataDirLayout(dataDir).settings);
  if (options.workers) settings.workers = options.workers;
  const workerHost = createChildProcessHost({ entry: workerEntryPath() });
  const env = workerEnv();
  return new Engine({ dataDir, workerHost: withEnv(workerHost, env), settings });
}

function withEnv(host: ReturnType<typeof createChildProcessHost>, env: Record<string, string>): ReturnType<typeof createChildProcessHost> {
  return { spawn: (spawnOptions) => host.spawn({ ...spawnOptions, env: { ...env, ...spawnOptions.env } }) };
}
