// Where Repograph keeps its state: the OS's application-data folder, REPOGRAPH_DATA_DIR, or --data-dir.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.REPOGRAPH_DATA_DIR) return resolve(env.REPOGRAPH_DATA_DIR);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Repograph');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Repograph');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'repograph');
}

export interface DataDirLayout {
  root: string;
  stateDb: string;
  graphDb: string;
  logs: string;
  settings: string;
}

export function dataDirLayout(root: string): DataDirLayout {
  const absolute = resolve(root);
  mkdirSync(join(absolute, 'logs'), { recursive: true });
  return {
    root: absolute,
    stateDb: join(absolute, 'state.sqlite'),
    graphDb: join(absolute, 'graph.sqlite'),
    logs: join(absolute, 'logs'),
    settings: join(absolute, 'settings.json'),
  };
}
