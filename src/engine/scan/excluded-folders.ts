// Folders that hold dependencies, tool caches or build output rather than the project's code.

const ALWAYS_EXCLUDED: ReadonlySet<string> = new Set([
  '.git', '.hg', '.svn',
  'node_modules', 'bower_components', 'jspm_packages', '.yarn', '.pnpm-store',
  // Go's vendor folder, like PHP's and Ruby's, is third-party code checked in.
  'vendor',
  '__pycache__', '.venv', 'venv', '.tox', '.nox', '.eggs', '.mypy_cache', '.pytest_cache',
  '.ruff_cache', 'site-packages',
  '.idea', '.vscode',
  '.next', '.nuxt', '.svelte-kit', '.turbo', '.parcel-cache', '.cache', '.gradle', '.terraform',
  'coverage', '.nyc_output',
]);

// These names are also ordinary package names (Go's `go/build`, a `target` module), so they
// count as build output only beside a build manifest that would produce them.
const BUILD_OUTPUT = new Set(['dist', 'build', 'out', 'target']);
const BUILD_MANIFESTS = [
  'package.json', 'tsconfig.json', 'setup.py', 'setup.cfg', 'pyproject.toml',
  'pom.xml', 'build.gradle', 'build.gradle.kts', 'settings.gradle', 'Cargo.toml',
];

export const EXCLUDED_FOLDER = 'excluded folder';
export const BUILD_OUTPUT_FOLDER = 'build output folder';

/** Why a folder is not descended into, or null when it is scanned. */
export function exclusionReason(name: string, siblingNames: ReadonlySet<string>): string | null {
  if (ALWAYS_EXCLUDED.has(name)) return EXCLUDED_FOLDER;
  if (BUILD_OUTPUT.has(name) && BUILD_MANIFESTS.some((manifest) => siblingNames.has(manifest))) {
    return BUILD_OUTPUT_FOLDER;
  }
  return null;
}
