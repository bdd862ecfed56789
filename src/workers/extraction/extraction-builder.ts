// Shared bookkeeping for the per-language tree walks: the scope stack (so a definition's
// parent is the definition whose body it is in, never "the previous class"), the receiver
// types known per scope, and the reference/definition lists.
import type { Node } from 'web-tree-sitter';
import type { DefinitionKind, Language, NodeLabel, ReferenceKind } from '../../shared/graph-model.js';
import {
  FILE_SCOPE,
  type DefinitionIndex,
  type ExtractedDefinition,
  type ExtractedImport,
  type ExtractedReference,
  type FileExtraction,
  type TypeRef,
} from './file-extraction.js';
import type { VisitedNodes } from './visited-nodes.js';

export class ExtractionBuilder {
  readonly definitions: ExtractedDefinition[] = [];
  readonly references: ExtractedReference[] = [];
  readonly imports: ExtractedImport[] = [];
  packageName: string | null = null;
  scope: DefinitionIndex = FILE_SCOPE;
  /** Variable name -> type, one map per open scope (index 0 is the file). */
  private readonly receiverTypes: Map<string, TypeRef>[] = [new Map()];
  /** Names bound as local variables (parameters, assignments) per function definition. */
  private readonly localNames = new Map<DefinitionIndex, Set<string>>();

  constructor(
    readonly path: string,
    readonly language: Language,
    private readonly source: string,
    /** The nodes the walk acts on; without it, `descend` walks every named child (the slow reference). */
    private readonly visited: VisitedNodes | null = null,
  ) {}

  /** Visits what a walk through every named child of `node` would act on first. */
  descend(node: Node, visit: (child: Node) => void): void {
    if (this.visited) this.visited.forEachOutermostIn(node, visit);
    else forEachNamedChild(node, visit);
  }

  /** Opens a definition spanning `span`, runs `body` inside it, and closes it. */
  define(
    label: Exclude<NodeLabel, 'FILE'>,
    kind: DefinitionKind,
    name: string,
    span: Node,
    body: () => void,
    qualifiedName?: string,
  ): DefinitionIndex {
    const parent = this.scope;
    const parentName = parent === FILE_SCOPE ? null : this.definitions[parent]!.qualifiedName;
    const index = this.definitions.length;
    this.definitions.push({
      label,
      kind,
      name,
      qualifiedName: qualifiedName ?? (parentName === null ? name : `${parentName}.${name}`),
      startLine: span.startPosition.row + 1,
      endLine: endLine(span),
      parent,
    });
    this.scope = index;
    this.receiverTypes.push(new Map());
    try {
      body();
    } finally {
      this.receiverTypes.pop();
      this.scope = parent;
    }
    return index;
  }

  /** Nearest enclosing CLASS/INTERFACE of the current scope, or FILE_SCOPE. */
  enclosingType(): DefinitionIndex {
    let at = this.scope;
    while (at !== FILE_SCOPE) {
      const definition = this.definitions[at]!;
      if (definition.label !== 'FUNCTION') return at;
      at = definition.parent;
    }
    return FILE_SCOPE;
  }

  setReceiverType(variable: string, type: string | TypeRef): void {
    const ref: TypeRef = typeof type === 'string' ? { kind: 'named', name: type, qualifier: [] } : type;
    this.receiverTypes[this.receiverTypes.length - 1]!.set(variable, ref);
  }

  receiverType(variable: string): TypeRef | null {
    for (let i = this.receiverTypes.length - 1; i >= 0; i--) {
      const found = this.receiverTypes[i]!.get(variable);
      if (found !== undefined) return found;
    }
    return null;
  }

  /** A scope for variable types only (a callback's parameters), not a definition. */
  typeScope(body: () => void): void {
    this.receiverTypes.push(new Map());
    try {
      body();
    } finally {
      this.receiverTypes.pop();
    }
  }

  /** Records a field's type on a class; a declared type (`x: Foo`) beats an assigned one. */
  setMemberType(owner: DefinitionIndex, member: string, type: TypeRef, declared: boolean): void {
    if (owner === FILE_SCOPE) return;
    const definition = this.definitions[owner]!;
    const types = (definition.memberTypes ??= {});
    if (declared || !(member in types)) types[member] = type;
  }

  /** `name` is a local variable of the current function: bare uses of it there are not definitions. */
  bindLocal(name: string): void {
    if (this.scope === FILE_SCOPE || this.definitions[this.scope]!.label !== 'FUNCTION') return;
    let names = this.localNames.get(this.scope);
    if (!names) this.localNames.set(this.scope, (names = new Set()));
    names.add(name);
  }

  reference(name: string, qualifier: string[], kind: ReferenceKind, at: Node, source = this.scope, receiver: TypeRef | null = null): void {
    const head = qualifier.length > 0 && qualifier[0] !== '?' ? this.receiverType(qualifier[0]!) : null;
    const named = qualifier.length === 1 && head?.kind === 'named' && head.qualifier.length === 0 ? head.name : null;
    const reference: ExtractedReference = { source, name, qualifier, receiverType: named, kind, line: at.startPosition.row + 1 };
    const type = receiver ?? head;
    // Only the TS/JS resolver follows these; other languages keep their one-word receiver types.
    if (type && (this.language === 'typescript' || this.language === 'javascript')) reference.receiver = type;
    this.references.push(reference);
  }

  build(): FileExtraction {
    return {
      path: this.path,
      language: this.language,
      lineCount: countLines(this.source),
      packageName: this.packageName,
      definitions: this.definitions,
      // Bound anywhere in the function, the name is local throughout it (Python's rule).
      references: this.references.filter(
        (reference) => reference.qualifier.length > 0 || !this.localNames.get(reference.source)?.has(reference.name),
      ),
      imports: this.imports,
    };
  }
}

/** A node ending at column 0 ends on the previous line (the newline belongs to it, the line does not). */
function endLine(node: Node): number {
  const end = node.endPosition;
  return end.column === 0 && end.row > node.startPosition.row ? end.row : end.row + 1;
}

export function countLines(source: string): number {
  if (source.length === 0) return 1;
  let lines = 1;
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) lines++;
  return source.endsWith('\n') ? lines - 1 : lines;
}

export function forEachNamedChild(node: Node, visit: (child: Node) => void): void {
  const count = node.namedChildCount;
  for (let i = 0; i < count; i++) {
    const child = node.namedChild(i);
    if (child) visit(child);
  }
}

/** The string literal's content without quotes. */
export function stringContent(node: Node): string {
  const text = node.text;
  const first = text[0];
  return first === '"' || first === "'" || first === '`' ? text.slice(1, -1) : text;
}
