// Places a ground-truth reference on Repograph's definitions: the source is the innermost
// definition whose span holds the reference (else the FILE), the target the innermost
// same-named definition whose span holds the declaration's name.
import type { GraphNode } from '../../src/shared/graph-model.js';

export class DefinitionMap {
  private readonly byFile = new Map<string, GraphNode[]>();
  private readonly fileNodes = new Map<string, GraphNode>();

  constructor(nodes: readonly GraphNode[]) {
    for (const node of nodes) {
      if (node.label === 'FILE') {
        this.fileNodes.set(node.file_path, node);
        continue;
      }
      const list = this.byFile.get(node.file_path);
      if (list) list.push(node);
      else this.byFile.set(node.file_path, [node]);
    }
  }

  hasFile(file: string): boolean {
    return this.fileNodes.has(file);
  }

  /** 1-based line. */
  sourceAt(file: string, line: number): GraphNode | null {
    return this.innermost(file, line, null) ?? this.fileNodes.get(file) ?? null;
  }

  targetAt(file: string, line: number, name: string): GraphNode | null {
    return this.innermost(file, line, name);
  }

  private innermost(file: string, line: number, name: string | null): GraphNode | null {
    let best: GraphNode | null = null;
    for (const node of this.byFile.get(file) ?? []) {
      if (line < node.start_line || line > node.end_line || (name !== null && node.name !== name)) continue;
      if (!best || node.end_line - node.start_line < best.end_line - best.start_line) best = node;
    }
    return best;
  }
}
