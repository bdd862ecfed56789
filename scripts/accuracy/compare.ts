// Compares Repograph's REFERENCES edges with ground truth as (source, target) definition
// pairs, restricted to pairs whose ground-truth target is a definition in the repo.
import type { GraphEdge, GraphNode } from '../../src/shared/graph-model.js';
import type { GroundTruth, TruthReference } from './truth.js';

export interface Score {
  truePositives: number;
  falsePositives: number;
  misses: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Comparison {
  overall: Score;
  byKind: Map<string, Score>;
  byResolution: Map<string, { edges: number; correct: number }>;
  falsePositives: string[];
  misses: string[];
  /** False-positive pairs at whose site the tool resolved nothing (it cannot judge them). */
  unjudged: number;
}

export function compare(nodes: readonly GraphNode[], edges: readonly GraphEdge[], truth: GroundTruth, files: ReadonlySet<string>): Comparison {
  const byId = new Map(nodes.map((node) => [node.node_id, node]));
  const describe = (id: string): string => {
    const node = byId.get(id);
    if (!node) return id;
    return node.label === 'FILE' ? node.file_path : `${node.file_path}:${node.qualified_name}`;
  };
  const inScope = (edge: GraphEdge): boolean => {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    return !!source && !!target && files.has(source.file_path) && files.has(target.file_path) && target.label !== 'FILE';
  };

  const truthPairs = new Map<string, TruthReference>();
  for (const reference of truth.references) {
    const key = `${reference.sourceId}>${reference.targetId}`;
    if (!truthPairs.has(key)) truthPairs.set(key, reference);
  }
  const ours = new Map<string, GraphEdge>();
  for (const edge of edges) {
    if (!inScope(edge)) continue;
    const key = `${edge.source}>${edge.target}`;
    const existing = ours.get(key);
    if (!existing || (existing.line ?? 0) > (edge.line ?? 0)) ours.set(key, edge);
  }

  const kinds = new Map<string, { tp: number; fp: number; miss: number }>();
  const tally = (kind: string) => {
    let entry = kinds.get(kind);
    if (!entry) kinds.set(kind, (entry = { tp: 0, fp: 0, miss: 0 }));
    return entry;
  };
  const byResolution = new Map<string, { edges: number; correct: number }>();
  const falsePositives: string[] = [];
  const misses: string[] = [];
  let unjudged = 0;
  let tp = 0;
  let fp = 0;
  for (const [key, edge] of ours) {
    const resolution = byResolution.get(edge.resolution ?? '') ?? { edges: 0, correct: 0 };
    byResolution.set(edge.resolution ?? '', resolution);
    resolution.edges++;
    if (truthPairs.has(key)) {
      tp++;
      resolution.correct++;
      tally(edge.kind ?? 'other').tp++;
      continue;
    }
    fp++;
    tally(edge.kind ?? 'other').fp++;
    const source = byId.get(edge.source)!;
    const target = byId.get(edge.target)!;
    if (!truth.resolvedSites.has(`${source.file_path}:${edge.line}:${target.name}`)) unjudged++;
    falsePositives.push(`${describe(edge.source)} -> ${describe(edge.target)} (${edge.kind} ${edge.resolution} ${edge.confidence} @${edge.line})`);
  }
  let miss = 0;
  for (const [key, reference] of truthPairs) {
    if (ours.has(key)) continue;
    miss++;
    tally(reference.kind).miss++;
    misses.push(`${describe(reference.sourceId)} -> ${describe(reference.targetId)} (${reference.kind} ${reference.file}:${reference.line} ${reference.name})`);
  }
  const byKind = new Map([...kinds].sort(([a], [b]) => a.localeCompare(b)).map(([kind, t]) => [kind, score(t.tp, t.fp, t.miss)]));
  return { overall: score(tp, fp, miss), byKind, byResolution, falsePositives: falsePositives.sort(), misses: misses.sort(), unjudged };
}

/** Kind-level recall counts a truth pair under the tool's kind, precision under ours: both are approximate. */
function score(truePositives: number, falsePositives: number, misses: number): Score {
  const precision = truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives);
  const recall = truePositives + misses === 0 ? 1 : truePositives / (truePositives + misses);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePositives, falsePositives, misses, precision, recall, f1 };
}
