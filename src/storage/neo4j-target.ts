// The Neo4j graph target: DESIGN's graph model in a (possibly shared) Neo4j 5 database.
// Every write is an UNWIND ... MERGE in a managed transaction, so a retried or replayed batch
// changes nothing, and deadlocks between parallel workers are redone at once. Edges find their
// ends by the nodes' internal ids, which the node writes return.
import neo4j, { type Driver, type ManagedTransaction, type NotificationFilter, type Record as Neo4jRecord, type ServerInfo, type Session } from 'neo4j-driver';
import {
  NODE_LABELS,
  type DefinitionKind,
  type EdgeType,
  type GraphEdge,
  type GraphNode,
  type Language,
  type NodeLabel,
  type ReferenceKind,
  type Resolution,
} from '../shared/graph-model.js';
import { symbolOf, type SymbolRecord } from '../shared/resolution.js';
import type { GraphTarget, TargetGraphStats, TargetGraphTotals } from './graph-target.js';
import { describeNeo4jTarget } from './neo4j-address.js';
import {
  createNeo4jDriver,
  describeNeo4jError,
  explainNeo4jFailure,
  MAX_TRANSACTION_RETRY_MS,
  sessionDatabase,
} from './neo4j-connection.js';
import { compareStrings } from '../shared/order.js';

export interface Neo4jTargetConfig {
  uri: string;
  username: string;
  password?: string;
  database: string;
  batchSize: number;
}

/** The schema by name: open() creates only what is missing, so a routine open takes no schema lock. */
const SCHEMA: readonly { name: string; create: string }[] = [
  { name: 'repograph_node_id', create: 'CREATE CONSTRAINT repograph_node_id IF NOT EXISTS FOR (n:NODE) REQUIRE n.node_id IS UNIQUE' },
  { name: 'repograph_node_repo', create: 'CREATE INDEX repograph_node_repo IF NOT EXISTS FOR (n:NODE) ON (n.repoId)' },
  { name: 'repograph_node_repo_name', create: 'CREATE INDEX repograph_node_repo_name IF NOT EXISTS FOR (n:NODE) ON (n.repoId, n.name)' },
  { name: 'repograph_node_repo_file', create: 'CREATE INDEX repograph_node_repo_file IF NOT EXISTS FOR (n:NODE) ON (n.repoId, n.file_path)' },
];

/** Another writer opening at the same moment created the same rule first: that is success. */
const SCHEMA_RACE_CODES = new Set([
  'Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists',
  'Neo.ClientError.Schema.ConstraintAlreadyExists',
  'Neo.ClientError.Schema.IndexAlreadyExists',
]);

/**
 * Statements per write transaction for writeNodes/writeEdges: they are pipelined (sent without
 * waiting for each answer), so a bigger group saves round trips and commits, while a bounded
 * one keeps locks short between parallel writers and the server's transaction memory small.
 */
const STATEMENTS_PER_TRANSACTION = 8;

/** node_ids a lookup of internal ids asks for at once. */
const LOOKUP_CHUNK = 5000;

// Labels and relationship types cannot be parameters: they are spliced into Cypher only from
// these fixed lists, never from input text.
const EDGE_TYPE_NAMES: Record<EdgeType, EdgeType> = { CONTAINS: 'CONTAINS', REFERENCES: 'REFERENCES', IMPORTS: 'IMPORTS' };

const DEADLOCK_DETECTED = 'Neo.TransientError.Transaction.DeadlockDetected';

/**
 * Carries a deadlock out of a managed transaction as an error the driver does not retry: its
 * own first retry waits a second (then two, four...), about as long as a unit's writes.
 */
class DeadlockVictim extends Error {}

/**
 * Runs `work` in a managed write transaction of a new session. The driver retries transient
 * errors; a transaction the server chose as a deadlock's victim is redone here instead, after
 * a pause of milliseconds (jittered, growing), for up to `limitMs`, after which the driver's
 * own retry takes over. Every write is idempotent, so redoing one changes nothing.
 */
