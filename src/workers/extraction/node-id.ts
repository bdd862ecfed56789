// Stable node ids (DESIGN.md "Graph model"): no line numbers, so moving code keeps its id,
// and the same folder yields the same ids whatever the data dir or target.
import { createHash } from 'node:crypto';

/** sha256 hex (first 32 chars) of (repoId, file path, qualified name, ordinal among same-name duplicates). */
export function definitionNodeId(repoId: string, filePath: string, qualifiedName: string, ordinal: number): string {
  return hash(JSON.stringify([repoId, filePath, qualifiedName, ordinal]));
}

/** A FILE node's id; marked apart so that a definition whose qualified name equals a path cannot collide. */
export function fileNodeId(repoId: string, filePath: string): string {
  return hash(JSON.stringify([repoId, filePath, filePath, 'file']));
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
