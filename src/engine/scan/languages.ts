// Which files are parseable code, decided by file name alone.
import type { Language } from '../../shared/graph-model.js';

const LANGUAGE_BY_EXTENSION: ReadonlyMap<string, Language> = new Map([
  ['.py', 'python'],
  ['.js', 'javascript'],
  ['.mjs', 'javascript'],
  ['.cjs', 'javascript'],
  ['.jsx', 'javascript'],
  ['.ts', 'typescript'],
  ['.mts', 'typescript'],
  ['.cts', 'typescript'],
  ['.tsx', 'typescript'],
  ['.java', 'java'],
  ['.go', 'go'],
]);

const DECLARATION_FILE = /\.d\.[cm]?ts$/;

function extensionOf(relativePath: string): string {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  // A leading dot names a hidden file (".js"), not an extension.
  return dot > 0 ? name.slice(dot) : '';
}

/** The language of a file, or null when it is not parseable code (declaration files included). */
export function languageOf(relativePath: string): Language | null {
  if (DECLARATION_FILE.test(relativePath)) return null;
  return LANGUAGE_BY_EXTENSION.get(extensionOf(relativePath)) ?? null;
}

/** TypeScript declaration files describe code that lives elsewhere, so they are skipped, not parsed. */
export function isDeclarationFile(relativePath: string): boolean {
  return DECLARATION_FILE.test(relativePath);
}