export async function executeWriteRedoingDeadlocks<T>(
  openSession: () => Session,
  work: (tx: ManagedTransaction) => Promise<T>,
  limitMs = MAX_TRANSACTION_RETRY_MS,
): Promise<T> {
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    const session = openSession();
    try {
      return await session.executeWrite(async (tx) => {
        try {
          return await work(tx);
        } catch (error) {
          const redo = (error as { code?: string }).code === DEADLOCK_DETECTED && performance.now() - started < limitMs;
          throw redo ? new DeadlockVictim('deadlock detected', { cause: error }) : error;
        }
      });
    } catch (error) {
      if (!(error instanceof DeadlockVictim)) throw error;
    } finally {
      await session.close();
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(25 * 2 ** attempt, 1000)));
  }
}

function labelOf(node: GraphNode): NodeLabel {
  if (!(NODE_LABELS as readonly string[]).includes(node.label)) throw new Error(`node ${node.node_id} has unknown label '${node.label}'`);
  return node.label;
}

function edgeTypeOf(edge: GraphEdge): EdgeType {
  const type = EDGE_TYPE_NAMES[edge.type];
  if (type === undefined) throw new Error(`edge ${edge.source} -> ${edge.target} has unknown type '${edge.type}'`);
  return type;
}

// Rows are lists, not maps, and the project id is one parameter per statement: the driver then
// encodes no key names per row (a sixth less client CPU on a django parse, and less to decode
// on the server). Lines travel as JS numbers (floats) and are stored as integers by toInteger.
function nodeQuery(label: NodeLabel): string {
  // Properties set one by one, not `n += map`: the map form makes the planner add an Eager
  // (every row materialised before the first write). A definition whose label changed
  // (class -> interface) keeps its id: only such rows, rare, pay for removing the old label.
  // Every row returns the node's internal id, by which the edges then find it.
  const others = NODE_LABELS.filter((other) => other !== label);
  return `UNWIND $batch AS row
MERGE (n:NODE {node_id: row[0]})
SET n:${label}, n.repoId = $repoId, n.name = row[1], n.qualified_name = row[2], n.file_path = row[3],
    n.language = row[4], n.kind = row[5], n.start_line = toInteger(row[6]), n.end_line = toInteger(row[7])
FOREACH (_ IN CASE WHEN ${others.map((other) => `n:${other}`).join(' OR ')} THEN [1] ELSE [] END | REMOVE n:${others.join(':')})
RETURN collect(row[0]) AS keys, collect(id(n)) AS ids`;
}

// Same (type, source, target, kind) arriving twice keeps the first line and the most confident
// resolution, whatever the order: the embedded store does the same, so both export alike.
function edgeQuery(type: EdgeType, keyedByKind: boolean): string {
  const key = keyedByKind ? ' {kind: row[2]}' : '';
  return `UNWIND $batch AS row
WITH row, toInteger(row[3]) AS line
MATCH (a) WHERE id(a) = row[0]
MATCH (b) WHERE id(b) = row[1]
MERGE (a)-[r:${type}${key}]->(b)
SET r.repoId = $repoId,
    r.line = CASE WHEN r.line IS NULL OR line < r.line THEN line ELSE r.line END,
    r.resolution = CASE WHEN r.confidence IS NULL OR row[5] > r.confidence THEN row[4] ELSE r.resolution END,
    r.confidence = CASE WHEN r.confidence IS NULL OR row[5] > r.confidence THEN row[5] ELSE r.confidence END`;
}

/** Looks up nodes by their node_id: one index seek a node, where edges by node_id would pay two an edge. */
const INTERNAL_ID_QUERY = 'UNWIND $keys AS key MATCH (n:NODE {node_id: key}) RETURN collect(key) AS keys, collect(id(n)) AS ids';

/** [node_id, name, qualified_name, file_path, language, kind, start_line, end_line] */
type NodeRow = [string, string, string, string, string, string, number, number];

/** [source, target, kind, line, resolution, confidence], the ends by their internal node ids */
type EdgeRow = [number, number, string | null, number | null, string | null, number | null];

function nodeRow(node: GraphNode): NodeRow {
  return [node.node_id, node.name, node.qualified_name, node.file_path, node.language, node.kind, node.start_line, node.end_line];
}

function edgeRow(edge: GraphEdge, source: number, target: number): EdgeRow {
  return [source, target, edge.kind ?? null, edge.line ?? null, edge.resolution ?? null, edge.confidence ?? null];
}

