// A place the graph is written to: the embedded SQLite store or Neo4j. Both hold the same
// graph and give the same export. Every write is idempotent (MERGE / upsert), so a batch
// redone after a crash or a retry changes nothing.
import type { GraphEdge, GraphNode } from '../shared/graph-model.js';
import type { SymbolRecord } from '../shared/resolution.js';
import type { TargetKind } from '../shared/session.js';

export interface TargetGraphStats {
  nodesByLabel: Record<string, number>;
  edgesByType: Record<string, number>;
  referencesByResolution: Record<string, number>;
  languages: Record<string, number>;
  topReferenced: { node_id: string; name: string; qualified_name: string; file_path: string; label: string; references: number }[];
}

export interface TargetGraphTotals {
  nodes: number;
  edges: number;
}

export interface GraphTarget {
  readonly kind: TargetKind;
  /** A description for messages and logs; never contains a secret. */
  readonly description: string;
  /** Connects and creates the schema (constraint, indexes, tables); resolves once it is in place. */
  open(): Promise<void>;
  /** Definition nodes (not FILE nodes), written in chunks of the batch size. */
  writeNodes(nodes: readonly GraphNode[]): Promise<void>;
  /** Edges whose endpoints already exist in the target. */
  writeEdges(edges: readonly GraphEdge[]): Promise<void>;
  /**
   * FILE nodes and the edges that start at them, in one transaction, after everything else of
   * those files: a FILE node's presence means its whole file is in the graph.
   */
  commitFiles(fileNodes: readonly GraphNode[], edgesFromFiles: readonly GraphEdge[]): Promise<void>;
  /** Paths of the files whose FILE node exists (bootstrap). */
  completedFilePaths(repoId: string): Promise<Set<string>>;
  /** Every definition and FILE node of the project as symbols (bootstrap). */
  readSymbols(repoId: string): Promise<SymbolRecord[]>;
  /**
   * Deletes these files' nodes (FILE and definitions) and every edge touching them, for files
   * that changed on disk before they are parsed again. Other files and projects are untouched.
   */
  deleteFiles(repoId: string, paths: readonly string[]): Promise<void>;
  /** Deletes one project's nodes and edges, in batches; other projects are untouched. */
  deleteProject(repoId: string): Promise<void>;
  stats(repoId: string): Promise<TargetGraphStats>;
  /** The project's node and edge counts, what stats() adds up to, without its breakdowns (cheap). */
  totals(repoId: string): Promise<TargetGraphTotals>;
  /** All nodes of the project, sorted by node_id. */
  readNodes(repoId: string): AsyncIterable<GraphNode>;
  /** All edges of the project, sorted by (type, source, target, kind). */
  readEdges(repoId: string): AsyncIterable<GraphEdge>;
  /**
   * Where the target keeps a write-ahead log (the embedded store), copies what it holds into the
   * database without waiting for anyone, so that closing has less left to do.
   */
  checkpoint?(): void;
  close(): Promise<void>;
}
