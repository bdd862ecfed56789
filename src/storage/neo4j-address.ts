// How a Neo4j target is named in messages and logs, without loading neo4j-driver (the target
// is described before it is opened, and most runs never load the driver).

/** The URI as safe to show: without any user-info part. */
export function displayUri(uri: string): string {
  return uri.replace(/^([a-z+]+:\/\/)[^@/]*@/i, '$1');
}

/** Whether the driver encrypts connections to this URI: only the +s and +ssc schemes do (the driver's config sets no encryption of its own). */
export function usesTls(uri: string): boolean {
  return /^(bolt|neo4j)\+(s|ssc):\/\//i.test(uri);
}

/** A Neo4j target's description: its URI (never a secret) and database. */
export function describeNeo4jTarget(config: { uri: string; database: string }): string {
  return `Neo4j at ${displayUri(config.uri)} (database '${config.database || 'default'}')`;
}