/** One write statement with its rows; a statement's rows never exceed the batch size. */
interface WriteStep {
  query: string;
  repoId: string;
  batch: unknown[];
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function nodeSteps(nodes: readonly GraphNode[], batchSize: number): WriteStep[] {
  const steps: WriteStep[] = [];
  for (const group of groupBy(nodes, (node) => `${labelOf(node)}\0${node.repoId}`).values()) {
    const first = group[0] as GraphNode;
    // Sorted so concurrent writers take node locks in the same order (fewer deadlocks).
    const rows = group.map(nodeRow).sort((a, b) => compareStrings(a[0], b[0]));
    for (const batch of chunked(rows, batchSize)) steps.push({ query: nodeQuery(labelOf(first)), repoId: first.repoId, batch });
  }
  return steps;
}

/** Edges whose ends are both in `ids`; an edge to a node that does not exist is not written (as MATCH would find nothing). */
function edgeSteps(edges: readonly GraphEdge[], batchSize: number, ids: ReadonlyMap<string, number>): WriteStep[] {
  const steps: WriteStep[] = [];
  for (const group of groupBy(edges, (edge) => `${edgeTypeOf(edge)}\0${edge.kind === undefined}\0${edge.repoId}`).values()) {
    const first = group[0] as GraphEdge;
    const rows: EdgeRow[] = [];
    for (const edge of group) {
      const source = ids.get(edge.source);
      const target = ids.get(edge.target);
      if (source !== undefined && target !== undefined) rows.push(edgeRow(edge, source, target));
    }
    // By internal id, the order in which the server locks nodes: parallel writers meet in one order.
    rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const batch of chunked(rows, batchSize)) steps.push({ query: edgeQuery(edgeTypeOf(first), first.kind !== undefined), repoId: first.repoId, batch });
  }
  return steps;
}

/** node_id -> internal id from records of `RETURN collect(...) AS keys, collect(id(n)) AS ids` (one a statement: cheaper to decode than a record a row). */
function idsOf(records: readonly Neo4jRecord[]): Map<string, number> {
  const ids = new Map<string, number>();
  for (const record of records) {
    const keys = record.get('keys') as string[];
    const values = record.get('ids') as number[];
    keys.forEach((key, i) => ids.set(key, values[i] as number));
  }
  return ids;
}

/** Whether the Bolt version the driver agreed with the server is `major.minor` or later. */
function boltAtLeast(version: ServerInfo['protocolVersion'], major: number, minor: number): boolean {
  if (version === undefined) return false;
  const [have, haveMinor] = typeof version === 'number' ? [Math.trunc(version), Math.round((version % 1) * 10)] : [version.getMajor(), version.getMinor()];
  return have > major || (have === major && haveMinor >= minor);
}

/**
 * Creates the constraint and indexes that are missing and waits for them to be online. On an
 * existing schema this is one read: no schema lock, no wait behind other writers.
 */
async function ensureSchema(driver: Driver, sessionConfig: { database?: string }): Promise<void> {
  const session = driver.session({ ...sessionConfig, defaultAccessMode: neo4j.session.WRITE });
  try {
    // Null when the user may not list the schema: then every rule is created IF NOT EXISTS.
    const existing = async (): Promise<Map<string, string> | null> => {
      try {
        const [indexes, constraints] = await session.executeRead(async (tx) => [
          (await tx.run('SHOW INDEXES YIELD name, state RETURN name, state')).records,
          (await tx.run('SHOW CONSTRAINTS YIELD name RETURN name')).records,
        ]);
        const out = new Map(indexes.map((record) => [record.get('name') as string, record.get('state') as string]));
        for (const record of constraints) if (!out.has(record.get('name') as string)) out.set(record.get('name') as string, 'ONLINE');
        return out;
      } catch (error) {
        if (((error as { code?: string }).code ?? '').startsWith('Neo.ClientError.Security.')) return null;
        throw error;
      }
    };
    const before = await existing();
    for (const rule of SCHEMA) {
      if (before?.has(rule.name)) continue;
      try {
        await session.executeWrite((tx) => tx.run(rule.create));
      } catch (error) {
        if (!SCHEMA_RACE_CODES.has((error as { code?: string }).code ?? '')) throw error;
      }
    }
    const after = await existing();
    if (after === null || SCHEMA.some((rule) => after.get(rule.name) !== 'ONLINE')) await session.run('CALL db.awaitIndexes(300)');
  } finally {
    await session.close();
  }
}

