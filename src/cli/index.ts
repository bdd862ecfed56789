// Process entry of the CLI (bundled to out/cli/main.js; bin/repograph.js runs it).
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`repograph: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
