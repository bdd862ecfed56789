// Resume against a folder that moved on: files whose size or mtime differ from the plan are
// parsed again rather than mixing old and new code in one graph.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { StateStore } from '../../storage/state-store.js';

export interface FolderChanges {
  /** Files parsed (or failed) in the interrupted run that changed since: set back to pending. */
  reopened: string[];
  /** Planned files that are gone from the folder (their pending state is marked failed). */
  missing: string[];
  /** True when git HEAD (or the dirty flag) differs from the session's snapshot. */
  headMoved: boolean;
}

export async function reopenChangedFiles(state: StateStore, sessionId: string, root: string, snapshotNow: string | null): Promise<FolderChanges> {
  const session = state.session(sessionId);
  const changes: FolderChanges = { reopened: [], missing: [], headMoved: session !== undefined && session.snapshot !== snapshotNow };
  const reopen: number[] = [];
  for (const file of state.plannedFiles(sessionId)) {
    let info;
    try {
      info = await stat(join(root, file.path));
    } catch {
      changes.missing.push(file.path);
      if (file.status === 'pending') state.markFileFailed(file.unitId, file.path, 'the file was deleted after the session started');
      continue;
    }
    if (file.status === 'pending') continue;
    if (info.size !== file.size || Math.abs(info.mtimeMs - file.mtimeMs) > 1) {
      reopen.push(file.id);
      state.updateFileFacts(file.id, info.size, info.mtimeMs);
      changes.reopened.push(file.path);
    }
  }
  if (reopen.length > 0) state.reopenFiles(reopen);
  return changes;
}
