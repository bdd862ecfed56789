// Writes a project's graph as CSV files for `neo4j-admin database import full`: the fastest way
// to load a very large graph into an empty Neo4j. One node file per label, one relationship file
// per type, each with its own header line.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EDGE_TYPES, NODE_LABELS, type GraphEdge, type GraphNode } from '../../shared/graph-model.js';
import type { GraphTarget } from '../../storage/graph-target.js';

export interface Neo4jAdminExport {
  files: string[];
  nodes: number;
  relationships: number;
}

export const NODE_HEADER = 'node_id:ID,repoId,name,qualified_name,file_path,language,kind,start_line:int,end_line:int,:LABEL';
export const RELATIONSHIP_HEADER = ':START_ID,:END_ID,:TYPE,repoId,kind,line:int,resolution,confidence:float';

/**
 * A CSV field as neo4j-admin reads it: strings always quoted (inner quotes doubled), so commas,
 * quotes and leading spaces survive; a missing value is an empty unquoted field (no property).
 */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return `"${value.replace(/"/g, '""')}"`;
}

export function nodeLine(node: GraphNode): string {
  return [
    csvField(node.node_id),
    csvField(node.repoId),
    csvField(node.name),
    csvField(node.qualified_name),
    csvField(node.file_path),
    csvField(node.language),
    csvField(node.kind),
    csvField(node.start_line),
    csvField(node.end_line),
    csvField(`NODE;${node.label}`),
  ].join(',');
}

export function relationshipLine(edge: GraphEdge): string {
  return [
    csvField(edge.source),
    csvField(edge.target),
    csvField(edge.type),
    csvField(edge.repoId),
    csvField(edge.kind),
    csvField(edge.line),
    csvField(edge.resolution),
    csvField(edge.confidence),
  ].join(',');
}

/** CSV files, opened on first use; writes wait for the stream to drain so memory stays flat. */
class CsvFiles {
  private readonly streams = new Map<string, WriteStream>();
  readonly files: string[] = [];

  constructor(private readonly outDir: string) {}

  async write(name: string, header: string, line: string): Promise<void> {
    let stream = this.streams.get(name);
    if (!stream) {
      const path = join(this.outDir, name);
      stream = createWriteStream(path, { encoding: 'utf8' });
      this.streams.set(name, stream);
      this.files.push(path);
      stream.write(`${header}\n`);
    }
    if (!stream.write(`${line}\n`)) await once(stream, 'drain');
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.streams.values()].map(
        (stream) => new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve()))),
      ),
    );
  }
}

export async function exportNeo4jAdmin(target: GraphTarget, repoId: string, outDir: string): Promise<Neo4jAdminExport> {
  await mkdir(outDir, { recursive: true });
  const csv = new CsvFiles(outDir);
  let nodes = 0;
  let relationships = 0;
  try {
    for await (const node of target.readNodes(repoId)) {
      // File names only from the fixed label and type lists, whatever the database holds.
      if (!NODE_LABELS.includes(node.label)) throw new Error(`node ${node.node_id} has unknown label '${node.label}'`);
      await csv.write(`nodes-${node.label}.csv`, NODE_HEADER, nodeLine(node));
      nodes += 1;
    }
    for await (const edge of target.readEdges(repoId)) {
      if (!EDGE_TYPES.includes(edge.type)) throw new Error(`edge ${edge.source} -> ${edge.target} has unknown type '${edge.type}'`);
      await csv.write(`relationships-${edge.type}.csv`, RELATIONSHIP_HEADER, relationshipLine(edge));
      relationships += 1;
    }
  } finally {
    await csv.close();
  }
  return { files: [...csv.files].sort(), nodes, relationships };
}

/**
 * The import command for the files, to print for the user (the database must be new or empty).
 * The database comes before the options: --nodes/--relationships take several values each.
 */
export function neo4jAdminImportCommand(files: readonly string[], database = 'neo4j'): string[] {
  const args = ['neo4j-admin', 'database', 'import', 'full', database];
  for (const file of files) args.push(`${/[\\/]relationships-[^\\/]*$/.test(file) ? '--relationships' : '--nodes'}=${file}`);
  return args;
}
