// Extractions outlive the source text they were read from: a worker keeps every file's until its
// whole unit is resolved. A name cut out of the source (tree-sitter's `node.text`, a `slice`) is
// a V8 sliced string, which keeps the entire source alive for as long as the name lives: on 2,500
// of OpenJDK's files, 93 MB of live heap where the extractions' own data is 48 MB. Every string
// an extraction keeps is swapped for an owned copy, shared by all of a worker's files (names
// repeat: `String`, `get`, `self`), so the sources can go as soon as each file is extracted.
import type { ExtractedDefinition, ExtractedImport, ExtractedReference, FileExtraction, TypeRef } from './file-extraction.js';

/** V8 copies substrings shorter than this instead of slicing (SlicedString::kMinLength). */
const SLICED_MIN_LENGTH = 13;

export class StringPool {
  private readonly strings = new Map<string, string>();

  own(text: string): string {
    const owned = this.strings.get(text);
    if (owned !== undefined) return owned;
    // Concatenating makes a new string and slicing it back copies nothing of the old one's parent.
    const copy = text.length < SLICED_MIN_LENGTH ? text : (' ' + text).slice(1);
    this.strings.set(copy, copy);
    return copy;
  }

  /** The same extraction, its strings owned (in place: the extraction is new and not shared yet). */
  ownStrings(extraction: FileExtraction): FileExtraction {
    if (extraction.packageName !== null) extraction.packageName = this.own(extraction.packageName);
    for (const definition of extraction.definitions) this.ownDefinition(definition);
    for (const reference of extraction.references) this.ownReference(reference);
    for (const declared of extraction.imports) this.ownImport(declared);
    return extraction;
  }

  private ownDefinition(definition: ExtractedDefinition): void {
    definition.name = this.own(definition.name);
    definition.qualifiedName = this.own(definition.qualifiedName);
    if (definition.returnType) this.ownType(definition.returnType);
    for (const types of Object.values(definition.callbackParameters ?? {})) {
      for (const type of types) if (type) this.ownType(type);
    }
    for (const type of Object.values(definition.memberTypes ?? {})) this.ownType(type);
  }

  private ownReference(reference: ExtractedReference): void {
    reference.name = this.own(reference.name);
    this.ownAll(reference.qualifier);
    if (reference.receiverType !== null) reference.receiverType = this.own(reference.receiverType);
    if (reference.receiver) this.ownType(reference.receiver);
  }

  private ownImport(declared: ExtractedImport): void {
    declared.module = this.own(declared.module);
    if (declared.moduleAlias !== null) declared.moduleAlias = this.own(declared.moduleAlias);
    for (const imported of declared.names) {
      imported.name = this.own(imported.name);
      imported.alias = this.own(imported.alias);
    }
  }

  /** In place: one TypeRef may stand for a variable's type at many references. */
  private ownType(type: TypeRef): void {
    if (type.kind === 'named') {
      type.name = this.own(type.name);
      this.ownAll(type.qualifier);
    } else {
      this.ownAll(type.callee);
      if (type.receiver) this.ownType(type.receiver);
    }
  }

  /** In place, like the TypeRefs: a name chain may be shared too. */
  private ownAll(texts: string[]): void {
    for (let i = 0; i < texts.length; i++) texts[i] = this.own(texts[i]!);
  }
}
