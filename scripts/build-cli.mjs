// Bundles the headless CLI and the worker entry into out/cli with esbuild (fast, and the
// well-kept bundler electron-vite itself builds on). Dependencies stay external: better-sqlite3
// is native and the grammars are .wasm files resolved from node_modules.
import { build } from 'esbuild';

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
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
