// The resume state (DESIGN.md "Resume state"): what was planned, what is done, what is owed.
export const STATE_SCHEMA = `
CREATE TABLE IF NOT EXISTS project (
  id TEXT PRIMARY KEY,
  root TEXT NOT NULL,
  name TEXT NOT NULL,
  target TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS session (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES project (id),
  target TEXT NOT NULL,
  target_config TEXT NOT NULL,
  snapshot TEXT,
  stage TEXT NOT NULL,
  options TEXT NOT NULL,
  owner_pid INTEGER,
  owner_host TEXT,
  heartbeat_at INTEGER,
  started_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER,
  error TEXT,
  resumes INTEGER NOT NULL DEFAULT 0,
  bootstraps INTEGER NOT NULL DEFAULT 0,
  files_total INTEGER NOT NULL DEFAULT 0,
  files_skipped INTEGER NOT NULL DEFAULT 0,
  refs_cross_unit INTEGER NOT NULL DEFAULT 0,
  refs_unresolved INTEGER NOT NULL DEFAULT 0,
  refs_external INTEGER NOT NULL DEFAULT 0,
  nodes INTEGER NOT NULL DEFAULT 0,
  edges INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS session_project ON session (project_id, started_at);
CREATE TABLE IF NOT EXISTS work_unit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES session (id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  path TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  files_total INTEGER NOT NULL,
  nodes INTEGER NOT NULL DEFAULT 0,
  edges INTEGER NOT NULL DEFAULT 0,
  refs_local INTEGER NOT NULL DEFAULT 0,
  refs_deferred INTEGER NOT NULL DEFAULT 0,
  refs_external INTEGER NOT NULL DEFAULT 0,
  parse_ms REAL NOT NULL DEFAULT 0,
  write_ms REAL NOT NULL DEFAULT 0,
  started_at INTEGER,
  finished_at INTEGER,
  duration_ms INTEGER,
  error TEXT,
  UNIQUE (session_id, idx)
);
CREATE TABLE IF NOT EXISTS file_state (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES session (id) ON DELETE CASCADE,
  unit_id INTEGER REFERENCES work_unit (id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  language TEXT,
  size INTEGER NOT NULL DEFAULT 0,
  mtime_ms REAL NOT NULL DEFAULT 0,
  content_hash TEXT,
  status TEXT NOT NULL,
  reason TEXT,
  crashes INTEGER NOT NULL DEFAULT 0,
  needs_refs INTEGER NOT NULL DEFAULT 0,
  UNIQUE (session_id, path)
);
CREATE INDEX IF NOT EXISTS file_state_unit ON file_state (unit_id, status);
CREATE TABLE IF NOT EXISTS symbol (
  project_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  name TEXT NOT NULL,
  qualified_name TEXT NOT NULL,
  file_path TEXT NOT NULL,
  label TEXT NOT NULL,
  kind TEXT NOT NULL,
  language TEXT NOT NULL,
  PRIMARY KEY (project_id, node_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS symbol_name ON symbol (project_id, name);
CREATE INDEX IF NOT EXISTS symbol_file ON symbol (project_id, file_path);
CREATE TABLE IF NOT EXISTS deferred_ref (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES session (id) ON DELETE CASCADE,
  unit_id INTEGER NOT NULL,
  source_node_id TEXT NOT NULL,
  source_file TEXT NOT NULL,
  payload TEXT NOT NULL,
  resolved INTEGER NOT NULL DEFAULT 0
);
-- Partial: settling a reference only drops its entry (it used to move it within the index),
-- and the open ones are all that is ever read.
CREATE INDEX IF NOT EXISTS deferred_ref_unsettled ON deferred_ref (session_id, id) WHERE resolved = 0;
DROP INDEX IF EXISTS deferred_ref_open;
`;

/** Columns added after the first release: [table, column, definition] for ALTER TABLE on older files. */
export const STATE_ADDED_COLUMNS: readonly (readonly [string, string, string])[] = [
  ['file_state', 'crashes', 'INTEGER NOT NULL DEFAULT 0'],
  ['file_state', 'needs_refs', 'INTEGER NOT NULL DEFAULT 0'],
  // The final cross-unit pass settles references in id order: every one up to here is settled.
  ['session', 'final_settled_through', 'INTEGER NOT NULL DEFAULT 0'],
];
