// postinstall: applies patches/ to the installed dependencies with patch-package (see README).
// An install without devDependencies (--omit=dev), or of Repograph as another project's
// dependency, has no patch-package, and web-tree-sitter may be hoisted out of reach: it runs
// unpatched, which is slower, not wrong, and says so instead of failing the install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

let patchPackage = null;
try {
  patchPackage = require.resolve('patch-package/index.js');
} catch {
  // Not installed: see above.
}
if (patchPackage === null || !existsSync(join(root, 'node_modules', 'web-tree-sitter'))) {
  console.warn('repograph: patches/ not applied (no patch-package or no web-tree-sitter in this node_modules): extraction runs on the unpatched web-tree-sitter, a little slower.');
  process.exit(0);
}
// A patch that no longer fits fails the install: the pinned version and the patch go together.
const result = spawnSync(process.execPath, [patchPackage, '--error-on-fail'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
