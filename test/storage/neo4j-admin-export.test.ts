// The neo4j-admin CSV export (src/engine/export/neo4j-admin-export.ts), read from the real Neo4j
// target, then imported with the real `neo4j-admin database import full` (the import tool ships
// in the test server's classpath) into a fresh store that a second server reads back.
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { freePort } from '../helpers/free-port.js';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exportNeo4jAdmin,
  neo4jAdminImportCommand,
  NODE_HEADER,
  RELATIONSHIP_HEADER,
} from '../../src/engine/export/neo4j-admin-export.js';
import type { GraphEdge, GraphNode } from '../../src/shared/graph-model.js';
import type { GraphTarget } from '../../src/storage/graph-target.js';
import { createNeo4jTarget } from '../../src/storage/neo4j-target.js';
import { neo4jForTests, type Neo4jTestConnection } from '../helpers/neo4j-server.js';

const server = await neo4jForTests();
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLASSPATH = `${ROOT}/neo4j-test-server/target/classes:${ROOT}/neo4j-test-server/target/lib/*`;
const importToolAvailable = existsSync(join(ROOT, 'neo4j-test-server', 'target', 'lib', 'neo4j-import-tool-5.26.30.jar'));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** RFC 4180 rows: quoted fields with doubled quotes; an unquoted empty field is null. */
function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const fields: (string | null)[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let value = '';
        i += 1;
        while (i < line.length) {
          if (line[i] === '"' && line[i + 1] === '"') (value += '"'), (i += 2);
          else if (line[i] === '"') break;
          else (value += line[i]), (i += 1);
        }
        fields.push(value);
        i += 2;
      } else {
        const end = line.indexOf(',', i) === -1 ? line.length : line.indexOf(',', i);
        fields.push(end === i ? null : line.slice(i, end));
        i = end + 1;
      }
    }
    rows.push(fields);
  }
  return rows;
}

function sampleGraph(repoId: string): { nodes: GraphNode[]; files: GraphNode[]; edges: GraphEdge[]; fileEdges: GraphEdge[] } {
  const file: GraphNode = { node_id: `${repoId}-f`, repoId, label: 'FILE', name: 'a, "b".py', qualified_name: 'src/a, "b".py', file_path: 'src/a, "b".py', language: 'python', kind: 'file', start_line: 1, end_line: 30 };
  const cls: GraphNode = { node_id: `${repoId}-c`, repoId, label: 'CLASS', name: ' Leading space', qualified_name: 'Ünïcode.Klass', file_path: file.file_path, language: 'python', kind: 'class', start_line: 2, end_line: 20 };
  const fn: GraphNode = { node_id: `${repoId}-m`, repoId, label: 'FUNCTION', name: 'run', qualified_name: 'Ünïcode.Klass.run', file_path: file.file_path, language: 'python', kind: 'method', start_line: 4, end_line: 9 };
  const iface: GraphNode = { node_id: `${repoId}-i`, repoId, label: 'INTERFACE', name: 'Runner', qualified_name: 'Runner', file_path: file.file_path, language: 'python', kind: 'interface', start_line: 22, end_line: 28 };
  return {
    nodes: [cls, fn, iface],
    files: [file],
    edges: [
      { type: 'CONTAINS', repoId, source: cls.node_id, target: fn.node_id },
      { type: 'REFERENCES', repoId, source: cls.node_id, target: iface.node_id, kind: 'inherit', line: 2, resolution: 'local', confidence: 1 },
      { type: 'REFERENCES', repoId, source: fn.node_id, target: iface.node_id, kind: 'type', line: 5, resolution: 'unique-name', confidence: 0.65 },
    ],
    fileEdges: [
      { type: 'CONTAINS', repoId, source: file.node_id, target: cls.node_id },
      { type: 'CONTAINS', repoId, source: file.node_id, target: iface.node_id },
      { type: 'IMPORTS', repoId, source: file.node_id, target: file.node_id },
    ],
  };
}


