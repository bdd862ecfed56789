// The nodes a language walk acts on, found in one call into tree-sitter per file.
//
// A walk that asks for every child of every node crosses from JavaScript into WASM and
// allocates a Node object for each of them, and most of them (literals, operators, blocks)
// matter only as containers. `descendantsOfType` walks the tree inside WASM and hands back
// just the nodes of the given types, in document order (a parent before its children), so
// descending through uninteresting nodes costs nothing in JavaScript.
import type { Node } from 'web-tree-sitter';

export class VisitedNodes {
  private readonly nodes: Node[];
  private readonly starts: Int32Array;
  /** End byte of each node, read from WASM when first needed (-1: not read yet). */
  private readonly ends: Int32Array;

  constructor(root: Node, types: readonly string[]) {
    // Plain loops: `filter` and `Int32Array.from` with a mapping function cost more per node
    // than the loop, and a file has thousands of nodes of these types.
    const found = root.descendantsOfType(types as string[]);
    const nodes: Node[] = [];
    for (const node of found) if (node !== null) nodes.push(node);
    const starts = new Int32Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) starts[i] = nodes[i]!.startIndex;
    this.nodes = nodes;
    this.starts = starts;
    this.ends = new Int32Array(nodes.length).fill(-1);
  }

  /**
   * Calls `visit` on the outermost nodes of the given types strictly inside `parent`: what a
   * recursive walk through every named child would reach first. Nodes inside a visited one are
   * left to `visit`, which walks its node as it sees fit.
   */
  forEachOutermostIn(parent: Node, visit: (node: Node) => void): void {
    const start = parent.startIndex;
    const end = parent.endIndex;
    let sameRangeAncestors: Set<number> | null = null;
    for (let i = this.firstAtOrAfter(start); i < this.nodes.length && this.starts[i]! < end; ) {
      const node = this.nodes[i]!;
      const nodeEnd = this.endOf(i);
      // Nodes that start where `parent` starts may be `parent` itself or enclose it.
      if (nodeEnd > end || node.id === parent.id) {
        i++;
        continue;
      }
      if (this.starts[i] === start && nodeEnd === end) {
        sameRangeAncestors ??= ancestorsWithRange(parent);
        if (sameRangeAncestors.has(node.id)) {
          i++;
          continue;
        }
      }
      visit(node);
      i++;
      while (i < this.nodes.length && this.starts[i]! < nodeEnd) i++;
    }
  }

  private endOf(i: number): number {
    let end = this.ends[i]!;
    if (end === -1) this.ends[i] = end = this.nodes[i]!.endIndex;
    return end;
  }

  private firstAtOrAfter(start: number): number {
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.starts[mid]! < start) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/** Ids of the nodes enclosing `node` that span exactly its bytes (a statement around one call). */
function ancestorsWithRange(node: Node): Set<number> {
  const ids = new Set<number>();
  for (let up = node.parent; up && up.startIndex === node.startIndex && up.endIndex === node.endIndex; up = up.parent) ids.add(up.id);
  return ids;
}
