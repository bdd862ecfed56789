// `repograph`: the headless entry. parse / resume / status / stats / export / serve / test-connection.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { NEO4J_URI_EXPECTED, NEO4J_URI_PATTERN } from '../shared/neo4j-uri.js';
import { RepographError, toErrorData } from '../shared/errors.js';
import { displayUri } from '../storage/neo4j-address.js';

const USAGE = `Usage: repograph <command> [options]

Commands:
  parse <folder>        Parse a folder into the embedded store (or Neo4j with --neo4j)
  resume [<folder>]     Finish the latest interrupted session of a project
  status [<folder>]     Sessions and their work units
  stats [<folder>]      Nodes, edges, files and references of the last run
  export [<folder>]     --format jsonl|neo4j-admin [--out FILE|DIR]
  serve                 The browser UI on 127.0.0.1 [--port P]
  test-connection       Check a Neo4j connection (--neo4j URI --user U --database D; NEO4J_PASSWORD)

Common options:
  --data-dir DIR        Where state and the embedded graph live (default: REPOGRAPH_DATA_DIR or the OS app-data folder)
  --json                Machine-readable output (NDJSON events for parse/resume)
  --workers N           Worker processes (default: available parallelism; REPOGRAPH_WORKERS)
  --project NAME        Project id instead of a hash of the folder's path
  --session ID          (resume) a specific session
  --fresh               (parse) start over even if an interrupted session exists
  --neo4j URI           bolt://, neo4j:// or neo4j+s:// target (password from NEO4J_PASSWORD)
  --user U, --database D
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  workers: { type: 'string' },
  project: { type: 'string' },
  session: { type: 'string' },
  fresh: { type: 'boolean' },
  neo4j: { type: 'string' },
  user: { type: 'string' },
  database: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  port: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

export type CliOptions = {
  dataDir?: string;
  json: boolean;
  workers?: number;
  project?: string;
  session?: string;
  fresh: boolean;
  neo4j?: string;
  user?: string;
  database?: string;
  format?: string;
  out?: string;
  port?: number;
};

class UsageError extends Error {}

function positiveInt(name: string, raw: string | undefined, max?: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || (max !== undefined && value > max)) {
    throw new UsageError(`--${name} takes ${max === undefined ? 'a positive whole number' : `a whole number from 1 to ${max}`}, not '${raw}'`);
  }
  return value;
}

function neo4jUri(raw: string | undefined): string | undefined {
  if (raw !== undefined && !NEO4J_URI_PATTERN.test(raw)) throw new UsageError(`--neo4j takes ${NEO4J_URI_EXPECTED} (e.g. bolt://localhost:7687), not '${displayUri(raw)}'`);
  return raw;
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`repograph: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || !command) {
    process.stdout.write(USAGE);
    return command || parsed.values.help ? 0 : 2;
  }
  try {
    const values = parsed.values;
    const options: CliOptions = {
      dataDir: values['data-dir'],
      json: values.json ?? false,
      workers: positiveInt('workers', values.workers),
      project: values.project,
      session: values.session,
      fresh: values.fresh ?? false,
      neo4j: neo4jUri(values.neo4j),
      user: values.user,
      database: values.database,
      format: values.format,
      out: values.out,
      port: positiveInt('port', values.port, 65_535),
    };
    if (rest.length > 1) throw new UsageError(`${command} takes at most one folder, got: ${rest.join(' ')}`);
    const folder = rest[0];
    // Commands are loaded on demand: a parse should not pay for the HTTP server or neo4j-driver.
    switch (command) {
      case 'parse':
        if (!folder) throw new UsageError('parse needs a folder: repograph parse <folder>');
        return await (await import('./commands/parse.js')).runParse(folder, options);
      case 'resume':
        return await (await import('./commands/parse.js')).runResume(folder, options);
      case 'status':
        return await (await import('./commands/status.js')).runStatus(folder, options);
      case 'stats':
        return await (await import('./commands/status.js')).runStats(folder, options);
      case 'export':
        return await (await import('./commands/export.js')).runExport(folder, options);
      case 'serve':
        return await (await import('./commands/serve.js')).runServe(options);
      case 'test-connection':
        return await (await import('./commands/test-connection.js')).runTestConnection(options);
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`repograph: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    const data = toErrorData(error);
    if (parsed.values.json) process.stdout.write(JSON.stringify({ type: 'error', error: data }) + '\n');
    process.stderr.write(`repograph: ${data.message}\n`);
    if (!(error instanceof RepographError) && process.env.REPOGRAPH_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}
