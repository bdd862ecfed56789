// Settings in the data dir, with the environment overrides DESIGN.md lists for headless use.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { DEFAULT_SETTINGS, type Settings } from '../shared/settings.js';

export function defaultSettings(): Settings {
  return { ...DEFAULT_SETTINGS, workers: Math.max(1, availableParallelism()) };
}

export function loadSettings(path: string, env: NodeJS.ProcessEnv = process.env): Settings {
  let stored: Partial<Settings> = {};
  try {
    stored = JSON.parse(readFileSync(path, 'utf8')) as Partial<Settings>;
  } catch {
    // No settings yet (or unreadable): the defaults apply.
  }
  const settings: Settings = { ...defaultSettings(), ...stored };
  const int = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${raw} is not a positive whole number: fix or unset it`);
    return value;
  };
  settings.workers = int('REPOGRAPH_WORKERS') ?? settings.workers;
  settings.maxFilesPerWorkUnit = int('MAX_FILES_PER_WORK_UNIT') ?? settings.maxFilesPerWorkUnit;
  settings.targetFilesPerWorkUnit = int('TARGET_FILES_PER_WORK_UNIT') ?? settings.targetFilesPerWorkUnit;
  settings.batchSize = int('NEO4J_BATCH_SIZE') ?? settings.batchSize;
  settings.embeddedBatchSize = int('REPOGRAPH_EMBEDDED_BATCH_SIZE') ?? settings.embeddedBatchSize;
  return settings;
}

export function saveSettings(path: string, settings: Settings): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, JSON.stringify(settings, null, 2));
  renameSync(temporary, path);
}
