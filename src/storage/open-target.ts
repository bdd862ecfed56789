// Turns a target configuration into a GraphTarget (used by workers and the engine alike).
import type { TargetConfig } from '../shared/session.js';
import { EmbeddedGraphStore } from './embedded-store.js';
import type { GraphTarget } from './graph-target.js';
import { createNeo4jTarget } from './neo4j-target.js';

export function createGraphTarget(config: TargetConfig, batchSize: number): GraphTarget {
  if (config.kind === 'embedded') return new EmbeddedGraphStore(config.path, batchSize);
  return createNeo4jTarget({
    uri: config.uri,
    username: config.username,
    password: config.password,
    database: config.database,
    batchSize,
  });
}
