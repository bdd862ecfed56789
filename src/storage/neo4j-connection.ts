// Opening a Neo4j driver, testing a connection, and turning driver failures into errors the
// user can act on. The password is only ever handed to the driver: never to a message or a log.
import neo4j, { type Driver } from 'neo4j-driver';
import type { ConnectionInfo } from '../shared/api.js';
import { RepographError } from '../shared/errors.js';
import type { Neo4jConnection } from '../shared/session.js';
import { displayUri, usesTls } from './neo4j-address.js';

/** How long connecting may take before the server counts as unreachable. */
export const NEO4J_CONNECTION_TIMEOUT_MS = 10_000;

/** Managed transactions retry transient errors and deadlocks for this long. */
export const MAX_TRANSACTION_RETRY_MS = 60_000;

export function createNeo4jDriver(conn: Neo4jConnection, options: { maxPoolSize?: number } = {}): Driver {
  return neo4j.driver(conn.uri, neo4j.auth.basic(conn.username, conn.password ?? ''), {
    connectionTimeout: NEO4J_CONNECTION_TIMEOUT_MS,
    connectionAcquisitionTimeout: NEO4J_CONNECTION_TIMEOUT_MS * 6,
    maxTransactionRetryTime: MAX_TRANSACTION_RETRY_MS,
    maxConnectionPoolSize: options.maxPoolSize ?? 10,
    // Integers come back as JS numbers; the graph's integers (lines) are far below 2^53.
    disableLosslessIntegers: true,
    userAgent: 'repograph',
    // The driver logs nothing unless asked; keep it that way so no connection detail leaks.
  });
}

/** The session database: an empty name means the server's default database. */
export function sessionDatabase(conn: Pick<Neo4jConnection, 'database'>): string | undefined {
  return conn.database.trim() === '' ? undefined : conn.database;
}

export async function testNeo4jConnection(conn: Neo4jConnection): Promise<ConnectionInfo> {
  const driver = createNeo4jDriver(conn, { maxPoolSize: 1 });
  try {
    const database = sessionDatabase(conn);
    const serverInfo = await withTimeout(driver.getServerInfo(database === undefined ? {} : { database }), conn);
    const session = driver.session({ database, defaultAccessMode: neo4j.session.READ });
    try {
      // Running a query in the database is what proves the database exists and may be read.
      const result = await withTimeout(
        session.run('CALL dbms.components() YIELD versions, edition RETURN versions[0] AS version, edition'),
        conn,
      );
      const record = result.records[0];
      const databaseName = result.summary.database.name ?? conn.database;
      return {
        serverVersion: String(record?.get('version') ?? serverInfo.agent ?? 'unknown'),
        edition: String(record?.get('edition') ?? 'unknown'),
        address: serverInfo.address ?? displayUri(conn.uri),
        database: databaseName,
      };
    } finally {
      await session.close().catch(() => undefined);
    }
  } catch (error) {
    throw await explainNeo4jFailure(error, conn);
  } finally {
    await driver.close().catch(() => undefined);
  }
}

/**
 * Like describeNeo4jError, but when a routing driver (neo4j://, neo4j+s://) only says "no routing
 * servers available", asks the first router directly (bolt://) to learn why: refused, TLS, auth.
 */
export async function explainNeo4jFailure(error: unknown, conn: Neo4jConnection): Promise<RepographError> {
  const routing = /^neo4j(\+s|\+ssc)?:\/\//i.exec(conn.uri);
  if (!routing || errorCode(error) !== 'ServiceUnavailable' || !/discovery|routing servers/i.test(errorMessage(error))) {
    return describeNeo4jError(error, conn);
  }
  const direct = createNeo4jDriver({ ...conn, uri: conn.uri.replace(/^neo4j/i, 'bolt') }, { maxPoolSize: 1 });
  try {
    await withTimeout(direct.getServerInfo(), conn);
    return describeNeo4jError(error, conn);
  } catch (directError) {
    // Described against the URI the user gave, with the direct attempt's reason.
    return describeNeo4jError(directError, conn);
  } finally {
    await direct.close().catch(() => undefined);
  }
}

/** Routing drivers may keep retrying a dead router; the user hears back within the timeout anyway. */
async function withTimeout<T>(promise: Promise<T>, conn: Neo4jConnection): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Neo4jTimeout(`no answer from ${displayUri(conn.uri)} within ${NEO4J_CONNECTION_TIMEOUT_MS / 1000}s`)),
      NEO4J_CONNECTION_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

