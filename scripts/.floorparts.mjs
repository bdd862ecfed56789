import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Language, Parser, Query } from 'web-tree-sitter';
const require = createRequire('/work/main/package.json');
const [lang, root, ext] = process.argv.slice(2);
const files = [];
(function walk(d) { for (const e of readdirSync(d, { withFileTypes: true })) { const p = join(d, e.name); if (e.isDirectory()) { if (!['testdata','vendor'].includes(e.name)) walk(p); } else if (p.endsWith(ext) && statSync(p).size < 1e6) files.push(p); } })(root);
await Parser.init();
const language = await Language.load(require.resolve(`tree-sitter-${lang}/tree-sitter-${lang}.wasm`));
const query = new Query(language, readFileSync(require.resolve(`tree-sitter-${lang}/queries/tags.scm`), 'utf8'));
const parser = new Parser(); parser.setLanguage(language);
const sources = files.slice(0, 3000).map((f) => readFileSync(f, 'utf8'));
const { GO_VISITED_TYPES } = await import('/tmp/types.mjs').catch(() => ({}));
const types = (process.env.TYPES ?? '').split(',').filter(Boolean);
function time(name, fn) { const t = performance.now(); let n = 0; for (const s of sources) { const tree = parser.parse(s); n += fn(tree) ?? 0; tree.delete(); } console.log(name.padEnd(22), (performance.now() - t).toFixed(0), 'ms', n); }
time('parse', () => 0);
time('parse', () => 0);
time('parse+tags query', (tree) => query.captures(tree.rootNode).length);
if (types.length) time('parse+descendantsOfType', (tree) => tree.rootNode.descendantsOfType(types).length);
time('parse+cursor walk', (tree) => { const c = tree.walk(); let n = 0; for (;;) { n++; if (c.gotoFirstChild()) continue; while (!c.gotoNextSibling()) { if (!c.gotoParent()) { c.delete(); return n; } } } });
console.log(files.length, 'files, timed', sources.length);
if (process.env.EXTRACTOR) {
  const { loadExtractor } = await import('/work/main/src/workers/extraction/extractor.ts');
  const ex = await loadExtractor({});
  for (let k = 0; k < 2; k++) {
    const t = performance.now(); let n = 0;
    files.slice(0, 3000).forEach((f, i) => { const r = ex.extract({ path: f, language: process.env.EXTRACTOR }, sources[i]); n += r.references.length; });
    console.log('extractor'.padEnd(22), (performance.now() - t).toFixed(0), 'ms', n);
  }
}
