// `repograph serve`: the browser UI on 127.0.0.1, with a random token in the URL it prints.
import { join } from 'node:path';
import { createAppService } from '../../engine/app/app-service.js';
import { createFileSecretStore } from '../../engine/app/file-secret-store.js';
import { dataDirLayout, defaultDataDir } from '../../engine/data-dir.js';
import { createChildProcessHost } from '../../engine/pool/child-process-host.js';
import { loadSettings } from '../../engine/settings-store.js';
import { startBrowserHost } from '../serve/browser-host.js';
import type { CliOptions } from '../main.js';
import { packageRoot, rendererDir, workerEntryPath, workerEnv } from '../runtime-paths.js';
import { readFileSync } from 'node:fs';

export async function runServe(options: CliOptions): Promise<number> {
  const dataDir = options.dataDir ?? defaultDataDir();
  const layout = dataDirLayout(dataDir);
  const settings = loadSettings(layout.settings);
  if (options.workers) settings.workers = options.workers;
  const childHost = createChildProcessHost({ entry: workerEntryPath() });
  const env = workerEnv();
  const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const service = createAppService({
    dataDir,
    settings,
    workerHost: { spawn: (spawnOptions) => childHost.spawn({ ...spawnOptions, env: { ...env, ...spawnOptions.env } }) },
    secrets: createFileSecretStore(join(layout.root, 'secrets.json')),
    host: { kind: 'browser', pickFolder: async () => null, version },
  });
  const server = await startBrowserHost({ service, port: options.port, rendererDir: rendererDir() });
  process.stdout.write(`Repograph is serving on ${server.url}\n`);
  if (options.json) process.stdout.write(JSON.stringify({ type: 'listening', url: server.url, port: server.port }) + '\n');
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await service.close();
  return 0;
}
