// Decides, for one reference of one file, where it may point, using only what the file
// itself says (its definitions and imports): a definition of this file, candidates in other
// files (checked against the unit or later by the engine), external, or nothing.
import { packageKeyOf, type ReferenceCandidate } from '../../shared/resolution.js';
import { FILE_SCOPE, type DefinitionIndex, type ExtractedReference, type FileExtraction } from '../extraction/file-extraction.js';
import { isBuiltin, isSelfReceiver, isSuperReceiver } from './builtins.js';
import { bindingsOf, isScriptLanguage, javaSourceRoot, type Binding, type FileBindings, type ModuleContext } from './module-bindings.js';
import type { ScriptTypes } from './script-types.js';

export type ReferenceOutcome =
  | { kind: 'local'; targets: DefinitionIndex[]; confidence: number }
  | { kind: 'candidates'; candidates: ReferenceCandidate[]; fallbackToName: boolean }
  | { kind: 'external' }
  | { kind: 'none' };

export const CONFIDENCE = { local: 1, localBase: 0.9, samePackage: 0.9, import: 0.95, wildcard: 0.9 } as const;

const NONE: ReferenceOutcome = { kind: 'none' };
const EXTERNAL: ReferenceOutcome = { kind: 'external' };
const BY_NAME: ReferenceOutcome = { kind: 'candidates', candidates: [], fallbackToName: true };
/**
 * A member reached through a receiver of unknown type (`x.append()`, `f().save()`): linking it
 * by name alone was wrong far more often than right on real code (list.append -> some
 * in-repo `append`), so it stays unlinked.
 */
const UNKNOWN_RECEIVER: ReferenceOutcome = NONE;

export class FileReferenceResolver {
  readonly bindings: FileBindings;
  /** parent -> name -> definitions with that name directly inside it. */
  private readonly children = new Map<DefinitionIndex, Map<string, DefinitionIndex[]>>();
  private readonly basesCache = new Map<DefinitionIndex, ReferenceOutcome[]>();
  private readonly ownPackage: string;

  constructor(
    readonly extraction: FileExtraction,
    private readonly context: ModuleContext,
    /** TS/JS only: follows receiver types and re-exports into other files. */
    private readonly types: ScriptTypes | null = null,
  ) {
    this.bindings = bindingsOf(extraction, context);
    extraction.definitions.forEach((definition, index) => {
      // A Go method is reached through its receiver, never by its bare name.
      if (extraction.language === 'go' && definition.kind === 'method' && definition.parent === FILE_SCOPE) return;
      // Constructors are reached through their class (`new Dog()` is the class), never by name.
      if (definition.kind === 'constructor') return;
      let byName = this.children.get(definition.parent);
      if (!byName) this.children.set(definition.parent, (byName = new Map()));
      const list = byName.get(definition.name);
      if (list) list.push(index);
      else byName.set(definition.name, [index]);
    });
    this.ownPackage = extraction.language === 'java' ? javaPackageKey(extraction) : packageKeyOf(extraction.path);
  }

  resolve(reference: ExtractedReference): ReferenceOutcome {
    const outcome = this.relocated(this.typedMember(reference) ?? this.resolveReference(reference));
    // A mention that is not a call, a type or a base (a name read as a value) is linked only
    // when scope or imports say where it points: names alone are too often a local variable.
    if (reference.kind === 'other' && outcome.kind === 'candidates' && outcome.fallbackToName) return { ...outcome, fallbackToName: false };
    return outcome;
  }

  /** TS/JS members reached through `this`, `super`, or a receiver whose type the walk recorded. */
  private typedMember(reference: ExtractedReference): ReferenceOutcome | null {
    if (!this.types || !isScriptLanguage(this.extraction.language) || reference.qualifier.length === 0) return null;
    const head = reference.qualifier[0]!;
    if (head !== 'this' && head !== 'super' && !reference.receiver) return null;
    if (head !== 'this' && head !== 'super' && head !== '?' && this.lookupScope(head, reference.source)) return null;
    return this.types.memberReference(this, reference);
  }

