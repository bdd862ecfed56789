// TypeScript/JavaScript receiver types: what `this.x`, `f()`, a typed variable or a callback
// parameter is, followed across files through imports, re-exports and `extends` chains. Other
// files are read through `load`, never through the unit, so the answer does not depend on
// how files are split into units.
import type { ReferenceCandidate } from '../../shared/resolution.js';
import { FILE_SCOPE, type DefinitionIndex, type ExtractedReference, type TypeRef } from '../extraction/file-extraction.js';
import type { FileReferenceResolver, ReferenceOutcome } from './reference-resolver.js';

/** Definitions found in one file: same-named duplicates (overloads) together. */
export interface Located {
  resolver: FileReferenceResolver;
  indices: DefinitionIndex[];
}

/** A class or interface declared in some file. */
interface TypeSite {
  resolver: FileReferenceResolver;
  index: DefinitionIndex;
}

export const INFERRED_CONFIDENCE = 0.9;
/** Nesting of type look-ups (a call's return type's field's ...): deep chains are rare and may loop. */
const MAX_DEPTH = 12;

export class ScriptTypes {
  private readonly resolvers = new Map<string, FileReferenceResolver | null>();
  private depth = 0;

  /** `load` gives the resolver of another repo file, or null when it cannot be read. */
  constructor(private readonly load: (path: string) => FileReferenceResolver | null) {}

  /** The outcome of a member reference (`a.b.name`) when the receiver's type can be followed, else null. */
  memberReference(from: FileReferenceResolver, reference: ExtractedReference): ReferenceOutcome | null {
    return this.guard(null, () => {
      const { qualifier } = reference;
      if (qualifier.length === 0) return null;
      if (qualifier.length === 1 && qualifier[0] === 'super') {
        const owner = from.enclosingType(reference.source);
        if (owner === FILE_SCOPE) return null;
        for (const base of this.baseSites({ resolver: from, index: owner })) {
          const found = this.member(base, reference.name, 1);
          if (found) return outcome(from, found.located, true);
        }
        return null;
      }
      for (const site of this.receiverSites(from, reference)) {
        const found = this.member(site, reference.name, 0);
        if (found) return outcome(from, found.located, found.viaBase);
      }
      return null;
    });
  }

  /** The candidate moved to the file that defines it when its file only re-exports it. */
  relocate(from: FileReferenceResolver, candidate: ReferenceCandidate): ReferenceCandidate {
    if (candidate.file === null || candidate.file.endsWith('/')) return candidate;
    const resolver = this.resolverOf(from, candidate.file);
    if (!resolver) return candidate;
    const located = this.guard(null, () => this.locate(resolver, candidate.qualifiedName));
    if (!located || located.resolver === resolver) return candidate;
    const qualifiedName = located.resolver.extraction.definitions[located.indices[0]!]!.qualifiedName;
    return { ...candidate, file: located.resolver.extraction.path, qualifiedName };
  }

  /** The definitions an outcome points at, found in their files. */
  private definitionsOf(from: FileReferenceResolver, result: ReferenceOutcome): Located | null {
    if (result.kind === 'local') return { resolver: from, indices: result.targets };
    if (result.kind !== 'candidates') return null;
    for (const candidate of result.candidates) {
      if (candidate.file === null || candidate.file.endsWith('/')) continue;
      const resolver = this.resolverOf(from, candidate.file);
      const located = resolver ? this.guard(null, () => this.locate(resolver, candidate.qualifiedName)) : null;
      if (located) return located;
    }
    return null;
  }

  /** `A.b` in a file: its own definition, or where the file's imports and `export *` lead. */
  private locate(resolver: FileReferenceResolver, qualifiedName: string): Located | null {
    const [head, ...rest] = qualifiedName.split('.');
    let located: Located | null = null;
    const own = resolver.membersNamed(FILE_SCOPE, head!);
    if (own) located = { resolver, indices: own };
    else {
      const result = resolver.resolveName(head!, FILE_SCOPE);
      if (result.kind === 'candidates' && result.candidates.every((candidate) => candidate.file === resolver.extraction.path)) return null;
      located = this.definitionsOf(resolver, result);
    }
    for (const segment of rest) {
      if (!located) return null;
      const members = located.resolver.membersNamed(located.indices[0]!, segment);
      located = members ? { resolver: located.resolver, indices: members } : null;
    }
    return located;
  }

  /** The types the whole qualifier of a member reference may have. */
  private receiverSites(from: FileReferenceResolver, reference: ExtractedReference): TypeSite[] {
    const [head, ...rest] = reference.qualifier;
    let sites: TypeSite[] = [];
    if (head === 'this') {
      const owner = from.enclosingType(reference.source);
      if (owner !== FILE_SCOPE) sites = [{ resolver: from, index: owner }];
    } else if (reference.receiver) sites = this.typeSites(from, reference.receiver, reference.source);
    for (const segment of rest) {
      const next = sites.length > 0 ? this.fieldType(sites[0]!, segment, 0) : [];
      sites = next;
    }
    return sites;
  }

