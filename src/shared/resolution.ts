// What workers hand the engine for cross-unit resolution (DESIGN.md pipeline step 5).
import type { DefinitionKind, GraphNode, Language, NodeLabel, ReferenceKind, Resolution } from './graph-model.js';

/** A definition that other units may reference; stored only once its file is completed. */
export interface SymbolRecord {
  nodeId: string;
  name: string;
  qualifiedName: string;
  filePath: string;
  label: NodeLabel;
  kind: DefinitionKind;
  language: Language;
}

/** A graph node as the symbol table holds it. */
export function symbolOf(node: GraphNode): SymbolRecord {
  return {
    nodeId: node.node_id,
    name: node.name,
    qualifiedName: node.qualified_name,
    filePath: node.file_path,
    label: node.label,
    kind: node.kind,
    language: node.language,
  };
}

/**
 * Package key (`dir/`, `./` at the root) of a file: Go packages and Java packages are folders.
 * A candidate whose file is a package key may be defined in any file directly in that folder;
 * workers write such candidates and the engine answers them, so both read keys through this.
 */
export function packageKeyOf(filePath: string): string {
  const slash = filePath.lastIndexOf('/');
  return slash === -1 ? './' : filePath.slice(0, slash + 1);
}

/** Where a reference may point, most preferred first. */
export interface ReferenceCandidate {
  /** The in-repo file the target must be defined in; null for any file. */
  file: string | null;
  qualifiedName: string;
  resolution: Exclude<Resolution, 'unique-name' | 'ambiguous'>;
  confidence: number;
}

/**
 * A reference its worker could not resolve inside its unit. The answer must not depend on
 * which unit finished first, so name-only ("unique-name") resolution happens only once all
 * symbols are known.
 */
export interface DeferredReference {
  sourceNodeId: string;
  sourceFile: string;
  language: Language;
  name: string;
  /** IMPORTS (FILE -> FILE) or REFERENCES (definition or FILE -> definition). */
  edge: 'REFERENCES' | 'IMPORTS';
  kind: ReferenceKind;
  line: number;
  candidates: ReferenceCandidate[];
  /** When no candidate matches, link by a name that is unique (or nearly) in the repo. */
  fallbackToName: boolean;
  /** Points outside the repo (standard library, a dependency): counted, never linked. */
  external: boolean;
}
