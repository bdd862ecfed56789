// Bundles the headless CLI and the worker entry into out/cli with esbuild (fast, and the
// well-kept bundler electron-vite itself builds on). Most dependencies stay external: better-sqlite3
// is native, and web-tree-sitter and the grammars load .wasm files from node_modules.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// Bundled in, because every process pays for loading them file by file: neo4j-driver (hundreds
// of CommonJS files, ~165 ms to import, bundled ~55 ms), zod and ignore (many small ES modules;
// a worker's fork-to-ready 187 -> 147-181 ms). Everything else stays in node_modules.
const BUNDLED = new Set(['neo4j-driver', 'zod', 'ignore']);
const { dependencies, devDependencies } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys({ ...dependencies, ...devDependencies }).filter((name) => !BUNDLED.has(name));

// Chunk names carry content hashes: start empty so old chunks do not pile up.
rmSync(new URL('../out/cli', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { main: 'src/cli/index.ts', worker: 'src/workers/worker-entry.ts' },
  outdir: 'out/cli',
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Chunks, so that what is imported lazily (the Neo4j target and neo4j-driver) is loaded
  // only by the runs that use it.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  target: 'node20',
  external: [...external, ...external.map((name) => `${name}/*`)],
  // neo4j-driver loads rxjs only for its reactive API, which Repograph does not use: a stub that
  // throws takes its place (rxjs was ~100 of the ~220 ms a process took to load the driver).
  alias: { rxjs: './scripts/stubs/rxjs.cjs', 'rxjs/operators': './scripts/stubs/rxjs.cjs' },
  // The bundled CommonJS (neo4j-driver) requires Node's built-ins; ES modules have no require.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});
