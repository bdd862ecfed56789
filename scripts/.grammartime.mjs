import { createRequire } from 'node:module';
const t0 = performance.now();
const { Language, Parser } = await import('web-tree-sitter');
const t1 = performance.now();
await Parser.init();
const t2 = performance.now();
const require = createRequire(import.meta.url);
const out = [`import ${(t1 - t0).toFixed(0)}`, `init ${(t2 - t1).toFixed(0)}`];
for (const g of ['tree-sitter-python/tree-sitter-python.wasm', 'tree-sitter-javascript/tree-sitter-javascript.wasm', 'tree-sitter-typescript/tree-sitter-typescript.wasm', 'tree-sitter-typescript/tree-sitter-tsx.wasm', 'tree-sitter-java/tree-sitter-java.wasm', 'tree-sitter-go/tree-sitter-go.wasm']) {
  const t = performance.now();
  await Language.load(require.resolve(g));
  out.push(`${g.split('/')[1].replace('tree-sitter-', '').replace('.wasm', '')} ${(performance.now() - t).toFixed(0)}`);
}
console.log(out.join(' | '));