  /** Candidates in a file that only re-exports the name move to the file that defines it. */
  private relocated(outcome: ReferenceOutcome): ReferenceOutcome {
    if (!this.types || outcome.kind !== 'candidates' || !isScriptLanguage(this.extraction.language)) return outcome;
    const types = this.types;
    return { ...outcome, candidates: outcome.candidates.map((candidate) => types.relocate(this, candidate)) };
  }

  /** Definitions named `name` directly inside `owner` (constructors excluded). */
  membersNamed(owner: DefinitionIndex, name: string): DefinitionIndex[] | undefined {
    return this.children.get(owner)?.get(name);
  }

  /** What the `extends`/`implements` clauses of a type resolve to. */
  baseOutcomes(type: DefinitionIndex): ReferenceOutcome[] {
    return this.basesOf(type);
  }

  private resolveReference(reference: ExtractedReference): ReferenceOutcome {
    const { qualifier } = reference;
    if (qualifier.length === 0) return this.resolveName(reference.name, reference.source);
    const head = qualifier[0]!;
    if (head === '?') return UNKNOWN_RECEIVER;
    const language = this.extraction.language;
    if (qualifier.length === 1 && (isSelfReceiver(language, head) || isSuperReceiver(language, head))) {
      const owner = this.enclosingType(reference.source);
      if (owner === FILE_SCOPE) return UNKNOWN_RECEIVER;
      return this.memberOf({ kind: 'local', targets: [owner], confidence: CONFIDENCE.local }, reference.name, !isSuperReceiver(language, head));
    }
    if (reference.receiverType !== null && !this.isBound(head, reference.source)) {
      return this.memberOf(this.resolveTypeName(reference.receiverType, reference.source), reference.name, true);
    }
    // A local definition (class, enum) shadows an import of the same name.
    const local = this.lookupScope(head, reference.source);
    if (local) {
      let owner: ReferenceOutcome = { kind: 'local', targets: local, confidence: CONFIDENCE.local };
      for (const member of qualifier.slice(1)) owner = this.memberOf(owner, member, true);
      return this.memberOf(owner, reference.name, true);
    }
    for (let length = qualifier.length; length >= 1; length--) {
      const binding = this.bindings.byName.get(qualifier.slice(0, length).join('.'));
      if (binding) return this.throughBinding(binding, [...qualifier.slice(length), reference.name]);
    }
    if (isBuiltin(language, head)) return EXTERNAL;
    const owner = this.resolveName(head, reference.source);
    if (owner.kind === 'external') return EXTERNAL;
    if (owner.kind === 'candidates' && owner.candidates.length > 0 && qualifier.length === 1) {
      return this.memberOf(owner, reference.name, true);
    }
    return UNKNOWN_RECEIVER;
  }

  /** A receiver's type name, bare (`Square`) or package-qualified (Go `shapes.Square`). */
  private resolveTypeName(typeName: string, source: DefinitionIndex): ReferenceOutcome {
    const parts = typeName.split('.');
    if (parts.length === 1) return this.resolveName(typeName, source);
    return this.resolveReference({ source, name: parts[parts.length - 1]!, qualifier: parts.slice(0, -1), receiverType: null, kind: 'type', line: 0 });
  }

