// Turns a target configuration into a GraphTarget (used by workers and the engine alike).
// The Neo4j target is loaded on open: neo4j-driver takes ~220 ms to import, and every worker
// and CLI run that writes to the embedded store would otherwise pay it.
import type { GraphEdge, GraphNode } from '../shared/graph-model.js';
import type { TargetConfig } from '../shared/session.js';
import { EmbeddedGraphStore } from './embedded-store.js';
import type { GraphTarget } from './graph-target.js';
import { describeNeo4jTarget } from './neo4j-address.js';

export function createGraphTarget(config: TargetConfig, batchSize: number): GraphTarget {
  if (config.kind === 'embedded') return new EmbeddedGraphStore(config.path, batchSize);
  return new DeferredNeo4jTarget({ uri: config.uri, username: config.username, password: config.password, database: config.database, batchSize });
}

type Neo4jTargetConfig = { uri: string; username: string; password?: string; database: string; batchSize: number };

class DeferredNeo4jTarget implements GraphTarget {
  readonly kind = 'neo4j' as const;
  readonly description: string;
  private inner: GraphTarget | null = null;

  constructor(private readonly config: Neo4jTargetConfig) {
    this.description = describeNeo4jTarget(config);
  }

  private get target(): GraphTarget {
    if (!this.inner) throw new Error(`${this.description} is not open`);
    return this.inner;
  }

  async open(): Promise<void> {
    if (!this.inner) {
      const { createNeo4jTarget } = await import('./neo4j-target.js');
      this.inner = createNeo4jTarget(this.config);
    }
    await this.inner.open();
  }

  writeNodes(nodes: readonly GraphNode[]) {
    return this.target.writeNodes(nodes);
  }
  writeEdges(edges: readonly GraphEdge[]) {
    return this.target.writeEdges(edges);
  }
  commitFiles(fileNodes: readonly GraphNode[], edgesFromFiles: readonly GraphEdge[]) {
    return this.target.commitFiles(fileNodes, edgesFromFiles);
  }
  completedFilePaths(repoId: string) {
    return this.target.completedFilePaths(repoId);
  }
  readSymbols(repoId: string) {
    return this.target.readSymbols(repoId);
  }
  deleteFiles(repoId: string, paths: readonly string[]) {
    return this.target.deleteFiles(repoId, paths);
  }
  deleteProject(repoId: string) {
    return this.target.deleteProject(repoId);
  }
  stats(repoId: string) {
    return this.target.stats(repoId);
  }
  totals(repoId: string) {
    return this.target.totals(repoId);
  }
  readNodes(repoId: string) {
    return this.target.readNodes(repoId);
  }
  readEdges(repoId: string) {
    return this.target.readEdges(repoId);
  }
  async close(): Promise<void> {
    await this.inner?.close();
  }
}
