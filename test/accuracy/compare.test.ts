// Pair comparison and the precision/recall/F1 arithmetic on a graph small enough to count by hand.
import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '../../src/shared/graph-model.js';
import { compare } from '../../scripts/accuracy/compare.js';
import type { GroundTruth } from '../../scripts/accuracy/truth.js';

function node(id: string, file: string, name: string, label: GraphNode['label'] = 'FUNCTION'): GraphNode {
  return {
    node_id: id, repoId: 'r', label, name, qualified_name: label === 'FILE' ? file : name, file_path: file,
    language: 'typescript', kind: label === 'FILE' ? 'file' : 'function', start_line: 1, end_line: 10,
  };
}
function edge(source: string, target: string, kind: string, line: number, resolution: GraphEdge['resolution'] = 'import'): GraphEdge {
  return { type: 'REFERENCES', repoId: 'r', source, target, kind: kind as GraphEdge['kind'], line, resolution, confidence: 0.9 };
}

const NODES = [node('fa', 'a.ts', 'a.ts', 'FILE'), node('f', 'a.ts', 'f'), node('g', 'b.ts', 'g'), node('h', 'b.ts', 'h'), node('k', 'c.ts', 'k'), node('x', 'vendor.ts', 'x')];

describe('compare', () => {
  it('counts true positives, false positives and misses per pair and per kind', () => {
    const truth: GroundTruth = {
      references: [
        { sourceId: 'f', targetId: 'g', kind: 'call', file: 'a.ts', line: 2, name: 'g' },
        // The same pair again at another line counts once.
        { sourceId: 'f', targetId: 'g', kind: 'call', file: 'a.ts', line: 5, name: 'g' },
        { sourceId: 'f', targetId: 'h', kind: 'type', file: 'a.ts', line: 3, name: 'h' },
        { sourceId: 'fa', targetId: 'k', kind: 'import', file: 'a.ts', line: 1, name: 'k' },
      ],
      resolvedSites: new Set(['a.ts:4:k']),
    };
    const edges = [
      edge('f', 'g', 'call', 2),
      edge('f', 'g', 'call', 7), // duplicate pair: one edge
      edge('f', 'k', 'call', 4, 'unique-name'), // wrong, at a site the tool resolved: judged
      edge('g', 'h', 'call', 6, 'local'), // wrong, the tool resolved nothing there: unjudged
      edge('f', 'x', 'call', 8), // target outside the measured files: ignored
    ];
    const result = compare(NODES, edges, truth, new Set(['a.ts', 'b.ts', 'c.ts']));

    expect(result.overall).toEqual({ truePositives: 1, falsePositives: 2, misses: 2, precision: 1 / 3, recall: 1 / 3, f1: 1 / 3 });
    expect(Object.fromEntries([...result.byKind].map(([kind, score]) => [kind, [score.truePositives, score.falsePositives, score.misses]]))).toEqual({
      call: [1, 2, 0],
      import: [0, 0, 1],
      type: [0, 0, 1],
    });
    expect([...result.byKind.keys()]).toEqual(['call', 'import', 'type']);
    expect(Object.fromEntries(result.byResolution)).toEqual({
      import: { edges: 1, correct: 1 },
      'unique-name': { edges: 1, correct: 0 },
      local: { edges: 1, correct: 0 },
    });
    expect(result.unjudged).toBe(1);
    expect(result.falsePositives).toEqual([
      'a.ts:f -> c.ts:k (call unique-name 0.9 @4)',
      'b.ts:g -> b.ts:h (call local 0.9 @6)',
    ]);
    expect(result.misses).toEqual(['a.ts -> c.ts:k (import a.ts:1 k)', 'a.ts:f -> b.ts:h (type a.ts:3 h)']);
  });

  it('scores an empty comparison as perfect rather than dividing by zero', () => {
    const result = compare(NODES, [], { references: [], resolvedSites: new Set() }, new Set(['a.ts']));
    expect(result.overall).toEqual({ truePositives: 0, falsePositives: 0, misses: 0, precision: 1, recall: 1, f1: 1 });
  });

  it('gives F1 as the harmonic mean of precision and recall', () => {
    const truth: GroundTruth = {
      references: [
        { sourceId: 'f', targetId: 'g', kind: 'call', file: 'a.ts', line: 2, name: 'g' },
        { sourceId: 'f', targetId: 'h', kind: 'call', file: 'a.ts', line: 3, name: 'h' },
        { sourceId: 'f', targetId: 'k', kind: 'call', file: 'a.ts', line: 4, name: 'k' },
      ],
      resolvedSites: new Set(),
    };
    const result = compare(NODES, [edge('f', 'g', 'call', 2)], truth, new Set(['a.ts', 'b.ts', 'c.ts']));
    // precision 1, recall 1/3 -> F1 = 2 * 1 * (1/3) / (4/3) = 0.5
    expect(result.overall.precision).toBe(1);
    expect(result.overall.recall).toBeCloseTo(1 / 3, 10);
    expect(result.overall.f1).toBeCloseTo(0.5, 10);
  });
});
