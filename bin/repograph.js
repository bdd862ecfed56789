#!/usr/bin/env node
// The `repograph` command. Runs the bundled CLI (built by `npm install` through `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../out/cli/main.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('repograph: the CLI is not built yet: run `npm run build:cli` in the Repograph folder.\n');
  process.exit(1);
}
await import(bundle);
