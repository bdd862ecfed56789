// What a Neo4j target's URI may be, wherever it is given (app settings, CLI flags, NEO4J_URI):
// the schemes neo4j-driver connects with. Without zod, so the CLI's entry checks it cheaply.

export const NEO4J_URI_PATTERN = /^(bolt|neo4j)(\+s|\+ssc)?:\/\/.+/;
export const NEO4J_URI_EXPECTED = 'a bolt://, neo4j:// or neo4j+s:// URI';