  /** A bare name: scope outwards, then imports, then the runtime, then the package. */
  resolveName(name: string, source: DefinitionIndex): ReferenceOutcome {
    const local = this.lookupScope(name, source);
    if (local) return { kind: 'local', targets: local, confidence: CONFIDENCE.local };
    const language = this.extraction.language;
    if (language === 'java') {
      for (let at = this.enclosingType(source); at !== FILE_SCOPE; at = this.enclosingType(this.extraction.definitions[at]!.parent)) {
        const inherited = this.memberOf({ kind: 'local', targets: [at], confidence: CONFIDENCE.local }, name, false);
        // Only members of in-file bases: a guess `Base.name` in another file would outrank imports.
        if (inherited.kind === 'local') return inherited;
      }
    }
    const binding = this.bindings.byName.get(name);
    if (binding) return binding.path.length === 0 && binding.target.kind !== 'external' ? BY_NAME : this.throughBinding(binding, []);
    if (isBuiltin(language, name)) return EXTERNAL;

    const candidates: ReferenceCandidate[] = [];
    for (const wildcard of [...this.bindings.wildcards].reverse()) {
      const candidate = this.candidateIn(wildcard, [name], 'import', CONFIDENCE.wildcard);
      if (candidate) candidates.push(candidate);
    }
    if (language === 'java' || language === 'go') {
      const candidate = this.candidateIn({ target: { kind: 'package', key: this.ownPackage }, path: [] }, [name], 'local', CONFIDENCE.samePackage);
      if (candidate) candidates.push(candidate);
    }
    // A TypeScript module sees no other file's names unless it imports them.
    return { kind: 'candidates', candidates, fallbackToName: language !== 'typescript' || candidates.length > 0 };
  }

  /** The member `name` of what `owner` resolved to: the class itself, then its bases. */
  private memberOf(owner: ReferenceOutcome, name: string, includeOwner: boolean, depth = 0): ReferenceOutcome {
    if (owner.kind === 'external') return EXTERNAL;
    if (owner.kind === 'none') return memberByName('?', name);
    if (owner.kind === 'candidates') {
      const candidates = owner.candidates.map((candidate) => ({ ...candidate, qualifiedName: `${candidate.qualifiedName}.${name}` }));
      return { kind: 'candidates', candidates, fallbackToName: true };
    }
    const definitions = this.extraction.definitions;
    const type = owner.targets[0]!;
    if (includeOwner) {
      const found = this.children.get(type)?.get(name);
      if (found) return { kind: 'local', targets: found, confidence: depth === 0 ? owner.confidence : CONFIDENCE.localBase };
      if (this.extraction.language === 'go') {
        // Methods of a Go type may be declared in any file of its package.
        const qualifiedName = `${definitions[type]!.qualifiedName}.${name}`;
        return { kind: 'candidates', candidates: [{ file: this.ownPackage, qualifiedName, resolution: 'local', confidence: CONFIDENCE.samePackage }], fallbackToName: true };
      }
    }
    if (depth > 8) return memberByName(definitions[type]!.qualifiedName, name);
    const candidates: ReferenceCandidate[] = [];
    let external = false;
    for (const base of this.basesOf(type)) {
      const member = this.memberOf(base, name, true, depth + 1);
      if (member.kind === 'local') return member;
      if (member.kind === 'candidates') candidates.push(...member.candidates);
      if (member.kind === 'external') external = true;
    }
    if (candidates.length > 0) return { kind: 'candidates', candidates, fallbackToName: true };
    if (external) return EXTERNAL;
    // No bases at all: `super` reaches the language's root object (outside the repo), never a
    // same-named class elsewhere.
    if (this.basesOf(type).length === 0) return includeOwner ? NONE : EXTERNAL;
    return memberByName(definitions[type]!.qualifiedName, name);
  }

  private basesOf(type: DefinitionIndex): ReferenceOutcome[] {
    let bases = this.basesCache.get(type);
    if (bases) return bases;
    this.basesCache.set(type, (bases = []));
    const parent = this.extraction.definitions[type]!.parent;
    for (const reference of this.extraction.references) {
      if (reference.source !== type || reference.kind !== 'inherit') continue;
      const base = reference.qualifier.length === 0 ? this.resolveName(reference.name, parent) : this.resolve({ ...reference, source: parent });
      if (!(base.kind === 'local' && base.targets.includes(type))) bases.push(base);
    }
    return bases;
  }