class Neo4jGraphTarget implements GraphTarget {
  readonly kind = 'neo4j' as const;
  readonly description: string;
  private driver: Driver | null = null;
  /**
   * Internal node ids of the nodes this target wrote or looked up, by node_id: edges find their
   * ends by id, not by a seek in the node_id index each. Only committed nodes are kept, and the
   * map is emptied by every delete (the server reuses the ids of deleted nodes).
   */
  private readonly internalIds = new Map<string, number>();
  private notificationFilter: NotificationFilter | undefined;

  constructor(private readonly config: Neo4jTargetConfig) {
    this.description = describeNeo4jTarget(config);
    if (!Number.isInteger(config.batchSize) || config.batchSize < 1) throw new Error(`batch size must be a positive integer, got ${config.batchSize}`);
  }

  async open(): Promise<void> {
    if (this.driver) return;
    const driver = createNeo4jDriver(this.config);
    try {
      const server = await driver.getServerInfo(this.sessionConfig());
      // Servers that can (Bolt 5.2, Neo4j 5.7 on) send no notifications: nothing here reads
      // them, and every statement that finds nodes by id() would carry a deprecation warning.
      if (boltAtLeast(server.protocolVersion, 5, 2)) this.notificationFilter = { minimumSeverityLevel: 'OFF' };
      await ensureSchema(driver, this.sessionConfig());
    } catch (error) {
      await driver.close().catch(() => undefined);
      throw await explainNeo4jFailure(error, this.config);
    }
    this.driver = driver;
  }

  async writeNodes(nodes: readonly GraphNode[]): Promise<void> {
    for (const steps of chunked(nodeSteps(nodes, this.config.batchSize), STATEMENTS_PER_TRANSACTION)) {
      this.remember(await this.write(steps));
    }
  }

  async writeEdges(edges: readonly GraphEdge[]): Promise<void> {
    const ids = await this.internalIdsOf(edges, new Set());
    for (const steps of chunked(edgeSteps(edges, this.config.batchSize, ids), STATEMENTS_PER_TRANSACTION)) await this.write(steps);
  }

  async commitFiles(fileNodes: readonly GraphNode[], edgesFromFiles: readonly GraphEdge[]): Promise<void> {
    const ids = await this.internalIdsOf(edgesFromFiles, new Set(fileNodes.map((node) => node.node_id)));
    // One transaction: either the FILE nodes and their edges are all in, or none are. The
    // edges wait for the FILE nodes' ids, one more round trip inside the transaction.
    const fileIds = await this.writeReturning(async (tx) => {
      const written = await this.run(tx, nodeSteps(fileNodes, this.config.batchSize));
      await this.run(tx, edgeSteps(edgesFromFiles, this.config.batchSize, new Map([...ids, ...written])));
      return written;
    });
    this.remember(fileIds);
  }

