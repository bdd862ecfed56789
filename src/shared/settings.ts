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
  /** Nodes and edges per Neo4j write batch (NEO4J_BATCH_SIZE). */
  batchSize: number;
  /**
   * Nodes and edges per write batch into the embedded store (REPOGRAPH_EMBEDDED_BATCH_SIZE).
   * Larger than Neo4j's: a SQLite transaction has no server memory to spare, and every batch
   * takes the file's write lock, which the workers otherwise pass back and forth.
   */
  embeddedBatchSize: number;
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
  embeddedBatchSize: 10_000,
  maxFileBytes: 1024 * 1024,
  maxAttempts: 3,
  unitTimeoutMs: 30 * 60 * 1000,
  extraIgnore: [],
  neo4jConnections: [],
};

/** Nodes and edges per write batch into a target of this kind. */
export function batchSizeFor(target: { kind: 'embedded' | 'neo4j' }, settings: Pick<Settings, 'batchSize' | 'embeddedBatchSize'>): number {
  return target.kind === 'embedded' ? settings.embeddedBatchSize : settings.batchSize;
}
