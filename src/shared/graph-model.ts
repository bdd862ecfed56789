// The code graph, identical in Neo4j and in the embedded store (DESIGN.md "Graph model").
import { compareStrings } from './order.js';

export const NODE_LABELS = ['FILE', 'CLASS', 'INTERFACE', 'FUNCTION'] as const;
export type NodeLabel = (typeof NODE_LABELS)[number];

export const EDGE_TYPES = ['CONTAINS', 'REFERENCES', 'IMPORTS'] as const;
export type EdgeType = (typeof EDGE_TYPES)[number];

export const LANGUAGES = ['python', 'javascript', 'typescript', 'java', 'go'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What a definition is, finer than its label: a FUNCTION may be a `method`, a CLASS an `enum`. */
export const DEFINITION_KINDS = ['file', 'class', 'interface', 'enum', 'struct', 'trait', 'type', 'function', 'method', 'constructor'] as const;
export type DefinitionKind = (typeof DEFINITION_KINDS)[number];

export const REFERENCE_KINDS = ['call', 'type', 'inherit', 'import', 'other'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export const RESOLUTIONS = ['local', 'import', 'unique-name', 'ambiguous'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export interface GraphNode {
  node_id: string;
  repoId: string;
  label: NodeLabel;
  name: string;
  qualified_name: string;
  /** Relative to the project root, `/`-separated. */
  file_path: string;
  language: Language;
  kind: DefinitionKind;
  /** 1-based, the whole definition's span. */
  start_line: number;
  end_line: number;
}

/**
 * One relationship. Identity (what MERGE keys on) is (type, source, target) and, for
 * REFERENCES, `kind`: several calls from one function to another are one edge whose
 * `line` is the first call's line.
 */
export interface GraphEdge {
  type: EdgeType;
  repoId: string;
  source: string;
  target: string;
  kind?: ReferenceKind;
  line?: number;
  resolution?: Resolution;
  confidence?: number;
}

/**
 * Two arrivals of one edge (the same type, source, target and kind) as the graph targets
 * merge them: the earliest line of either, and the resolution and confidence of the more
 * confident (of the one already there on a tie). The resolvers merge the same way, so an
 * edge reads the same whether its references met in one batch, in one unit, or only in the
 * target (and so whatever the division into work units).
 */
export function mergeEdges(existing: GraphEdge, edge: GraphEdge): GraphEdge {
  const moreConfident = existing.confidence === undefined || (edge.confidence !== undefined && edge.confidence > existing.confidence);
  const kept = moreConfident ? edge : existing;
  const line = existing.line === undefined || (edge.line !== undefined && edge.line < existing.line) ? edge.line : existing.line;
  return kept.line === line ? kept : { ...kept, line };
}

/** Edges keyed by identity (type, source, target, kind), merged as the graph targets merge them. */
export class EdgeSet {
  private readonly edges = new Map<string, GraphEdge>();

  add(edge: GraphEdge): void {
    const key = `${edge.type}\u0000${edge.source}\u0000${edge.target}\u0000${edge.kind ?? ''}`;
    const existing = this.edges.get(key);
    this.edges.set(key, existing ? mergeEdges(existing, edge) : edge);
  }

  /** In identity order, which is also the order of the targets' keys. */
  sorted(): GraphEdge[] {
    return [...this.edges.values()].sort(compareEdges);
  }
}

function compareEdges(a: GraphEdge, b: GraphEdge): number {
  return compareStrings(a.type, b.type) || compareStrings(a.source, b.source) || compareStrings(a.target, b.target) || compareStrings(a.kind ?? '', b.kind ?? '');
}

export interface GraphBatch {
  nodes: GraphNode[];
  edges: GraphEdge[];
}