  private typeSites(resolver: FileReferenceResolver, type: TypeRef, source: DefinitionIndex): TypeSite[] {
    return this.guard([], () => {
      if (type.kind === 'named') {
        const result =
          type.qualifier.length === 0
            ? resolver.resolveName(type.name, source)
            : resolver.resolve({ source, name: type.name, qualifier: type.qualifier, receiverType: null, kind: 'type', line: 0 });
        return sitesOf(this.definitionsOf(resolver, result));
      }
      const callee = this.callee(resolver, type.callee, type.receiver, source);
      if (!callee) return [];
      const definitions = callee.resolver.extraction.definitions;
      for (const index of callee.indices) {
        const definition = definitions[index]!;
        if (type.kind === 'returnOf') {
          if (definition.label === 'FUNCTION' && definition.returnType) {
            const sites = this.typeSites(callee.resolver, definition.returnType, index);
            if (sites.length > 0) return sites;
          }
          continue;
        }
        const functions =
          definition.label === 'FUNCTION' ? [index] : type.construct ? constructorsOf(callee.resolver, index) : [];
        for (const fn of functions) {
          const parameter = definitions[fn]!.callbackParameters?.[type.argument]?.[type.parameter];
          if (!parameter) continue;
          const sites = this.typeSites(callee.resolver, parameter, fn);
          if (sites.length > 0) return sites;
        }
      }
      return [];
    });
  }

  /** The definitions a called name chain (`f`, `this.m`, `x.m`) points at. */
  private callee(resolver: FileReferenceResolver, chain: string[], receiver: TypeRef | null, source: DefinitionIndex): Located | null {
    const reference: ExtractedReference = {
      source,
      name: chain[chain.length - 1]!,
      qualifier: chain.slice(0, -1),
      receiverType: null,
      kind: 'call',
      line: 0,
    };
    if (receiver) reference.receiver = receiver;
    return this.definitionsOf(resolver, resolver.resolve(reference));
  }

  /** The declared type of field `name` of a class or interface, or of its bases. */
  private fieldType(site: TypeSite, name: string, depth: number): TypeSite[] {
    const type = site.resolver.extraction.definitions[site.index]!.memberTypes?.[name];
    if (type) return this.typeSites(site.resolver, type, site.index);
    if (depth > 8) return [];
    for (const base of this.baseSites(site)) {
      const sites = this.fieldType(base, name, depth + 1);
      if (sites.length > 0) return sites;
    }
    return [];
  }

  private member(site: TypeSite, name: string, depth: number): { located: Located; viaBase: boolean } | null {
    const own = site.resolver.membersNamed(site.index, name);
    if (own) return { located: { resolver: site.resolver, indices: own }, viaBase: depth > 0 };
    if (depth > 8) return null;
    for (const base of this.baseSites(site)) {
      const found = this.member(base, name, depth + 1);
      if (found) return found;
    }
    return null;
  }

  private baseSites(site: TypeSite): TypeSite[] {
    return this.guard([], () => site.resolver.baseOutcomes(site.index).flatMap((base) => sitesOf(this.definitionsOf(site.resolver, base))));
  }

  private resolverOf(from: FileReferenceResolver, path: string): FileReferenceResolver | null {
    if (path === from.extraction.path) return from;
    let resolver = this.resolvers.get(path);
    if (resolver === undefined) this.resolvers.set(path, (resolver = this.load(path)));
    return resolver;
  }

  private guard<T>(fallback: T, body: () => T): T {
    if (this.depth >= MAX_DEPTH) return fallback;
    this.depth++;
    try {
      return body();
    } finally {
      this.depth--;
    }
  }
}

function sitesOf(located: Located | null): TypeSite[] {
  if (!located) return [];
  const definitions = located.resolver.extraction.definitions;
  return located.indices
    .filter((index) => definitions[index]!.label !== 'FUNCTION' && definitions[index]!.kind !== 'type')
    .slice(0, 1)
    .map((index) => ({ resolver: located.resolver, index }));
}

function constructorsOf(resolver: FileReferenceResolver, type: DefinitionIndex): DefinitionIndex[] {
  const found: DefinitionIndex[] = [];
  resolver.extraction.definitions.forEach((definition, index) => {
    if (definition.parent === type && definition.kind === 'constructor') found.push(index);
  });
  return found;
}

function outcome(from: FileReferenceResolver, located: Located, viaBase: boolean): ReferenceOutcome {
  if (located.resolver === from) return { kind: 'local', targets: located.indices, confidence: viaBase ? INFERRED_CONFIDENCE : 1 };
  const qualifiedName = located.resolver.extraction.definitions[located.indices[0]!]!.qualifiedName;
  const candidate: ReferenceCandidate = { file: located.resolver.extraction.path, qualifiedName, resolution: 'import', confidence: INFERRED_CONFIDENCE };
  return { kind: 'candidates', candidates: [candidate], fallbackToName: false };
}
