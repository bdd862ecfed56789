// Loads the grammars once per worker and turns a file's source into a FileExtraction.
// One parser per grammar is kept for the worker's life; every tree is freed after use,
// because WASM memory never shrinks.
import { createRequire } from 'node:module';
import path from 'node:path';
import { Language as Grammar, Parser, type Node } from 'web-tree-sitter';
import type { Language } from '../../shared/graph-model.js';
import { ExtractionBuilder } from './extraction-builder.js';
import type { FileExtraction } from './file-extraction.js';

export type { FileExtraction } from './file-extraction.js';
import { walkGo } from './languages/go.js';
import { walkJava } from './languages/java.js';
import { walkJavaScript } from './languages/javascript.js';
import { walkPython } from './languages/python.js';

export interface Extractor {
  extract(file: { path: string; language: Language }, source: string): FileExtraction;
  dispose(): void;
}

export interface ExtractorOptions {
  /** A folder holding the grammar .wasm files (the app ships them in resources/grammars). */
  grammarDir?: string;
  /** Unused: extraction walks the syntax tree in code (see languages/); kept for the contract. */
  queryDir?: string;
}

type GrammarName = 'python' | 'javascript' | 'typescript' | 'tsx' | 'java' | 'go';

const GRAMMAR_FILES: Record<GrammarName, string> = {
  python: 'tree-sitter-python/tree-sitter-python.wasm',
  javascript: 'tree-sitter-javascript/tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript/tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-typescript/tree-sitter-tsx.wasm',
  java: 'tree-sitter-java/tree-sitter-java.wasm',
  go: 'tree-sitter-go/tree-sitter-go.wasm',
};

const WALKS: Record<GrammarName, (root: Node, out: ExtractionBuilder) => void> = {
  python: walkPython,
  javascript: walkJavaScript,
  typescript: walkJavaScript,
  tsx: walkJavaScript,
  java: walkJava,
  go: walkGo,
};

export async function loadExtractor(options: ExtractorOptions = {}): Promise<Extractor> {
  await Parser.init();
  const parsers = new Map<GrammarName, Parser>();
  try {
    for (const name of Object.keys(GRAMMAR_FILES) as GrammarName[]) {
      const file = grammarPath(name, options.grammarDir);
      let grammar: Grammar;
      try {
        grammar = await Grammar.load(file);
      } catch (error) {
        throw new Error(
          `Could not load the ${name} grammar from ${file} (${(error as Error).message}): reinstall the app or check the grammar folder`,
        );
      }
      const parser = new Parser();
      parser.setLanguage(grammar);
      parsers.set(name, parser);
    }
  } catch (error) {
    for (const parser of parsers.values()) parser.delete();
    throw error;
  }

  return {
    extract(file, source) {
      const grammarName = grammarFor(file.path, file.language);
      const parser = parsers.get(grammarName)!;
      const tree = parser.parse(source);
      if (!tree) throw new Error(`tree-sitter returned no tree for ${file.path}`);
      try {
        const out = new ExtractionBuilder(file.path, file.language, source);
        WALKS[grammarName](tree.rootNode, out);
        return out.build();
      } finally {
        tree.delete();
      }
    },
    dispose() {
      for (const parser of parsers.values()) parser.delete();
      parsers.clear();
    },
  };
}

function grammarFor(filePath: string, language: Language): GrammarName {
  if (language === 'typescript' && filePath.endsWith('.tsx')) return 'tsx';
  if (language === 'javascript' && filePath.endsWith('.tsx')) return 'tsx';
  return language;
}

function grammarPath(name: GrammarName, grammarDir: string | undefined): string {
  const packaged = GRAMMAR_FILES[name];
  if (grammarDir) return path.join(grammarDir, path.basename(packaged));
  return createRequire(import.meta.url).resolve(packaged);
}
