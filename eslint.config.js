// Lint = the layering rules of DESIGN.md and STYLE.md, so that a wrong import fails CI:
// shared <- storage <- engine <- {main, cli}; shared <- workers; shared <- renderer;
// only main and preload import electron.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'url', 'util', 'events', 'stream', 'worker_threads'];

/** Forbids importing the given source folders (relative paths), electron and, optionally, Node built-ins. */
function layer(files, forbiddenFolders, { electron = true, node = false } = {}) {
  const patterns = forbiddenFolders.map((folder) => ({
    // A relative import into that folder; `?modulePath` imports are paths to a process entry
    // (electron-vite), not code, and stay allowed.
    regex: `^\\.{1,2}/(.*/)?${folder}(/(?!.*\\?modulePath$).*)?$`,
    message: `this layer may not import src/${folder} (see DESIGN.md "Source layout and dependency direction")`,
  }));
  if (electron) patterns.push({ group: ['electron', 'electron/*'], message: 'only src/main and src/preload import electron' });
  if (node) patterns.push({ group: nodeBuiltins, message: 'this layer runs in the browser/renderer or is types only: no Node built-ins' });
  return { files, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.cache/**', 'neo4j-test-server/**', 'coverage/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(['src/shared/**/*.ts'], ['storage', 'engine', 'workers', 'main', 'preload', 'renderer', 'cli'], { node: true }),
  layer(['src/storage/**/*.ts'], ['engine', 'workers', 'main', 'preload', 'renderer', 'cli']),
  layer(['src/engine/**/*.ts'], ['workers', 'main', 'preload', 'renderer', 'cli']),
  layer(['src/workers/**/*.ts'], ['engine', 'main', 'preload', 'renderer', 'cli']),
  layer(['src/cli/**/*.ts'], ['workers', 'main', 'preload', 'renderer']),
  layer(['src/renderer/**/*.ts', 'src/renderer/**/*.tsx'], ['storage', 'engine', 'workers', 'main', 'preload', 'cli'], { node: true }),
  layer(['src/main/**/*.ts'], ['workers', 'renderer', 'cli', 'preload'], { electron: false }),
  layer(['src/preload/**/*.ts'], ['storage', 'engine', 'workers', 'main', 'renderer', 'cli'], { electron: false }),
);