  /**
   * The internal ids of the edges' ends, from the map or looked up; `pending` are nodes about
   * to be written in the same transaction, not looked up. Nodes that do not exist are left out.
   */
  private async internalIdsOf(edges: readonly GraphEdge[], pending: ReadonlySet<string>): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    const missing = new Set<string>();
    for (const edge of edges) {
      for (const key of [edge.source, edge.target]) {
        const id = this.internalIds.get(key);
        if (id !== undefined) ids.set(key, id);
        else if (!pending.has(key)) missing.add(key);
      }
    }
    for (const keys of chunked([...missing].sort(), LOOKUP_CHUNK)) {
      // Asked of the server that takes the writes (in a cluster, a follower may not have them yet).
      const found = await this.writeReturning(async (tx) => idsOf((await tx.run(INTERNAL_ID_QUERY, { keys })).records));
      for (const [key, id] of found) {
        ids.set(key, id);
        this.internalIds.set(key, id);
      }
    }
    return ids;
  }

  private remember(ids: ReadonlyMap<string, number>): void {
    for (const [key, id] of ids) this.internalIds.set(key, id);
  }

  async completedFilePaths(repoId: string): Promise<Set<string>> {
    const paths = await this.read(async (tx) => {
      const result = await tx.run('MATCH (n:NODE:FILE {repoId: $repoId}) RETURN n.file_path AS path', { repoId });
      return result.records.map((record) => record.get('path') as string);
    });
    return new Set(paths);
  }

  async readSymbols(repoId: string): Promise<SymbolRecord[]> {
    const symbols: SymbolRecord[] = [];
    for await (const node of this.readNodes(repoId)) {
      symbols.push(symbolOf(node));
    }
    return symbols;
  }

  async deleteFiles(repoId: string, paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return;
    this.internalIds.clear();
    // Uses the (repoId, file_path) index; DETACH removes every edge touching the nodes.
    for (const chunk of chunked(paths, 500)) {
      await this.writeReturning(async (tx) => {
        await tx.run('UNWIND $paths AS path MATCH (n:NODE {repoId: $repoId, file_path: path}) DETACH DELETE n', { repoId, paths: chunk });
        return 0;
      });
    }
  }

  async deleteProject(repoId: string): Promise<void> {
    this.internalIds.clear();
    // Small transactions, relationships first, so a huge project never needs one giant transaction.
    const statements = [
      'MATCH (:NODE {repoId: $repoId})-[r]->() WITH DISTINCT r LIMIT 5000 DELETE r RETURN count(*) AS deleted',
      'MATCH (n:NODE {repoId: $repoId}) WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS deleted',
    ];
    for (const statement of statements) {
      for (;;) {
        const deleted = await this.writeReturning(async (tx) => {
          const result = await tx.run(statement, { repoId });
          return Number(result.records[0]?.get('deleted') ?? 0);
        });
        if (deleted === 0) break;
      }
    }
  }

  async stats(repoId: string): Promise<TargetGraphStats> {
    return this.read(async (tx) => {
      const countBy = async (query: string): Promise<Record<string, number>> => {
        const out: Record<string, number> = {};
        for (const record of (await tx.run(query, { repoId })).records) out[String(record.get('key') ?? '')] = Number(record.get('count'));
        return out;
      };
      const top = await tx.run(
        `MATCH (n:NODE {repoId: $repoId})<-[e:REFERENCES]-(:NODE) WHERE e.repoId = $repoId
         WITH n, count(e) AS refs ORDER BY refs DESC, n.node_id LIMIT 10
         RETURN n.node_id AS node_id, n.name AS name, n.qualified_name AS qualified_name, n.file_path AS file_path,
                [l IN labels(n) WHERE l <> 'NODE'][0] AS label, refs`,
        { repoId },
      );
      return {
        nodesByLabel: await countBy(
          `MATCH (n:NODE {repoId: $repoId}) WITH [l IN labels(n) WHERE l <> 'NODE'][0] AS key
           RETURN key, count(*) AS count ORDER BY key`,
        ),
        edgesByType: await countBy(
          `MATCH (:NODE {repoId: $repoId})-[e]->(:NODE) WHERE e.repoId = $repoId
           RETURN type(e) AS key, count(*) AS count ORDER BY key`,
        ),
        referencesByResolution: await countBy(
          `MATCH (:NODE {repoId: $repoId})-[e:REFERENCES]->(:NODE) WHERE e.repoId = $repoId
           RETURN coalesce(e.resolution, '') AS key, count(*) AS count ORDER BY key`,
        ),
        languages: await countBy(
          `MATCH (n:NODE:FILE {repoId: $repoId}) RETURN n.language AS key, count(*) AS count ORDER BY key`,
        ),
        topReferenced: top.records.map((record) => ({
          node_id: record.get('node_id') as string,
          name: record.get('name') as string,
          qualified_name: record.get('qualified_name') as string,
          file_path: record.get('file_path') as string,
          label: record.get('label') as string,
          references: Number(record.get('refs')),
        })),
      };
    });
  }

  async totals(repoId: string): Promise<TargetGraphTotals> {
    // The same patterns as stats(), so the totals are always what its breakdowns add up to.
    return this.read(async (tx) => {
      const count = async (query: string): Promise<number> => Number((await tx.run(query, { repoId })).records[0]?.get('count') ?? 0);
      return {
        nodes: await count(`MATCH (n:NODE {repoId: $repoId}) RETURN count(n) AS count`),
        edges: await count(`MATCH (:NODE {repoId: $repoId})-[e]->(:NODE) WHERE e.repoId = $repoId RETURN count(e) AS count`),
      };
    });
  }

  async *readNodes(repoId: string): AsyncIterable<GraphNode> {
    const query = `MATCH (n:NODE {repoId: $repoId})
      RETURN n.node_id AS node_id, n.repoId AS repoId, [l IN labels(n) WHERE l <> 'NODE'][0] AS label, n.name AS name,
             n.qualified_name AS qualified_name, n.file_path AS file_path, n.language AS language, n.kind AS kind,
             n.start_line AS start_line, n.end_line AS end_line
      ORDER BY node_id`;
    for await (const row of this.stream(query, { repoId })) {
      // Key order as in GraphNode, so exports of both targets are byte-identical.
      yield {
        node_id: row.node_id as string,
        repoId: row.repoId as string,
        label: row.label as NodeLabel,
        name: row.name as string,
        qualified_name: row.qualified_name as string,
        file_path: row.file_path as string,
        language: row.language as Language,
        kind: row.kind as DefinitionKind,
        start_line: Number(row.start_line),
        end_line: Number(row.end_line),
      };
    }
  }

  async *readEdges(repoId: string): AsyncIterable<GraphEdge> {
    const query = `MATCH (a:NODE {repoId: $repoId})-[e]->(b:NODE) WHERE e.repoId = $repoId
      RETURN type(e) AS type, e.repoId AS repoId, a.node_id AS source, b.node_id AS target, e.kind AS kind,
             e.line AS line, e.resolution AS resolution, e.confidence AS confidence
      ORDER BY type, source, target, coalesce(kind, '')`;
    for await (const row of this.stream(query, { repoId })) {
      const edge: GraphEdge = { type: row.type as EdgeType, repoId: row.repoId as string, source: row.source as string, target: row.target as string };
      if (row.kind !== null && row.kind !== undefined) edge.kind = row.kind as ReferenceKind;
      if (row.line !== null && row.line !== undefined) edge.line = Number(row.line);
      if (row.resolution !== null && row.resolution !== undefined) edge.resolution = row.resolution as Resolution;
      if (row.confidence !== null && row.confidence !== undefined) edge.confidence = Number(row.confidence);
      yield edge;
    }
  }

  async close(): Promise<void> {
    const driver = this.driver;
    this.driver = null;
    await driver?.close();
  }

  private sessionConfig(): { database?: string } {
    const database = sessionDatabase(this.config);
    return database === undefined ? {} : { database };
  }

  private session(mode: 'READ' | 'WRITE'): Session {
    if (!this.driver) throw new Error(`${this.description} is not open`);
    return this.driver.session({
      ...this.sessionConfig(),
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
      ...(this.notificationFilter ? { notificationFilter: this.notificationFilter } : {}),
    });
  }

  /**
   * Runs the steps in one managed transaction (retried as a whole on transient errors) and
   * returns the internal ids of the nodes they wrote, once committed.
   */
  private async write(steps: readonly WriteStep[]): Promise<Map<string, number>> {
    if (steps.length === 0) return new Map();
    return this.writeReturning((tx) => this.run(tx, steps));
  }

  /** Runs the steps pipelined (the server runs them in order, the client waits once); the ids of the nodes they return. */
  private async run(tx: ManagedTransaction, steps: readonly WriteStep[]): Promise<Map<string, number>> {
    const results = await Promise.all(steps.map((step) => tx.run(step.query, { repoId: step.repoId, batch: step.batch })));
    return idsOf(results.flatMap((result) => result.records));
  }

  private async writeReturning<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    try {
      return await executeWriteRedoingDeadlocks(() => this.session('WRITE'), work);
    } catch (error) {
      throw describeNeo4jError(error, this.config);
    }
  }

  private async read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.session('READ');
    try {
      return await session.executeRead(work);
    } catch (error) {
      throw describeNeo4jError(error, this.config);
    } finally {
      await session.close();
    }
  }

  /** Streams a read query's rows with the driver's back-pressure, not all at once. */
  private async *stream(query: string, parameters: Record<string, unknown>): AsyncGenerator<Record<string, unknown>> {
    const session = this.session('READ');
    try {
      for await (const record of session.run(query, parameters)) yield record.toObject() as Record<string, unknown>;
    } catch (error) {
      throw describeNeo4jError(error, this.config);
    } finally {
      await session.close();
    }
  }
}

export function createNeo4jTarget(config: Neo4jTargetConfig): GraphTarget {
  return new Neo4jGraphTarget(config);
}
