// User settings, with the environment overrides DESIGN.md lists for headless use.

export interface SavedNeo4jConnection {
  name: string;
  uri: string;
  username: string;
  database: string;
  /** Whether a password is stored (the password itself never leaves the engine). */
  hasPassword: boolean;
}

export interface Settings {
  workers: number;
  maxFilesPerWorkUnit: number;
  targetFilesPerWorkUnit: number;
  batchSize: number;
  maxFileBytes: number;
  maxAttempts: number;
  /** Per work unit, in ms: a worker over it is killed and its unit retried. */
  unitTimeoutMs: number;
  extraIgnore: string[];
  neo4jConnections: SavedNeo4jConnection[];
}

export const DEFAULT_SETTINGS: Omit<Settings, 'workers'> = {
  maxFilesPerWorkUnit: 5000,
  targetFilesPerWorkUnit: 3000,
  batchSize: 1000,
  maxFileBytes: 1024 * 1024,
  maxAttempts: 3,
  unitTimeoutMs: 30 * 60 * 1000,
  extraIgnore: [],
  neo4jConnections: [],
};
