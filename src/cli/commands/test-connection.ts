// `repograph test-connection`: server version and edition, or the exact reason it failed.
import { NEO4J_URI_EXPECTED, NEO4J_URI_PATTERN } from '../../shared/neo4j-uri.js';
import { RepographError } from '../../shared/errors.js';
import { displayUri } from '../../storage/neo4j-address.js';
import { testNeo4jConnection } from '../../storage/neo4j-connection.js';
import type { CliOptions } from '../main.js';

export async function runTestConnection(options: CliOptions): Promise<number> {
  const uri = options.neo4j ?? process.env.NEO4J_URI;
  if (!uri) throw new RepographError('INVALID_INPUT', 'No Neo4j URI: pass --neo4j bolt://host:7687 or set NEO4J_URI.');
  if (!NEO4J_URI_PATTERN.test(uri)) throw new RepographError('INVALID_INPUT', `NEO4J_URI must be ${NEO4J_URI_EXPECTED} (e.g. bolt://localhost:7687), not '${displayUri(uri)}'.`);
  const info = await testNeo4jConnection({
    uri,
    username: options.user ?? process.env.NEO4J_USERNAME ?? 'neo4j',
    database: options.database ?? process.env.NEO4J_DATABASE ?? 'neo4j',
    password: process.env.NEO4J_PASSWORD,
  });
  if (options.json) process.stdout.write(JSON.stringify(info) + '\n');
  else process.stdout.write(`Connected to Neo4j ${info.serverVersion} (${info.edition}) at ${info.address}, database '${info.database}'.\n`);
  return 0;
}