class Neo4jTimeout extends Error {
  readonly code = 'ServiceUnavailable';
}

const TLS_PATTERN = /\b(ssl|tls|certificate|self[- ]signed|EPROTO|wrong version number|secure (tls )?connection|encryption)\b/i;

/** Maps any driver failure to a RepographError with a distinct code and an actionable message. */
export function describeNeo4jError(error: unknown, conn: Pick<Neo4jConnection, 'uri' | 'username' | 'database' | 'password'>): RepographError {
  if (error instanceof RepographError) return scrubbed(error, conn);
  const code = errorCode(error);
  const raw = scrub(errorMessage(error), conn);
  const uri = displayUri(conn.uri);
  const database = conn.database.trim() === '' ? 'the default database' : `database '${conn.database}'`;
  const settings = 'in Settings (or NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD/NEO4J_DATABASE)';

  if (code.startsWith('Neo.ClientError.Security.Unauthorized') || code === 'Neo.ClientError.Security.AuthenticationRateLimit') {
    return new RepographError(
      'NEO4J_AUTH',
      `Neo4j at ${uri} refused the password for user '${conn.username}': check the user and password in Settings (or NEO4J_USERNAME/NEO4J_PASSWORD)`,
      { cause: error },
    );
  }
  if (code.startsWith('Neo.ClientError.Security.')) {
    return new RepographError(
      'NEO4J_AUTH',
      `Neo4j at ${uri} does not let user '${conn.username}' use ${database} (${raw}): grant the user access or use another user ${settings}`,
      { cause: error },
    );
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound' || /database does not exist|DatabaseNotFound/i.test(raw)) {
    return new RepographError(
      'NEO4J_DATABASE',
      `Neo4j at ${uri} has no ${database}: create it, or name an existing database ${settings} (Community edition has only 'neo4j')`,
      { cause: error },
    );
  }
  if (code === 'Neo.ClientError.Database.DatabaseUnavailable' || code === 'Neo.TransientError.General.DatabaseUnavailable') {
    return new RepographError(
      'NEO4J_UNREACHABLE',
      `Neo4j at ${uri} reports ${database} as unavailable (${raw}): start the database or wait for it, then retry`,
      { cause: error },
    );
  }
  if (TLS_PATTERN.test(raw)) {
    const advice = usesTls(conn.uri)
      ? 'the URI asks for TLS (+s) but the server does not speak it: use bolt:// or neo4j:// for a server without TLS'
      : 'the server requires TLS: use neo4j+s:// (or bolt+s://), or neo4j+ssc:// for a self-signed certificate';
    return new RepographError('NEO4J_TLS', `Neo4j at ${uri} failed the encryption handshake (${raw}): ${advice}, ${settings}`, { cause: error });
  }
  if (/responded HTTP/i.test(raw)) {
    return new RepographError(
      'NEO4J_UNREACHABLE',
      `${uri} answered with HTTP, not Bolt: use the Bolt port (7687 by default, not the browser's 7474) ${settings}`,
      { cause: error },
    );
  }
  if (code === 'ServiceUnavailable' || code === 'SessionExpired' || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ECONNRESET|timed? ?out/i.test(raw)) {
    return new RepographError(
      'NEO4J_UNREACHABLE',
      `Neo4j at ${uri} did not answer (${raw}): check that the server is running and that the host and port are right ${settings}`,
      { cause: error },
    );
  }
  return new RepographError('NEO4J_ERROR', `Neo4j at ${uri} failed (${code || 'error'}: ${raw}); check the server's log and the connection ${settings}`, {
    cause: error,
  });
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return '';
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // "Failed to connect ... compatible encryption settings ... Caused by: <the real reason>":
  // the boilerplate mentions encryption whatever happened, so only the reason counts.
  const reason = /Caused by:\s*([\s\S]+)$/.exec(message)?.[1] ?? message;
  const firstLine = reason.split('\n').find((line) => line.trim() !== '') ?? reason;
  return firstLine.trim().slice(0, 300);
}

function scrub(text: string, conn: Pick<Neo4jConnection, 'password'>): string {
  const password = conn.password;
  if (password === undefined || password === '') return text;
  return text.split(password).join('***');
}

function scrubbed(error: RepographError, conn: Pick<Neo4jConnection, 'password'>): RepographError {
  const message = scrub(error.message, conn);
  return message === error.message ? error : new RepographError(error.code, message, { cause: error.cause });
}
