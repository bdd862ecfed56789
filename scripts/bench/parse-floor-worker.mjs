// The parse floor: the same files parsed and queried (the grammars' own tags.scm) by
// web-tree-sitter in a bare loop, nothing else. The bench splits a file list over as many
// of these processes as the engine has workers and compares wall times.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Language, Parser, Query } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
const [listFile, root] = process.argv.slice(2);
const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));

const GRAMMARS = {
  python: ['tree-sitter-python/tree-sitter-python.wasm', ['tree-sitter-python/queries/tags.scm']],
  javascript: ['tree-sitter-javascript/tree-sitter-javascript.wasm', ['tree-sitter-javascript/queries/tags.scm']],
  typescript: ['tree-sitter-typescript/tree-sitter-typescript.wasm', ['tree-sitter-javascript/queries/tags.scm', 'tree-sitter-typescript/queries/tags.scm']],
  tsx: ['tree-sitter-typescript/tree-sitter-tsx.wasm', ['tree-sitter-javascript/queries/tags.scm', 'tree-sitter-typescript/queries/tags.scm']],
  java: ['tree-sitter-java/tree-sitter-java.wasm', ['tree-sitter-java/queries/tags.scm']],
  go: ['tree-sitter-go/tree-sitter-go.wasm', ['tree-sitter-go/queries/tags.scm']],
};

await Parser.init();
const loaded = new Map();
async function grammar(key) {
  if (!loaded.has(key)) {
    const [wasm, queries] = GRAMMARS[key];
    const language = await Language.load(require.resolve(wasm));
    let query;
    try {
      query = new Query(language, queries.map((q) => readFileSync(require.resolve(q), 'utf8')).join('\n'));
    } catch {
      query = new Query(language, readFileSync(require.resolve(queries[queries.length - 1]), 'utf8'));
    }
    const parser = new Parser();
    parser.setLanguage(language);
    loaded.set(key, { parser, query });
  }
  return loaded.get(key);
}

const start = performance.now();
let captures = 0;
for (const file of files) {
  const key = file.language === 'typescript' && file.path.endsWith('.tsx') ? 'tsx' : file.language;
  const { parser, query } = await grammar(key);
  const tree = parser.parse(readFileSync(join(root, file.path), 'utf8'));
  captures += query.captures(tree.rootNode).length;
  tree.delete();
}
process.stdout.write(JSON.stringify({ files: files.length, captures, ms: performance.now() - start, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