describe.skipIf(!server)('neo4j-admin CSV export', () => {
  const conn = server as Neo4jTestConnection;
  const repoId = `test-export-${randomUUID().slice(0, 8)}`;
  const graph = sampleGraph(repoId);
  let target: GraphTarget;
  let dir: string;

  beforeAll(async () => {
    target = createNeo4jTarget({ uri: conn.uri, username: conn.username, password: conn.password, database: 'neo4j', batchSize: 100 });
    await target.open();
    await target.writeNodes(graph.nodes);
    await target.writeEdges(graph.edges);
    await target.commitFiles(graph.files, graph.fileEdges);
    dir = await mkdtemp(join(tmpdir(), 'repograph-admin-export-'));
  });

  afterAll(async () => {
    await target.deleteProject(repoId);
    await target.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one node file per label and one relationship file per type, quoted so values survive', async () => {
    const out = join(dir, 'csv');
    const result = await exportNeo4jAdmin(target, repoId, out);
    expect(result.nodes).toBe(4);
    expect(result.relationships).toBe(6);
    expect(result.files.map((file) => basename(file))).toEqual([
      'nodes-CLASS.csv', 'nodes-FILE.csv', 'nodes-FUNCTION.csv', 'nodes-INTERFACE.csv',
      'relationships-CONTAINS.csv', 'relationships-IMPORTS.csv', 'relationships-REFERENCES.csv',
    ]);
    const classRows = parseCsv(await readFile(join(out, 'nodes-CLASS.csv'), 'utf8'));
    expect(classRows[0]?.join(',')).toBe(NODE_HEADER);
    expect(classRows[1]).toEqual([`${repoId}-c`, repoId, ' Leading space', 'Ünïcode.Klass', 'src/a, "b".py', 'python', 'class', '2', '20', 'NODE;CLASS']);
    const contains = await readFile(join(out, 'relationships-CONTAINS.csv'), 'utf8');
    expect(contains.split('\n')[0]).toBe(RELATIONSHIP_HEADER);
    // Absent kind/line/resolution/confidence are empty unquoted fields: no property at all.
    expect(contains).toContain(`"${repoId}-c","${repoId}-m","CONTAINS","${repoId}",,,,\n`);
    const references = parseCsv(await readFile(join(out, 'relationships-REFERENCES.csv'), 'utf8'));
    expect(references.slice(1)).toContainEqual([`${repoId}-m`, `${repoId}-i`, 'REFERENCES', repoId, 'type', '5', 'unique-name', '0.65']);
    expect(neo4jAdminImportCommand(result.files).slice(0, 6)).toEqual(['neo4j-admin', 'database', 'import', 'full', 'neo4j', `--nodes=${result.files[0]}`]);
  });

  it.skipIf(!importToolAvailable)('is accepted by neo4j-admin import, and the imported graph reads back identical', { timeout: 180_000 }, async () => {
    const out = join(dir, 'import-csv');
    const result = await exportNeo4jAdmin(target, repoId, out);
    const home = join(dir, 'home');
    await mkdir(join(home, 'conf'), { recursive: true });
    await writeFile(join(home, 'conf', 'neo4j.conf'), '');
    const [, ...adminArgs] = neo4jAdminImportCommand(result.files);
    const { stdout } = await promisify(execFile)('java', ['-Xmx512m', '-cp', CLASSPATH, 'org.neo4j.cli.AdminTool', ...adminArgs], {
      env: { ...process.env, NEO4J_HOME: home, NEO4J_CONF: join(home, 'conf') },
      maxBuffer: 20 * 1024 * 1024,
    });
    expect(stdout).toMatch(/IMPORT DONE/);
    expect(stdout).toMatch(/Imported:\s+4 nodes\s+6 relationships/);

    // A second server on the imported store: what it holds equals what was exported.
    const port = await freePort();
    const password = 'import-check';
    const child = spawn('java', ['-Xmx512m', '-cp', CLASSPATH, 'org.repograph.testserver.Neo4jTestServer', home, String(port), password], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer): void => {
          log += chunk.toString();
          if (log.includes('REPOGRAPH_NEO4J_READY')) resolve();
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (code) => reject(new Error(`import check server exited with ${code}: ${log}`)));
      });
      const imported = createNeo4jTarget({ uri: `bolt://127.0.0.1:${port}`, username: 'neo4j', password, database: 'neo4j', batchSize: 100 });
      await imported.open();
      try {
        expect(JSON.stringify(await collect(imported.readNodes(repoId)))).toBe(JSON.stringify(await collect(target.readNodes(repoId))));
        expect(JSON.stringify(await collect(imported.readEdges(repoId)))).toBe(JSON.stringify(await collect(target.readEdges(repoId))));
      } finally {
        await imported.close();
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
    }
  });
});
