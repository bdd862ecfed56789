// The Neo4j target against a real Neo4j 5 server (test/helpers/neo4j-server.ts).
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j, { Neo4jError } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '../../src/shared/graph-model.js';
import { EmbeddedGraphStore } from '../../src/storage/embedded-store.js';
import type { GraphTarget } from '../../src/storage/graph-target.js';
import { createNeo4jTarget, executeWriteRedoingDeadlocks } from '../../src/storage/neo4j-target.js';
import { neo4jForTests, type Neo4jTestConnection } from '../helpers/neo4j-server.js';

const server = await neo4jForTests();
const runId = randomUUID().slice(0, 8);

function nodeId(repoId: string, path: string, qualifiedName: string): string {
  return createHash('sha256').update(`${repoId}\0${path}\0${qualifiedName}`).digest('hex').slice(0, 32);
}

/** A small project: files with a class, methods and functions, and references between them. */
function sampleGraph(repoId: string, files = 6): { fileNodes: GraphNode[]; nodes: GraphNode[]; edges: GraphEdge[]; fileEdges: GraphEdge[] } {
  const fileNodes: GraphNode[] = [];
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const fileEdges: GraphEdge[] = [];
  for (let f = 0; f < files; f++) {
    const path = `pkg/mod_${f}.py`;
    const fileId = nodeId(repoId, path, '');
    fileNodes.push({ node_id: fileId, repoId, label: 'FILE', name: `mod_${f}.py`, qualified_name: path, file_path: path, language: 'python', kind: 'file', start_line: 1, end_line: 40 });
    const classId = nodeId(repoId, path, `Service${f}`);
    nodes.push({ node_id: classId, repoId, label: 'CLASS', name: `Service${f}`, qualified_name: `Service${f}`, file_path: path, language: 'python', kind: 'class', start_line: 3, end_line: 20 });
    fileEdges.push({ type: 'CONTAINS', repoId, source: fileId, target: classId });
    const methodId = nodeId(repoId, path, `Service${f}.run`);
    nodes.push({ node_id: methodId, repoId, label: 'FUNCTION', name: 'run', qualified_name: `Service${f}.run`, file_path: path, language: 'python', kind: 'method', start_line: 5, end_line: 9 });
    edges.push({ type: 'CONTAINS', repoId, source: classId, target: methodId });
    const functionId = nodeId(repoId, path, `helper_${f}`);
    nodes.push({ node_id: functionId, repoId, label: 'FUNCTION', name: `helper_${f}, "quoted"`, qualified_name: `helper_${f}`, file_path: path, language: 'python', kind: 'function', start_line: 22, end_line: 30 });
    fileEdges.push({ type: 'CONTAINS', repoId, source: fileId, target: functionId });
    edges.push({ type: 'REFERENCES', repoId, source: methodId, target: functionId, kind: 'call', line: 7, resolution: 'local', confidence: 1 });
    if (f > 0) {
      const previousFile = nodeId(repoId, `pkg/mod_${f - 1}.py`, '');
      const previousClass = nodeId(repoId, `pkg/mod_${f - 1}.py`, `Service${f - 1}`);
      fileEdges.push({ type: 'IMPORTS', repoId, source: fileId, target: previousFile });
      edges.push({ type: 'REFERENCES', repoId, source: classId, target: previousClass, kind: 'inherit', line: 3, resolution: 'import', confidence: 0.9 });
      edges.push({ type: 'REFERENCES', repoId, source: methodId, target: previousClass, kind: 'type', line: 6, resolution: 'unique-name', confidence: 0.5 });
    }
  }
  return { fileNodes, nodes, edges, fileEdges };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function byNodeId(a: GraphNode, b: GraphNode): number {
  return a.node_id < b.node_id ? -1 : a.node_id > b.node_id ? 1 : 0;
}

function edgeKey(edge: GraphEdge): string {
  return `${edge.type}\0${edge.source}\0${edge.target}\0${edge.kind ?? ''}`;
}

async function writeProject(target: GraphTarget, graph: ReturnType<typeof sampleGraph>): Promise<void> {
  await target.writeNodes(graph.nodes);
  await target.writeEdges(graph.edges);
  await target.commitFiles(graph.fileNodes, graph.fileEdges);
}

describe.skipIf(!server)('Neo4j graph target (real server)', () => {
  const conn = server as Neo4jTestConnection;
  const config = { uri: conn.uri, username: conn.username, password: conn.password, database: 'neo4j', batchSize: 4 };
  const repoA = `test-a-${runId}`;
  const repoB = `test-b-${runId}`;
  let target: GraphTarget;
  const admin = neo4j.driver(conn.uri, neo4j.auth.basic(conn.username, conn.password), { disableLosslessIntegers: true });

  beforeAll(async () => {
    target = createNeo4jTarget(config);
    await target.open();
  });

  afterAll(async () => {
    for (const repoId of [repoA, repoB, `test-parallel-${runId}`, `test-same-${runId}`, `test-delete-${runId}`]) await target.deleteProject(repoId);
    await target.close();
    await admin.close();
  });

  async function query(cypher: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> {
    const result = await admin.executeQuery(cypher, params, { database: 'neo4j' });
    return result.records.map((record) => record.toObject());
  }

  it('creates the node_id constraint and the repoId indexes on open()', async () => {
    const constraints = await query('SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties RETURN type, labelsOrTypes, properties');
    expect(constraints).toContainEqual({ type: 'UNIQUENESS', labelsOrTypes: ['NODE'], properties: ['node_id'] });
    const indexes = await query('SHOW INDEXES YIELD labelsOrTypes, properties, state RETURN labelsOrTypes, properties, state');
    expect(indexes).toContainEqual({ labelsOrTypes: ['NODE'], properties: ['repoId', 'name'], state: 'ONLINE' });
    expect(indexes).toContainEqual({ labelsOrTypes: ['NODE'], properties: ['repoId', 'file_path'], state: 'ONLINE' });
    // A second open of another instance finds them in place and does not fail.
    const again = createNeo4jTarget(config);
    await again.open();
    await again.close();
  });

  it('reads back exactly what was written, sorted, with integers as integers', async () => {
    const graph = sampleGraph(repoA);
    await writeProject(target, graph);
    const nodes = await collect(target.readNodes(repoA));
    const expectedNodes = [...graph.nodes, ...graph.fileNodes].sort(byNodeId);
    expect(JSON.stringify(nodes)).toBe(JSON.stringify(expectedNodes));
    const edges = await collect(target.readEdges(repoA));
    const expectedEdges = [...graph.edges, ...graph.fileEdges].sort((a, b) => (edgeKey(a) < edgeKey(b) ? -1 : 1));
    expect(JSON.stringify(edges)).toBe(JSON.stringify(expectedEdges));
    expect(edges.find((edge) => edge.type === 'CONTAINS')).not.toHaveProperty('kind');

    const types = await query(
      `MATCH (n:NODE {repoId: $repoId})-[r:REFERENCES]->() RETURN DISTINCT valueType(n.start_line) AS start, valueType(r.line) AS line,
       valueType(r.confidence) AS confidence, r.repoId = $repoId AS tagged`,
      { repoId: repoA },
    );
    expect(types).toEqual([{ start: 'INTEGER NOT NULL', line: 'INTEGER NOT NULL', confidence: 'FLOAT NOT NULL', tagged: true }]);

    expect(await target.completedFilePaths(repoA)).toEqual(new Set(graph.fileNodes.map((node) => node.file_path)));
    const symbols = await target.readSymbols(repoA);
    expect(symbols).toHaveLength(expectedNodes.length);
    expect(symbols[0]).toEqual({
      nodeId: expectedNodes[0]?.node_id,
      name: expectedNodes[0]?.name,
      qualifiedName: expectedNodes[0]?.qualified_name,
      filePath: expectedNodes[0]?.file_path,
      label: expectedNodes[0]?.label,
      kind: expectedNodes[0]?.kind,
      language: 'python',
    });
  });

  it('leaves identical counts when nodes, edges and a file batch are written again', async () => {
    const graph = sampleGraph(repoA);
    await writeProject(target, graph);
    const before = await target.stats(repoA);
    expect(before.nodesByLabel).toEqual({ CLASS: 6, FILE: 6, FUNCTION: 12 });
    expect(before.edgesByType).toEqual({ CONTAINS: 18, IMPORTS: 5, REFERENCES: 16 });
    expect(before.referencesByResolution).toEqual({ import: 5, local: 6, 'unique-name': 5 });
    expect(before.languages).toEqual({ python: 6 });
    expect(before.topReferenced[0]?.references).toBe(2);
    expect(await target.totals(repoA)).toEqual({ nodes: 24, edges: 39 });

    await writeProject(target, graph);
    // A replayed batch (the in-flight batch redone after a crash) and one in another order.
    await target.commitFiles(graph.fileNodes, graph.fileEdges);
    await target.writeEdges([...graph.edges].reverse());
    expect(await target.stats(repoA)).toEqual(before);
    const [count] = await query('MATCH (n:NODE {repoId: $repoId}) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS nodes, count(r) AS rels', { repoId: repoA });
    expect(count).toEqual({ nodes: 24, rels: 39 });
  });

  it('keeps the first line and the most confident resolution of an edge seen twice', async () => {
    const graph = sampleGraph(repoA);
    const edge = graph.edges.find((e) => e.kind === 'type') as GraphEdge;
    await target.writeEdges([{ ...edge, line: 99, resolution: 'ambiguous', confidence: 0.1 }]);
    await target.writeEdges([{ ...edge, line: 2, resolution: 'import', confidence: 0.8 }]);
    await target.writeEdges([{ ...edge, line: 50, resolution: 'ambiguous', confidence: 0.2 }]);
    const edges = await collect(target.readEdges(repoA));
    expect(edges.find((e) => edgeKey(e) === edgeKey(edge))).toEqual({ ...edge, line: 2, resolution: 'import', confidence: 0.8 });
  });

  it('gives a definition whose label changed (class -> interface) only its new label', async () => {
    const graph = sampleGraph(repoA);
    const node = graph.nodes.find((n) => n.label === 'CLASS') as GraphNode;
    await target.writeNodes([{ ...node, label: 'INTERFACE', kind: 'interface' }]);
    const [labels] = await query('MATCH (n:NODE {node_id: $id}) RETURN labels(n) AS labels', { id: node.node_id });
    expect((labels?.labels as string[]).sort()).toEqual(['INTERFACE', 'NODE']);
    await target.writeNodes([node]);
    const [back] = await query('MATCH (n:NODE {node_id: $id}) RETURN labels(n) AS labels, n.kind AS kind', { id: node.node_id });
    expect({ ...back, labels: (back?.labels as string[]).sort() }).toEqual({ labels: ['CLASS', 'NODE'], kind: 'class' });
  });

  it('keeps two projects apart, and deleting one leaves the other intact', async () => {
    await writeProject(target, sampleGraph(repoA));
    const statsA = await target.stats(repoA);
    const graphB = sampleGraph(repoB, 3);
    await writeProject(target, graphB);
    expect((await target.stats(repoB)).nodesByLabel).toEqual({ CLASS: 3, FILE: 3, FUNCTION: 6 });
    expect(await target.stats(repoA)).toEqual(statsA);
    expect(await target.totals(repoB)).toEqual({ nodes: 12, edges: 18 });
    expect(await target.totals(repoA)).toEqual({ nodes: 24, edges: 39 });

    await target.deleteProject(repoB);
    expect(await target.stats(repoB)).toEqual({ nodesByLabel: {}, edgesByType: {}, referencesByResolution: {}, languages: {}, topReferenced: [] });
    expect(await target.totals(repoB)).toEqual({ nodes: 0, edges: 0 });
    expect(await collect(target.readNodes(repoB))).toEqual([]);
    expect(await target.stats(repoA)).toEqual(statsA);
    expect(await target.completedFilePaths(repoA)).toHaveProperty('size', 6);
  });

  it('lets 4 writers with their own drivers write overlapping edges to shared nodes without a deadlock error', async () => {
    const repoId = `test-parallel-${runId}`;
    const hubs: GraphNode[] = Array.from({ length: 5 }, (_, i) => ({
      node_id: nodeId(repoId, 'hub.py', `hub${i}`), repoId, label: 'FUNCTION', name: `hub${i}`, qualified_name: `hub${i}`,
      file_path: 'hub.py', language: 'python', kind: 'function', start_line: i + 1, end_line: i + 1,
    }));
    const callers: GraphNode[] = Array.from({ length: 200 }, (_, i) => ({
      node_id: nodeId(repoId, `c${i % 20}.py`, `caller${i}`), repoId, label: 'FUNCTION', name: `caller${i}`, qualified_name: `caller${i}`,
      file_path: `c${i % 20}.py`, language: 'python', kind: 'function', start_line: 1, end_line: 3,
    }));
    const seeding = createNeo4jTarget({ ...config, batchSize: 100 });
    await seeding.open();
    await seeding.writeNodes(hubs);
    await seeding.close();

    const edgesFor = (worker: number): GraphEdge[] =>
      callers.flatMap((caller, i) =>
        hubs
          .filter((_, h) => (i + h + worker) % 2 === 0 || h === 0)
          .map((hub) => ({ type: 'REFERENCES' as const, repoId, source: caller.node_id, target: hub.node_id, kind: 'call' as const, line: 10 + worker, resolution: 'unique-name' as const, confidence: 0.5 })),
      );
    const workers = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const worker = createNeo4jTarget({ ...config, batchSize: 25 });
        await worker.open();
        return worker;
      }),
    );
    try {
      await Promise.all(
        workers.map(async (worker, w) => {
          // Every worker writes all callers (overlapping nodes) and edges to the same hubs.
          await worker.writeNodes(w % 2 === 0 ? callers : [...callers].reverse());
          const edges = edgesFor(w);
          await worker.writeEdges(w % 2 === 0 ? edges : edges.reverse());
        }),
      );
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
    }
    const expected = new Set([0, 1, 2, 3].flatMap((w) => edgesFor(w).map(edgeKey)));
    const stats = await target.stats(repoId);
    expect(stats.nodesByLabel).toEqual({ FUNCTION: 205 });
    expect(stats.edgesByType).toEqual({ REFERENCES: expected.size });
    const edges = await collect(target.readEdges(repoId));
    // Each edge keeps the smallest line any of its writers sent (workers 0/2 and 1/3 overlap).
    expect(new Set(edges.map((edge) => edge.line))).toEqual(new Set([10, 11]));
  });

  it('deletes the given files with every edge touching them, as the embedded store does, and nothing else', async () => {
    const repoId = `test-delete-${runId}`;
    const graph = sampleGraph(repoId);
    // Batch size 1: every call spans several pipelined transactions.
    const small = createNeo4jTarget({ ...config, batchSize: 1 });
    await small.open();
    const dir = await mkdtemp(join(tmpdir(), 'repograph-neo4j-'));
    const embedded = new EmbeddedGraphStore(join(dir, 'graph.sqlite'), 1);
    try {
      await embedded.open();
      await writeProject(small, graph);
      await writeProject(embedded, graph);
      await writeProject(target, sampleGraph(repoB, 3));
      const statsB = await target.stats(repoB);
      const gone = ['pkg/mod_2.py', 'pkg/mod_4.py', 'pkg/not_there.py'];
      await small.deleteFiles(repoId, gone);
      await embedded.deleteFiles(repoId, gone);
      // Again: deleting what is gone changes nothing.
      await small.deleteFiles(repoId, gone);

      const dump = async (store: GraphTarget): Promise<string[]> =>
        [...(await collect(store.readNodes(repoId))), ...(await collect(store.readEdges(repoId)))].map((item) => JSON.stringify(item));
      const left = await dump(small);
      expect(left).toEqual(await dump(embedded));
      const removed = new Set(graph.nodes.concat(graph.fileNodes).filter((node) => gone.includes(node.file_path)).map((node) => node.node_id));
      expect(removed.size).toBe(8);
      expect(left.filter((line) => [...removed].some((id) => line.includes(id)))).toEqual([]);
      expect((await target.stats(repoId)).nodesByLabel).toEqual({ CLASS: 4, FILE: 4, FUNCTION: 8 });
      expect(await target.completedFilePaths(repoId)).toEqual(new Set(['pkg/mod_0.py', 'pkg/mod_1.py', 'pkg/mod_3.py', 'pkg/mod_5.py']));
      expect(await target.stats(repoB)).toEqual(statsB);

      // Written again through the same target, which knew the deleted nodes' internal ids: the
      // edges find the new nodes (new ids), the graph whole again as in the embedded store.
      await writeProject(small, graph);
      await writeProject(embedded, graph);
      const again = await dump(small);
      expect(again).toEqual(await dump(embedded));
      expect(again.length).toBe(graph.nodes.length + graph.fileNodes.length + graph.edges.length + graph.fileEdges.length);
    } finally {
      await small.close();
      await embedded.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exports the same graph byte for byte as the embedded store', async () => {
    const repoId = `test-same-${runId}`;
    const graph = sampleGraph(repoId);
    await writeProject(target, graph);
    const dir = await mkdtemp(join(tmpdir(), 'repograph-neo4j-'));
    const embedded = new EmbeddedGraphStore(join(dir, 'graph.sqlite'), 4);
    try {
      await embedded.open();
      await writeProject(embedded, graph);
      const dump = async (store: GraphTarget): Promise<string> =>
        [...(await collect(store.readNodes(repoId))), ...(await collect(store.readEdges(repoId)))].map((item) => JSON.stringify(item)).join('\n');
      expect(await dump(target)).toBe(await dump(embedded));
      expect(await target.stats(repoId)).toEqual(await embedded.stats(repoId));
      expect(await target.readSymbols(repoId)).toEqual(await embedded.readSymbols(repoId));
    } finally {
      await embedded.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes the same graph through a routing (neo4j://) URI, as a cluster is addressed', async () => {
    const repoId = `test-routed-${runId}`;
    const routed = createNeo4jTarget({ ...config, uri: conn.uri.replace(/^bolt:/, 'neo4j:') });
    await routed.open();
    const dir = await mkdtemp(join(tmpdir(), 'repograph-neo4j-'));
    const embedded = new EmbeddedGraphStore(join(dir, 'graph.sqlite'), 4);
    try {
      await embedded.open();
      const graph = sampleGraph(repoId);
      // Nodes through one target, edges through another that looks their ids up (the coordinator's case).
      await routed.writeNodes(graph.nodes);
      const second = createNeo4jTarget({ ...config, uri: conn.uri.replace(/^bolt:/, 'neo4j:') });
      await second.open();
      try {
        await second.writeEdges(graph.edges);
        await second.commitFiles(graph.fileNodes, graph.fileEdges);
        await writeProject(embedded, graph);
        const dump = async (store: GraphTarget): Promise<string> =>
          [...(await collect(store.readNodes(repoId))), ...(await collect(store.readEdges(repoId)))].map((item) => JSON.stringify(item)).join('\n');
        const written = await dump(second);
        expect(written).toBe(await dump(embedded));
        expect(written.split('\n')).toHaveLength(graph.nodes.length + graph.fileNodes.length + graph.edges.length + graph.fileEdges.length);
      } finally {
        await second.deleteProject(repoId);
        await second.close();
      }
    } finally {
      await routed.close();
      await embedded.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('a transaction chosen as a deadlock victim', () => {
    // Errors as the driver makes them from the server's failure messages.
    const serverError = (code: string, message: string): Neo4jError => new Neo4jError(message, code, '50N42', `error: ${message}`);
    const deadlock = (): Neo4jError => serverError('Neo.TransientError.Transaction.DeadlockDetected', 'ForsetiClient can not acquire ExclusiveLock: deadlock');
    const session = (): ReturnType<typeof admin.session> => admin.session({ database: 'neo4j', defaultAccessMode: neo4j.session.WRITE });
    const marks = async (mark: string): Promise<number> => Number((await query('MATCH (n:RG_DEADLOCK_TEST {mark: $mark}) RETURN count(n) AS c', { mark }))[0]?.c);
    afterAll(async () => {
      await query('MATCH (n:RG_DEADLOCK_TEST) DELETE n');
    });

    it('is redone at once, its first attempt rolled back; the driver alone would wait a second', async () => {
      for (const [mark, limitMs] of [[`fast-${runId}`, 60_000], [`driver-${runId}`, 0]] as const) {
        let attempts = 0;
        const started = performance.now();
        const result = await executeWriteRedoingDeadlocks(
          session,
          async (tx) => {
            attempts++;
            await tx.run('CREATE (:RG_DEADLOCK_TEST {mark: $mark})', { mark });
            if (attempts === 1) throw deadlock();
            return 'written';
          },
          limitMs,
        );
        const elapsed = performance.now() - started;
        expect(result).toBe('written');
        expect(attempts).toBe(2);
        expect(await marks(mark)).toBe(1);
        // The driver's first retry comes after 1000 ms +- 20%; ours after at most 25 ms.
        if (limitMs > 0) expect(elapsed).toBeLessThan(800);
        else expect(elapsed).toBeGreaterThanOrEqual(800);
      }
    });

    it('passes any other error on after one attempt, its writes rolled back', async () => {
      const mark = `other-${runId}`;
      let attempts = 0;
      const failure = serverError('Neo.ClientError.Statement.SyntaxError', 'invalid input');
      await expect(
        executeWriteRedoingDeadlocks(session, async (tx) => {
          attempts++;
          await tx.run('CREATE (:RG_DEADLOCK_TEST {mark: $mark})', { mark });
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(attempts).toBe(1);
      expect(await marks(mark)).toBe(0);
    });
  });
});
