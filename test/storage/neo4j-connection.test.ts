// Connection testing and error mapping against a real Neo4j 5 server.
import { freePort } from '../helpers/free-port.js';
import { describe, expect, it } from 'vitest';
import { RepographError } from '../../src/shared/errors.js';
import { describeNeo4jError, testNeo4jConnection } from '../../src/storage/neo4j-connection.js';
import { createNeo4jTarget } from '../../src/storage/neo4j-target.js';
import { neo4jForTests, type Neo4jTestConnection } from '../helpers/neo4j-server.js';

const server = await neo4jForTests();


async function failure(promise: Promise<unknown>): Promise<{ error: RepographError; ms: number }> {
  const started = Date.now();
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RepographError);
    return { error: error as RepographError, ms: Date.now() - started };
  }
  throw new Error('expected a failure');
}

describe.skipIf(!server)('Neo4j connections (real server)', () => {
  const conn = server as Neo4jTestConnection;
  const good = { uri: conn.uri, username: conn.username, password: conn.password, database: 'neo4j' };
  const hostPort = conn.uri.replace(/^[a-z+]+:\/\//, '');

  it('reports version, edition, address and database for bolt:// and neo4j://', async () => {
    const info = await testNeo4jConnection(good);
    expect(info.serverVersion).toMatch(/^5\./);
    expect(info.edition).toBe('community');
    expect(info.address).toBe(hostPort);
    expect(info.database).toBe('neo4j');
    const routed = await testNeo4jConnection({ ...good, uri: `neo4j://${hostPort}` });
    expect(routed.serverVersion).toBe(info.serverVersion);
    // An empty database name means the server's default one.
    expect((await testNeo4jConnection({ ...good, database: '' })).database).toBe('neo4j');
  });

  const secret = 'definitely-Wrong-pw-7319';
  const cases: { name: string; make: () => Promise<typeof good>; code: string; text: RegExp }[] = [
    {
      name: 'wrong password',
      make: async () => ({ ...good, password: secret }),
      code: 'NEO4J_AUTH',
      text: /^Neo4j at bolt:\/\/.+ refused the password for user 'neo4j': check the user and password in Settings \(or NEO4J_USERNAME\/NEO4J_PASSWORD\)$/,
    },
    {
      name: 'closed port on 127.0.0.1',
      make: async () => ({ ...good, password: secret, uri: `bolt://127.0.0.1:${await freePort()}` }),
      code: 'NEO4J_UNREACHABLE',
      text: /did not answer \(connect ECONNREFUSED .*\): check that the server is running/,
    },
    {
      name: 'closed port through a routing URI',
      make: async () => ({ ...good, password: secret, uri: `neo4j://127.0.0.1:${await freePort()}` }),
      code: 'NEO4J_UNREACHABLE',
      text: /did not answer \(connect ECONNREFUSED/,
    },
    {
      name: 'unknown database',
      make: async () => ({ ...good, database: 'no_such_db' }),
      code: 'NEO4J_DATABASE',
      text: /has no database 'no_such_db': create it, or name an existing database/,
    },
    {
      name: 'neo4j+s:// against the plain server',
      make: async () => ({ ...good, password: secret, uri: `neo4j+s://${hostPort}` }),
      code: 'NEO4J_TLS',
      text: /failed the encryption handshake .*use bolt:\/\/ or neo4j:\/\/ for a server without TLS/,
    },
  ];

  for (const testCase of cases) {
    it(`${testCase.name}: ${testCase.code} within 10 s, no password in the message`, async () => {
      const connection = await testCase.make();
      const { error, ms } = await failure(testNeo4jConnection(connection));
      expect(error.code).toBe(testCase.code);
      expect(error.message).toMatch(testCase.text);
      expect(ms).toBeLessThan(10_000);
      expect(error.message).not.toContain(connection.password);
      expect(JSON.stringify(error)).not.toContain(connection.password);
      // Opening a target with the same connection fails the same way.
      const target = createNeo4jTarget({ ...connection, batchSize: 10 });
      const opened = await failure(target.open());
      expect(opened.error.code).toBe(testCase.code);
      expect(opened.error.message).not.toContain(connection.password);
    });
  }

  it('each failure has its own code', () => {
    expect(new Set(cases.map((c) => c.code)).size).toBe(4);
  });

  it('never lets the password into a message, even if the driver echoed it', () => {
    const error = describeNeo4jError(new Error(`something about ${secret} failed`), { ...good, password: secret });
    expect(error.code).toBe('NEO4J_ERROR');
    expect(error.message).not.toContain(secret);
    expect(error.message).toContain('***');
  });
});
