// Reads other repo files' extractions from disk for UnitResolutionInput.extractionOf, so that
// TS/JS types declared in files of other units (or completed earlier) can be followed. Only
// TS/JS files are read: the other languages never look into other files' declarations.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Language } from '../../shared/graph-model.js';
import type { Extractor } from '../extraction/extractor.js';
import type { FileExtraction } from '../extraction/file-extraction.js';

/** The languages whose references follow declared types into other files: the only ones read. */
export const TYPES_FOLLOWED_INTO_FILES: ReadonlySet<Language> = new Set(['typescript', 'javascript']);

export interface ExtractionReaderInput {
  root: string;
  extractor: Extractor;
  /** The language the plan gave the file; null for files outside the plan (never read). */
  languageOf: (relativePath: string) => Language | null;
}

export function createExtractionReader(input: ExtractionReaderInput): (relativePath: string) => FileExtraction | null {
  const cache = new Map<string, FileExtraction | null>();
  return (relativePath) => {
    const cached = cache.get(relativePath);
    if (cached !== undefined) return cached;
    let extraction: FileExtraction | null = null;
    const language = input.languageOf(relativePath);
    if (language !== null && TYPES_FOLLOWED_INTO_FILES.has(language)) {
      try {
        const source = readFileSync(path.join(input.root, relativePath), 'utf8');
        extraction = input.extractor.extract({ path: relativePath, language }, source);
      } catch {
        // Unreadable or unparseable: its types are simply not followed (the file fails on its own).
        extraction = null;
      }
    }
    cache.set(relativePath, extraction);
    return extraction;
  };
}
