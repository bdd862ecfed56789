// `repograph export --format jsonl`: every node and edge, in the line format of APOC's
// apoc.export.json, sorted, so two graphs compare with `diff` and load with apoc.import.json.
import type { GraphEdge, GraphNode } from '../../shared/graph-model.js';
import type { GraphTarget } from '../../storage/graph-target.js';

function sortedProperties(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) if (record[key] !== undefined) out[key] = record[key];
  return out;
}

export function nodeLine(node: GraphNode): string {
  const { label, ...properties } = node;
  return JSON.stringify({ type: 'node', id: node.node_id, labels: ['NODE', label], properties: sortedProperties(properties) });
}

export function edgeLine(edge: GraphEdge, labelOf: (nodeId: string) => string | undefined): string {
  const { type, source, target, ...properties } = edge;
  const id = `${source}:${type}:${edge.kind ?? ''}:${target}`;
  return JSON.stringify({
    type: 'relationship',
    id,
    label: type,
    start: { id: source, labels: ['NODE', labelOf(source) ?? 'UNKNOWN'] },
    end: { id: target, labels: ['NODE', labelOf(target) ?? 'UNKNOWN'] },
    properties: sortedProperties(properties),
  });
}

export async function exportJsonl(target: GraphTarget, repoId: string, write: (line: string) => void | Promise<void>): Promise<{ nodes: number; relationships: number }> {
  const labels = new Map<string, string>();
  let nodes = 0;
  let relationships = 0;
  for await (const node of target.readNodes(repoId)) {
    labels.set(node.node_id, node.label);
    await write(nodeLine(node) + '\n');
    nodes++;
  }
  for await (const edge of target.readEdges(repoId)) {
    await write(edgeLine(edge, (id) => labels.get(id)) + '\n');
    relationships++;
  }
  return { nodes, relationships };
}