  private throughBinding(binding: Binding, rest: string[]): ReferenceOutcome {
    const { target } = binding;
    if (target.kind === 'external') return EXTERNAL;
    const path = [...binding.path, ...rest];
    // Through a module we cannot place: `m.f` is a top-level name, `m.C.f` a member.
    const unplaced = path.length > 1 ? memberByName(path.slice(0, -1).join('.'), path[path.length - 1]!) : BY_NAME;
    if (target.kind === 'unknown') return unplaced;
    const candidate = this.candidateIn(binding, rest, 'import', CONFIDENCE.import);
    if (!candidate) return unplaced;
    // A Go package is known whole; elsewhere the name may be re-exported from another module.
    return { kind: 'candidates', candidates: [candidate], fallbackToName: !(this.extraction.language === 'go' && target.kind === 'package') };
  }

  private candidateIn(binding: Binding, rest: string[], resolution: 'local' | 'import', confidence: number): ReferenceCandidate | null {
    const path = [...binding.path, ...rest];
    if (path.length === 0) return null;
    const { target } = binding;
    if (target.kind === 'file') return { file: target.file, qualifiedName: path.join('.'), resolution, confidence };
    if (target.kind !== 'package') return null;
    if (this.extraction.language === 'java') {
      // A Java type `T` of a package lives in `T.java`.
      const file = `${target.key === './' ? '' : target.key}${path[0]}.java`;
      return this.context.fileExists(file) && file !== this.extraction.path ? { file, qualifiedName: path.join('.'), resolution, confidence } : null;
    }
    if (this.extraction.language === 'python') {
      const file = `${target.key === './' ? '' : target.key}${path[0]}.py`;
      return this.context.fileExists(file) && path.length > 1 ? { file, qualifiedName: path.slice(1).join('.'), resolution, confidence } : null;
    }
    return { file: target.key, qualifiedName: path.join('.'), resolution, confidence };
  }

  private isBound(name: string, source: DefinitionIndex): boolean {
    return this.lookupScope(name, source) !== null || this.bindings.byName.has(name);
  }

  /**
   * Definitions named `name` visible from `source`: its own scope outwards to the file. Class
   * bodies are not scopes for the code inside their methods, except in Java.
   */
  private lookupScope(name: string, source: DefinitionIndex): DefinitionIndex[] | null {
    const definitions = this.extraction.definitions;
    const classesAreScopes = this.extraction.language === 'java';
    for (let at = source; ; at = definitions[at]!.parent) {
      const isType = at !== FILE_SCOPE && definitions[at]!.label !== 'FUNCTION';
      if (at === source || !isType || classesAreScopes) {
        const found = this.children.get(at)?.get(name);
        if (found) {
          // Same-named duplicates (overloads, redefinitions) are all linked; different kinds never.
          const first = definitions[found[0]!]!;
          return found.filter((index) => definitions[index]!.qualifiedName === first.qualifiedName);
        }
      }
      if (at === FILE_SCOPE) return null;
    }
  }

  enclosingType(source: DefinitionIndex): DefinitionIndex {
    const definitions = this.extraction.definitions;
    for (let at = source; at !== FILE_SCOPE; at = definitions[at]!.parent) {
      if (definitions[at]!.label !== 'FUNCTION') return at;
    }
    return FILE_SCOPE;
  }
}

/**
 * A member of a type whose bases are not all known: matched by name later, among members only.
 * The dotted candidate (`Owner.name` in any file) is what marks the reference as a member.
 */
function memberByName(owner: string, name: string): ReferenceOutcome {
  return { kind: 'candidates', candidates: [{ file: null, qualifiedName: `${owner}.${name}`, resolution: 'local', confidence: CONFIDENCE.localBase }], fallbackToName: true };
}

function javaPackageKey(extraction: FileExtraction): string {
  const root = javaSourceRoot(extraction);
  if (!extraction.packageName) return packageKeyOf(extraction.path);
  const key = `${root}${extraction.packageName.replace(/\./g, '/')}/`;
  return key === '/' ? './' : key;
}
