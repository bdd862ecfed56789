// What the extractor reads out of one file: the raw material of resolution. Indices, not
// objects, link definitions and references so that an extraction is plain, comparable data.
import type { DefinitionKind, Language, NodeLabel, ReferenceKind } from '../../shared/graph-model.js';

/** Index into FileExtraction.definitions; FILE_SCOPE for code at file level. */
export type DefinitionIndex = number;
export const FILE_SCOPE: DefinitionIndex = -1;

export interface ExtractedDefinition {
  label: Exclude<NodeLabel, 'FILE'>;
  kind: DefinitionKind;
  name: string;
  /** Dotted path inside the file: `Outer.Inner.method`; Go methods `Receiver.method`. */
  qualifiedName: string;
  /** 1-based, the whole definition (decorators included). */
  startLine: number;
  endLine: number;
  /** The enclosing definition, or FILE_SCOPE. */
  parent: DefinitionIndex;
  /** Functions (TS): the declared return type. */
  returnType?: TypeRef;
  /**
   * Functions (TS): per parameter whose type is a function type, the types of that callback's
   * own parameters (`this` excluded), so `f((a, b) => a.m())` knows `a`.
   */
  callbackParameters?: Record<number, (TypeRef | null)[]>;
  /** Classes and interfaces (TS): declared or constructed types of fields and properties. */
  memberTypes?: Record<string, TypeRef>;
}

/**
 * A type as written at a site, resolved later in the scope of the file that wrote it:
 * a named type, what a call returns, or a callback parameter typed by the callee's signature.
 */
export type TypeRef =
  | { kind: 'named'; name: string; qualifier: string[] }
  /** `callee` is the called name chain; `receiver` the type of its first word, when known. */
  | { kind: 'returnOf'; callee: string[]; receiver: TypeRef | null }
  | { kind: 'callbackParameter'; callee: string[]; receiver: TypeRef | null; construct: boolean; argument: number; parameter: number };

export interface ExtractedReference {
  /** The innermost definition the reference is written in, or FILE_SCOPE. */
  source: DefinitionIndex;
  name: string;
  /**
   * What the name is reached through: [] for a bare name, ['self'], ['this'], ['os', 'path'].
   * ['?'] when the receiver is an expression (a call result, an index) rather than a name chain.
   */
  qualifier: string[];
  /** The declared or constructed type of a one-word receiver (`s` in `func (s *S)`), when known. */
  receiverType: string | null;
  /** The type of `qualifier[0]` (or of the `?` expression) when the walk knows it (TS/JS). */
  receiver?: TypeRef;
  kind: ReferenceKind;
  line: number;
}

export interface ImportedName {
  name: string;
  /** The local name; equals `name` when there is no alias. */
  alias: string;
}

export interface ExtractedImport {
  /** As written: `os.path`, `..models`, `./util`, `java.util.List`, `github.com/me/p/util`. */
  module: string;
  /** Names taken from the module (`from m import a as b`, `import {a as b}`); empty otherwise. */
  names: ImportedName[];
  /** The local name bound to the module itself (`import m as x`, `import * as x`, Go package), or null. */
  moduleAlias: string | null;
  /** `from m import *`, `import a.b.*`, Go dot import. */
  wildcard: boolean;
  /** Java `import static`. */
  isStatic: boolean;
  line: number;
}

export interface FileExtraction {
  path: string;
  language: Language;
  lineCount: number;
  /** Java package or Go package clause; null elsewhere. */
  packageName: string | null;
  definitions: ExtractedDefinition[];
  references: ExtractedReference[];
  imports: ExtractedImport[];
}
