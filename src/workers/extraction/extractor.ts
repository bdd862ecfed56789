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
import { GO_VISITED_TYPES, walkGo } from './languages/go.js';
import { JAVA_VISITED_TYPES, walkJava } from './languages/java.js';
import { JAVASCRIPT_VISITED_TYPES, walkJavaScript } from './languages/javascript.js';
import { PYTHON_VISITED_TYPES, walkPython } from './languages/python.js';
import { StringPool } from './owned-strings.js';
import { initTreeSitter } from './tree-sitter-runtime.js';
import { VisitedNodes } from './visited-nodes.js';

export interface SourceFile {
  path: string;
  language: Language;
}

export interface Extractor {
  /** Loads the grammars these files need that are not loaded yet; `extract` needs them loaded. */
  load(files: Iterable<SourceFile>): Promise<void>;
  extract(file: SourceFile, source: string): FileExtraction;
  dispose(): void;
}

export interface ExtractorOptions {
  /** A folder holding the grammar .wasm files (the app ships them in resources/grammars). */
  grammarDir?: string;
  /** Unused: extraction walks the syntax tree in code (see languages/); kept for the contract. */
  queryDir?: string;
  /**
   * Walk through every named child in JavaScript instead of descending inside WASM to the
   * nodes a walk acts on: slower, and the reference the fast walk is tested against.
   */
  everyNode?: boolean;
  /**
   * Load no grammar until `load` asks for it. A worker parses one unit, usually of one or two
   * languages: all six grammars cost it ~75 ms of start-up and ~10 MiB that WASM memory keeps.
   */
  lazy?: boolean;
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

interface LanguageWalk {
  walk(root: Node, out: ExtractionBuilder): void;
  /** The node types `walk` acts on. */
  visits: readonly string[];
}

const WALKS: Record<GrammarName, LanguageWalk> = {
  python: { walk: walkPython, visits: PYTHON_VISITED_TYPES },
  javascript: { walk: walkJavaScript, visits: JAVASCRIPT_VISITED_TYPES },
  typescript: { walk: walkJavaScript, visits: JAVASCRIPT_VISITED_TYPES },
  tsx: { walk: walkJavaScript, visits: JAVASCRIPT_VISITED_TYPES },
  java: { walk: walkJava, visits: JAVA_VISITED_TYPES },
  go: { walk: walkGo, visits: GO_VISITED_TYPES },
};

export async function loadExtractor(options: ExtractorOptions = {}): Promise<Extractor> {
  await initTreeSitter();
  const parsers = new Map<GrammarName, Parser>();
  const strings = new StringPool();
  const load = async (names: Iterable<GrammarName>): Promise<void> => {
    for (const name of names) {
      if (parsers.has(name)) continue;
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
  };
  const dispose = (): void => {
    for (const parser of parsers.values()) parser.delete();
    parsers.clear();
  };
  if (!options.lazy) {
    try {
      await load(Object.keys(GRAMMAR_FILES) as GrammarName[]);
    } catch (error) {
      dispose();
      throw error;
    }
  }

  return {
    load(files) {
      const names = new Set<GrammarName>();
      for (const file of files) names.add(grammarFor(file.path, file.language));
      return load(names);
    },
    extract(file, source) {
      const grammarName = grammarFor(file.path, file.language);
      const parser = parsers.get(grammarName);
      if (!parser) throw new Error(`the ${grammarName} grammar is not loaded: load(files) was not given ${file.path}`);
      const tree = parser.parse(source);
      if (!tree) throw new Error(`tree-sitter returned no tree for ${file.path}`);
      try {
        const { walk, visits } = WALKS[grammarName];
        const visited = options.everyNode ? null : new VisitedNodes(tree.rootNode, visits);
        const out = new ExtractionBuilder(file.path, file.language, source, visited);
        walk(tree.rootNode, out);
        return strings.ownStrings(out.build());
      } finally {
        tree.delete();
      }
    },
    dispose,
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
