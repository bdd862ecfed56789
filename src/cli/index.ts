// Process entry of the CLI (bundled to out/cli/main.js; bin/repograph.js runs it).
import { main } from './main.js';

// A reader that goes away (`repograph parse <folder> --json | head`) must not crash a parse
// halfway through: the output stops, the work goes on to the end.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`repograph: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
