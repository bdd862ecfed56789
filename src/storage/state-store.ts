// The SQLite state store, opened by the coordinator and by every worker (WAL).
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Language } from '../shared/graph-model.js';
import { packageKeyOf, type DeferredReference, type SymbolRecord } from '../shared/resolution.js';
import type {
  FileRecord,
  SessionCounters,
  SessionStage,
  SessionSummary,
  SkippedFile,
  TargetKind,
  UnitStatus,
  WorkUnitSummary,
} from '../shared/session.js';
import { STATE_ADDED_COLUMNS, STATE_SCHEMA } from './state-schema.js';
import { BUSY_TIMEOUT_MS, inChunks, openSqlite, type SqliteDatabase, type SqliteStatement } from './sqlite.js';

export interface ProjectRow {
  id: string;
  root: string;
  name: string;
  target: TargetKind;
}

export interface SessionRow {
  id: string;
  project_id: string;
  target: TargetKind;
  target_config: string;
  snapshot: string | null;
  stage: SessionStage;
  options: string;
  owner_pid: number | null;
  owner_host: string | null;
  heartbeat_at: number | null;
  started_at: number;
  updated_at: number;
  finished_at: number | null;
  error: string | null;
  resumes: number;
  bootstraps: number;
  files_total: number;
  files_skipped: number;
  refs_cross_unit: number;
  refs_unresolved: number;
  refs_external: number;
  nodes: number;
  edges: number;
}

export interface PlannedUnitInput {
  index: number;
  path: string;
  files: readonly FileRecord[];
}

export interface PendingFile {
  id: number;
  path: string;
  language: Language;
  size: number;
  mtimeMs: number;
  /** Already in the target (bootstrap): parsed again only to re-derive its deferred references. */
  referencesOnly?: boolean;
}

export interface DeferredRow {
  id: number;
  ref: DeferredReference;
}

export interface FileBatchCommit {
  sessionId: string;
  projectId: string;
  unitId: number;
  fileIds: readonly number[];
  symbols: readonly SymbolRecord[];
  deferred: readonly DeferredReference[];
  nodes: number;
  edges: number;
  refsLocal: number;
  refsExternal: number;
  parseMs: number;
  writeMs: number;
}

/** Heartbeats older than this, from a process that is gone, mean the session was interrupted. */
export const OWNER_STALE_MS = 15_000;

/** Why a planned file that a resume found gone is failed. */
export const FILE_DELETED_REASON = 'the file was deleted after the session started';

const LIVE_STAGES: readonly SessionStage[] = ['scanning', 'planned', 'parsing', 'resolving', 'aggregating', 'waiting-for-target'];

export class StateStore {
  readonly db: SqliteDatabase;
  private currentFileNotes = new Map<number, number>();

  constructor(readonly path: string) {
    this.db = openSqlite(path);
    this.db.exec(STATE_SCHEMA);
    for (const [table, column, definition] of STATE_ADDED_COLUMNS) {
      const columns = this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
      if (!columns.some((c) => c.name === column)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
    }
  }

  /** Copies what the write-ahead log holds into the database without waiting for anyone (closing then has less left to do). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  close(): void {
    for (const fd of this.currentFileNotes.values()) closeSync(fd);
    this.currentFileNotes.clear();
    this.db.close();
  }

  // --- projects --------------------------------------------------------------

  upsertProject(project: ProjectRow): void {
    const now = Date.now();
    this.db
      .prepare(
        `INSERT INTO project (id, root, name, target, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET root = excluded.root, name = excluded.name, target = excluded.target, updated_at = excluded.updated_at`,
      )
      .run(project.id, project.root, project.name, project.target, now, now);
  }

  project(id: string): ProjectRow | undefined {
    return this.db.prepare(`SELECT id, root, name, target FROM project WHERE id = ?`).get(id) as ProjectRow | undefined;
  }

  projectByRoot(root: string): ProjectRow | undefined {
    return this.db.prepare(`SELECT id, root, name, target FROM project WHERE root = ? ORDER BY updated_at DESC`).get(root) as
      | ProjectRow
      | undefined;
  }

  projects(): ProjectRow[] {
    return this.db.prepare(`SELECT id, root, name, target FROM project ORDER BY updated_at DESC`).all() as ProjectRow[];
  }

  // --- sessions --------------------------------------------------------------

  createSession(input: { projectId: string; target: TargetKind; targetConfig: unknown; snapshot: string | null; options: unknown }): string {
    const id = randomUUID();
    const now = Date.now();
    this.db
      .prepare(
        `INSERT INTO session (id, project_id, target, target_config, snapshot, stage, options, owner_pid, owner_host, heartbeat_at, started_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'scanning', ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, input.projectId, input.target, JSON.stringify(input.targetConfig), input.snapshot, JSON.stringify(input.options), process.pid, hostname(), now, now, now);
    return id;
  }

  session(id: string): SessionRow | undefined {
    return this.db.prepare(`SELECT * FROM session WHERE id = ?`).get(id) as SessionRow | undefined;
  }

  sessionsOfProject(projectId: string): SessionRow[] {
    return this.db.prepare(`SELECT * FROM session WHERE project_id = ? ORDER BY started_at DESC, rowid DESC`).all(projectId) as SessionRow[];
  }

  latestSession(projectId: string): SessionRow | undefined {
    return this.sessionsOfProject(projectId)[0];
  }

  /** The stage as a user should see it: a live stage whose owner is gone is `interrupted`. */
  effectiveStage(session: SessionRow, now = Date.now()): SessionStage {
    if (!LIVE_STAGES.includes(session.stage)) return session.stage;
    return this.ownerIsAlive(session, now) ? session.stage : 'interrupted';
  }

  private ownerIsAlive(session: SessionRow, now: number): boolean {
    if (session.owner_pid === null) return false;
    if (session.owner_pid === process.pid && session.owner_host === hostname()) return true;
    if (session.owner_host !== hostname()) return now - (session.heartbeat_at ?? 0) < OWNER_STALE_MS;
    try {
      process.kill(session.owner_pid, 0);
    } catch {
      return false;
    }
    // The pid exists, but pids are reused: trust it only with a fresh heartbeat.
    return now - (session.heartbeat_at ?? 0) < OWNER_STALE_MS;
  }

  setStage(id: string, stage: SessionStage, error: string | null = null): void {
    const now = Date.now();
    const finished = stage === 'completed' || stage === 'failed' || stage === 'cancelled' || stage === 'interrupted';
    this.db
      .prepare(`UPDATE session SET stage = ?, error = ?, updated_at = ?, heartbeat_at = ?, finished_at = CASE WHEN ? THEN ? ELSE NULL END WHERE id = ?`)
      .run(stage, error, now, now, finished ? 1 : 0, now, id);
  }

  /** Takes the session over for this process (a resume). */
  claimSession(id: string, kind: 'resume' | 'bootstrap' | 'start'): void {
    const now = Date.now();
    this.db
      .prepare(
        `UPDATE session SET owner_pid = ?, owner_host = ?, heartbeat_at = ?, updated_at = ?, error = NULL, finished_at = NULL,
           resumes = resumes + ?, bootstraps = bootstraps + ? WHERE id = ?`,
      )
      .run(process.pid, hostname(), now, now, kind === 'resume' ? 1 : 0, kind === 'bootstrap' ? 1 : 0, id);
  }

  /**
   * Marks the session's owner alive. While a worker holds the store's write lock (a batch
   * commit takes up to ~0.25 s on django), a beat recorded recently enough is not waited for:
   * waiting held up the coordinator's event loop (the last unit's `done`, the held cross-unit
   * pass) for as long, 58 ms at a time on django, in SQLite's coarse busy sleeps. A beat older
   * than a third of OWNER_STALE_MS waits as any write does.
   */
  heartbeat(id: string): void {
    const now = Date.now();
    const wait = now - this.lastHeartbeatAt > OWNER_STALE_MS / 3;
    if (!wait) this.db.pragma('busy_timeout = 0');
    try {
      this.db.prepare(`UPDATE session SET heartbeat_at = ? WHERE id = ?`).run(now, id);
      this.lastHeartbeatAt = now;
    } catch (error) {
      // SQLITE_BUSY, or SQLITE_BUSY_SNAPSHOT when a commit came between its read and its write.
      if (wait || !String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw error;
    } finally {
      if (!wait) this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  private lastHeartbeatAt = 0;

  setSessionTotals(id: string, totals: Partial<Pick<SessionRow, 'files_total' | 'files_skipped' | 'refs_cross_unit' | 'refs_unresolved' | 'refs_external' | 'nodes' | 'edges'>>): void {
    const keys = Object.keys(totals) as (keyof typeof totals)[];
    if (keys.length === 0) return;
    const sets = keys.map((key) => `${key} = @${key}`).join(', ');
    this.db.prepare(`UPDATE session SET ${sets}, updated_at = @now WHERE id = @id`).run({ ...totals, now: Date.now(), id });
  }

  addCrossUnitCounts(id: string, counts: { crossUnit: number; external: number }): void {
    this.db
      .prepare(`UPDATE session SET refs_cross_unit = refs_cross_unit + ?, refs_external = refs_external + ? WHERE id = ?`)
      .run(counts.crossUnit, counts.external, id);
  }

  /** Deletes one project's sessions and symbols (a fresh parse); the graph target is cleared separately. */
  forgetProject(projectId: string): void {
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM session WHERE project_id = ?`).run(projectId);
      this.db.prepare(`DELETE FROM symbol WHERE project_id = ?`).run(projectId);
    })();
  }

  // --- the plan --------------------------------------------------------------

  /** The whole plan in one transaction: it is durable before any worker is given a unit. */
  savePlan(sessionId: string, units: readonly PlannedUnitInput[], skipped: readonly SkippedFile[]): void {
    const insertUnit = this.db.prepare(`INSERT INTO work_unit (session_id, idx, path, status, files_total) VALUES (?, ?, ?, 'pending', ?)`);
    const insertFile = this.db.prepare(
      `INSERT INTO file_state (session_id, unit_id, path, language, size, mtime_ms, status) VALUES (?, ?, ?, ?, ?, ?, 'pending')`,
    );
    const insertSkipped = this.db.prepare(`INSERT OR IGNORE INTO file_state (session_id, unit_id, path, status, reason) VALUES (?, NULL, ?, 'skipped', ?)`);
    this.db.transaction(() => {
      let total = 0;
      for (const unit of units) {
        const unitId = Number(insertUnit.run(sessionId, unit.index, unit.path, unit.files.length).lastInsertRowid);
        for (const file of unit.files) insertFile.run(sessionId, unitId, file.path, file.language, file.size, file.mtimeMs);
        total += unit.files.length;
      }
      for (const skip of skipped) insertSkipped.run(sessionId, skip.path, skip.reason);
      this.setSessionTotals(sessionId, { files_total: total, files_skipped: skipped.length });
      this.setStage(sessionId, 'planned');
    })();
  }

  /** Files of the session as planned (for change detection on resume). */
  plannedFiles(sessionId: string): (PendingFile & { status: string; unitId: number })[] {
    return this.db
      .prepare(
        `SELECT id, path, language, size, mtime_ms AS mtimeMs, status, unit_id AS unitId FROM file_state WHERE session_id = ? AND unit_id IS NOT NULL ORDER BY path`,
      )
      .all(sessionId) as (PendingFile & { status: string; unitId: number })[];
  }

  /**
   * The planned files the folder still holds: a worker resolves imports against these, so a
   * file found deleted on a resume (failed with FILE_DELETED_REASON) is no longer importable,
   * as in a fresh parse of the folder.
   */
  existingFiles(sessionId: string): { path: string; language: Language }[] {
    return this.db
      .prepare(
        `SELECT path, language FROM file_state WHERE session_id = ? AND unit_id IS NOT NULL AND NOT (status = 'failed' AND reason IS ?) ORDER BY path`,
      )
      .all(sessionId, FILE_DELETED_REASON) as { path: string; language: Language }[];
  }

  /** Sets files back to pending (they changed on disk since they were parsed). */
  reopenFiles(fileIds: readonly number[]): void {
    const statement = this.db.prepare(`UPDATE file_state SET status = 'pending', reason = NULL WHERE id = ?`);
    const reopenUnit = this.db.prepare(
      `UPDATE work_unit SET status = 'pending' WHERE id = (SELECT unit_id FROM file_state WHERE id = ?) AND status = 'completed'`,
    );
    this.db.transaction(() => {
      for (const id of fileIds) {
        statement.run(id);
        reopenUnit.run(id);
      }
    })();
  }

  /** Records a file's size and mtime as they are now (after a change was detected). */
  updateFileFacts(fileId: number, size: number, mtimeMs: number): void {
    this.db.prepare(`UPDATE file_state SET size = ?, mtime_ms = ? WHERE id = ?`).run(size, mtimeMs, fileId);
  }

  units(sessionId: string): WorkUnitSummary[] {
    const rows = this.db
      .prepare(
        `SELECT u.*, (SELECT COUNT(*) FROM file_state f WHERE f.unit_id = u.id AND f.status = 'completed') AS files_done,
                (SELECT COUNT(*) FROM file_state f WHERE f.unit_id = u.id AND f.status = 'failed') AS files_failed
         FROM work_unit u WHERE u.session_id = ? ORDER BY u.idx`,
      )
      .all(sessionId) as UnitRow[];
    return rows.map(unitSummary);
  }

  unit(unitId: number): WorkUnitSummary | undefined {
    const row = this.db
      .prepare(
        `SELECT u.*, (SELECT COUNT(*) FROM file_state f WHERE f.unit_id = u.id AND f.status = 'completed') AS files_done,
                (SELECT COUNT(*) FROM file_state f WHERE f.unit_id = u.id AND f.status = 'failed') AS files_failed
         FROM work_unit u WHERE u.id = ?`,
      )
      .get(unitId) as UnitRow | undefined;
    return row ? unitSummary(row) : undefined;
  }

  /** Files a worker must parse: pending ones, and completed ones whose references were lost (bootstrap). */
  pendingFiles(unitId: number): PendingFile[] {
    const rows = this.db
      .prepare(
        `SELECT id, path, language, size, mtime_ms AS mtimeMs, status FROM file_state
         WHERE unit_id = ? AND (status = 'pending' OR (status = 'completed' AND needs_refs = 1)) ORDER BY path`,
      )
      .all(unitId) as (PendingFile & { status: string })[];
    return rows.map(({ status, ...file }) => (status === 'completed' ? { ...file, referencesOnly: true } : file));
  }

  /** Files of the session not yet completed (what a resume has left to do). */
  unfinishedFileCount(sessionId: string): number {
    return this.db.prepare(`SELECT COUNT(*) FROM file_state WHERE session_id = ? AND status = 'pending'`).pluck().get(sessionId) as number;
  }

  /**
   * Notes the file a worker is about to parse, so that if it kills the process the coordinator
   * knows the suspect. A small file beside the state store, written synchronously: a SQLite
   * write per parsed file contended with the coordinator's writes, and a message could be lost
   * with process.abort().
   */
  noteCurrentFile(unitId: number, path: string | null): void {
    let fd = this.currentFileNotes.get(unitId);
    if (path === null) {
      if (fd !== undefined) closeSync(fd);
      this.currentFileNotes.delete(unitId);
      rmSync(this.currentFileNote(unitId), { force: true });
      return;
    }
    // One open file per unit, overwritten in place by one system call per parsed file: the
    // path ends at a NUL (which no path holds), so what a longer earlier path leaves after it
    // is never read. Truncating first made it two calls and six times the time.
    if (fd === undefined) this.currentFileNotes.set(unitId, (fd = openSync(this.currentFileNote(unitId), 'w')));
    writeSync(fd, `${path}\0`, 0);
  }

  currentFile(unitId: number): string | null {
    let note: string;
    try {
      note = readFileSync(this.currentFileNote(unitId), 'utf8');
    } catch {
      return null;
    }
    const end = note.indexOf('\0');
    return (end === -1 ? note : note.slice(0, end)) || null;
  }

  private currentFileNote(unitId: number): string {
    return `${this.path}.unit-${unitId}.current`;
  }

  /** Counts a worker crash against the file it was parsing; returns how many crashes it has caused. */
  recordFileCrash(unitId: number, path: string): number {
    this.db.prepare(`UPDATE file_state SET crashes = crashes + 1 WHERE unit_id = ? AND path = ?`).run(unitId, path);
    this.noteCurrentFile(unitId, null);
    return (this.db.prepare(`SELECT crashes FROM file_state WHERE unit_id = ? AND path = ?`).pluck().get(unitId, path) as number) ?? 0;
  }

  /** Files that crashed their worker at least once, and whether they were isolated. */
  crashedFiles(sessionId: string): { path: string; crashes: number; status: string; reason: string | null }[] {
    return this.db
      .prepare(`SELECT path, crashes, status, reason FROM file_state WHERE session_id = ? AND crashes > 0 ORDER BY path`)
      .all(sessionId) as { path: string; crashes: number; status: string; reason: string | null }[];
  }

  /** Bootstrap: files whose FILE node is in the target count as done; their references are re-derived. */
  markFilesDoneFromTarget(sessionId: string, paths: ReadonlySet<string>): number {
    const statement = this.db.prepare(`UPDATE file_state SET status = 'completed', needs_refs = 1 WHERE session_id = ? AND path = ? AND status = 'pending'`);
    let count = 0;
    this.db.transaction(() => {
      for (const path of paths) count += statement.run(sessionId, path).changes;
    })();
    return count;
  }

  completedFilePathsOfUnit(unitId: number): string[] {
    return this.db.prepare(`SELECT path FROM file_state WHERE unit_id = ? AND status = 'completed' ORDER BY path`).pluck().all(unitId) as string[];
  }

  /** Bytes of the files still to parse, per unit of the session. */
  pendingBytesByUnit(sessionId: string): Map<number, number> {
    const rows = this.db
      .prepare(`SELECT unit_id AS unitId, SUM(size) AS bytes FROM file_state WHERE session_id = ? AND unit_id IS NOT NULL AND status = 'pending' GROUP BY unit_id`)
      .all(sessionId) as { unitId: number; bytes: number }[];
    return new Map(rows.map((row) => [row.unitId, row.bytes]));
  }

  markUnitRunning(unitId: number): number {
    const now = Date.now();
    this.db
      .prepare(`UPDATE work_unit SET status = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, ?), error = NULL WHERE id = ?`)
      .run(now, unitId);
    return (this.db.prepare(`SELECT attempts FROM work_unit WHERE id = ?`).pluck().get(unitId) as number) ?? 1;
  }

  /** Takes back the attempt a unit was charged for a run that ended through no fault of its own (a target outage). */
  refundAttempt(unitId: number): void {
    this.db.prepare(`UPDATE work_unit SET attempts = MAX(attempts - 1, 0) WHERE id = ?`).run(unitId);
  }

  /** Forgets the symbols of files that changed on disk: their definitions are re-derived when they are parsed again. */
  deleteSymbolsOfFiles(projectId: string, paths: readonly string[]): void {
    const statement = this.db.prepare(`DELETE FROM symbol INDEXED BY symbol_file WHERE project_id = ? AND file_path = ?`);
    this.db.transaction(() => {
      for (const path of paths) statement.run(projectId, path);
    })();
  }

  /**
   * Files with an open deferred reference one of whose candidates is one of `paths`: what they
   * deferred was decided against those files as they were (an import of a since-deleted module).
   */
  filesWithOpenReferencesInto(sessionId: string, paths: readonly string[]): string[] {
    const out = new Set<string>();
    inChunks(paths, 500, (chunk) => {
      const rows = this.db
        .prepare(
          `SELECT DISTINCT d.source_file FROM deferred_ref AS d, json_each(d.payload, '$.candidates') AS c
           WHERE d.session_id = ? AND d.resolved = 0 AND d.id > ? AND json_extract(c.value, '$.file') IN (${chunk.map(() => '?').join(',')})`,
        )
        .pluck()
        .all(sessionId, this.finalSettledThrough(sessionId), ...chunk) as string[];
      for (const path of rows) out.add(path);
    });
    return [...out].sort();
  }

  /** Drops the open deferred references of files about to be parsed again: they defer theirs anew. */
  dropOpenReferencesOf(sessionId: string, paths: readonly string[]): void {
    const statement = this.db.prepare(`DELETE FROM deferred_ref WHERE session_id = ? AND source_file = ? AND resolved = 0`);
    this.db.transaction(() => {
      for (const path of paths) statement.run(sessionId, path);
    })();
  }

  /** The files (by path) that define these nodes, from the symbol table. */
  filePathsOfNodes(projectId: string, nodeIds: Iterable<string>): Set<string> {
    const statement = this.db.prepare(`SELECT file_path FROM symbol WHERE project_id = ? AND node_id = ?`).pluck();
    const paths = new Set<string>();
    for (const id of nodeIds) {
      const path = statement.get(projectId, id) as string | undefined;
      if (path !== undefined) paths.add(path);
    }
    return paths;
  }

  /**
   * Completed files whose edges into changed files were deleted with those files' nodes: parsed
   * again for their references only (as after a bootstrap), and their units run again.
   */
  markFilesForReferences(sessionId: string, paths: Iterable<string>): number {
    const mark = this.db.prepare(`UPDATE file_state SET needs_refs = 1 WHERE session_id = ? AND path = ? AND status = 'completed'`);
    const reopenUnit = this.db.prepare(
      `UPDATE work_unit SET status = 'pending' WHERE id = (SELECT unit_id FROM file_state WHERE session_id = ? AND path = ?) AND status = 'completed'`,
    );
    let count = 0;
    this.db.transaction(() => {
      for (const path of paths) {
        const changed = mark.run(sessionId, path).changes;
        count += changed;
        if (changed > 0) reopenUnit.run(sessionId, path);
      }
    })();
    return count;
  }

  setUnitStatus(unitId: number, status: UnitStatus, error: string | null = null): void {
    const now = Date.now();
    const finished = status === 'completed' || status === 'failed';
    this.db
      .prepare(
        `UPDATE work_unit SET status = ?, error = ?, finished_at = CASE WHEN ? THEN ? ELSE finished_at END,
           duration_ms = CASE WHEN ? THEN ? - started_at ELSE duration_ms END WHERE id = ?`,
      )
      .run(status, error, finished ? 1 : 0, now, finished ? 1 : 0, now, unitId);
  }

  /** Units left to do on a resume go back to pending (their attempt count is kept). */
  requeueUnfinishedUnits(sessionId: string): number {
    return this.db
      .prepare(`UPDATE work_unit SET status = 'pending', error = NULL WHERE session_id = ? AND status IN ('running', 'retrying', 'failed', 'pending')`)
      .run(sessionId).changes;
  }

  markFileFailed(unitId: number, path: string, reason: string): void {
    this.db.prepare(`UPDATE file_state SET status = 'failed', reason = ? WHERE unit_id = ? AND path = ?`).run(reason, unitId, path);
  }

  /** Called by a worker after the graph writes of these files succeeded, all in one transaction. */
  commitFileBatch(batch: FileBatchCommit): void {
    const completeFile = this.db.prepare(`UPDATE file_state SET status = 'completed', reason = NULL, needs_refs = 0 WHERE id = ?`);
    const insertSymbol = this.db.prepare(
      `INSERT OR REPLACE INTO symbol (project_id, node_id, name, qualified_name, file_path, label, kind, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertDeferred = this.db.prepare(
      `INSERT INTO deferred_ref (session_id, unit_id, source_node_id, source_file, payload) VALUES (?, ?, ?, ?, ?)`,
    );
    const updateUnit = this.db.prepare(
      `UPDATE work_unit SET nodes = nodes + ?, edges = edges + ?, refs_local = refs_local + ?, refs_deferred = refs_deferred + ?,
         refs_external = refs_external + ?, parse_ms = parse_ms + ?, write_ms = write_ms + ? WHERE id = ?`,
    );
    // Serialised before the transaction: the write lock it takes is what the coordinator and
    // the other workers wait for (JSON was a third of the time inserting django's references).
    const payloads = batch.deferred.map(deferredPayload);
    this.db.transaction(() => {
      for (const id of batch.fileIds) completeFile.run(id);
      for (const s of batch.symbols) insertSymbol.run(batch.projectId, s.nodeId, s.name, s.qualifiedName, s.filePath, s.label, s.kind, s.language);
      batch.deferred.forEach((ref, i) => insertDeferred.run(batch.sessionId, batch.unitId, ref.sourceNodeId, ref.sourceFile, payloads[i]));
      updateUnit.run(batch.nodes, batch.edges, batch.refsLocal, batch.deferred.length, batch.refsExternal, batch.parseMs, batch.writeMs, batch.unitId);
    })();
  }

  // --- symbols and deferred references ---------------------------------------

  symbolsOfFiles(projectId: string, paths: readonly string[]): SymbolRecord[] {
    const out: SymbolRecord[] = [];
    inChunks(paths, 500, (chunk) => {
      const rows = this.db
        .prepare(`SELECT * FROM symbol INDEXED BY symbol_file WHERE project_id = ? AND file_path IN (${chunk.map(() => '?').join(',')})`)
        .all(projectId, ...chunk) as SymbolRow[];
      for (const row of rows) out.push(symbolFromRow(row));
    });
    return out;
  }

  /** Whether the symbol table holds any symbol of the project (one index seek, whichever index SQLite picks). */
  projectHasSymbols(projectId: string): boolean {
    return this.db.prepare(`SELECT 1 FROM symbol WHERE project_id = ? LIMIT 1`).get(projectId) !== undefined;
  }

  /** One batched lookup of every symbol with one of these names. */
  symbolsByNames(projectId: string, names: Iterable<string>): Map<string, SymbolRecord[]> {
    const byName = new Map<string, SymbolRecord[]>();
    const all = [...names];
    // INDEXED BY: with no statistics SQLite takes `project_id = ?` for a narrow range and chose
    // the primary key, a scan of the whole project for every chunk (2.5 s of lookups on Go's source).
    // Rows as arrays (raw), made into records here: no intermediate row object per symbol, a
    // fifth less time on OpenJDK's final pass, which reads most of its 235k symbols this way.
    // One read transaction for all chunks: a worker committing a file between two of them
    // could otherwise show its FILE symbol without the definitions looked up before, and a
    // pass would take the file as complete and its definitions as missing.
    const lookUp = (chunk: readonly string[]): void => {
      const rows = this.symbolsByNamesStatement(chunk.length)
        .all(projectId, ...chunk) as [string, string, string, string, SymbolRecord['label'], SymbolRecord['kind'], SymbolRecord['language']][];
      for (const [nodeId, name, qualifiedName, filePath, label, kind, language] of rows) {
        const symbol: SymbolRecord = { nodeId, name, qualifiedName, filePath, label, kind, language };
        const list = byName.get(name);
        if (list) list.push(symbol);
        else byName.set(name, [symbol]);
      }
    };
    this.db.transaction(() => inChunks(all, 500, lookUp))();
    return byName;
  }

  /**
   * The statement for `count` names, compiled once: every chunk but a pass's last has the same
   * number of names, and compiling a statement of 500 parameters each time was a few percent
   * of django's final pass.
   */
  private symbolsByNamesStatement(count: number): SqliteStatement {
    let statement = this.symbolsByNamesStatements.get(count);
    if (!statement) {
      statement = this.db
        .prepare(
          `SELECT node_id, name, qualified_name, file_path, label, kind, language FROM symbol INDEXED BY symbol_name
           WHERE project_id = ? AND name IN (${Array.from({ length: count }, () => '?').join(',')}) ORDER BY node_id`,
        )
        .raw();
      this.symbolsByNamesStatements.set(count, statement);
    }
    return statement;
  }

  private readonly symbolsByNamesStatements = new Map<number, SqliteStatement>();

  replaceSymbols(projectId: string, symbols: readonly SymbolRecord[]): void {
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO symbol (project_id, node_id, name, qualified_name, file_path, label, kind, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM symbol WHERE project_id = ?`).run(projectId);
      for (const s of symbols) insert.run(projectId, s.nodeId, s.name, s.qualifiedName, s.filePath, s.label, s.kind, s.language);
    })();
  }

  openDeferred(sessionId: string, afterId: number, limit: number, unitIds?: readonly number[]): DeferredRow[] {
    const unitFilter = unitIds && unitIds.length > 0 ? `AND unit_id IN (${unitIds.map(() => '?').join(',')})` : '';
    const rows = this.db
      .prepare(
        `SELECT id, source_node_id, source_file, payload FROM deferred_ref WHERE session_id = ? AND resolved = 0 AND id > ? ${unitFilter} ORDER BY id LIMIT ?`,
      )
      .all(sessionId, Math.max(afterId, this.finalSettledThrough(sessionId)), ...(unitIds ?? []), limit) as {
      id: number;
      source_node_id: string;
      source_file: string;
      payload: string;
    }[];
    return rows.map((row) => ({
      id: row.id,
      ref: { sourceNodeId: row.source_node_id, sourceFile: row.source_file, ...(JSON.parse(row.payload) as Omit<DeferredReference, 'sourceNodeId' | 'sourceFile'>) },
    }));
  }

  settleDeferred(ids: readonly number[]): void {
    const statement = this.db.prepare(`UPDATE deferred_ref SET resolved = 1 WHERE id = ?`);
    this.db.transaction(() => {
      for (const id of ids) statement.run(id);
    })();
  }

  /**
   * Settles every reference of the session up to `throughId`, as the final pass does batch by
   * batch in id order: one number in the session row, where flagging each row rewrote all of
   * their pages (~310 ms of a 2.6 s final pass on Go's source).
   */
  settleDeferredThrough(sessionId: string, throughId: number): void {
    this.db.prepare(`UPDATE session SET final_settled_through = MAX(final_settled_through, ?) WHERE id = ?`).run(throughId, sessionId);
  }

  private finalSettledThrough(sessionId: string): number {
    return (this.db.prepare(`SELECT final_settled_through FROM session WHERE id = ?`).pluck().get(sessionId) as number | undefined) ?? 0;
  }

  /**
   * Package keys (a folder and '/', './' for the root) of the folders where no planned file is
   * pending any more: what the session will know of them, it knows now.
   */
  finishedPackages(sessionId: string): Set<string> {
    const unfinished = new Set<string>();
    const all = new Set<string>();
    for (const [path, status] of this.db.prepare(`SELECT path, status FROM file_state WHERE session_id = ?`).raw().iterate(sessionId) as IterableIterator<[string, string]>) {
      const key = packageKeyOf(path);
      all.add(key);
      if (status === 'pending') unfinished.add(key);
    }
    for (const key of unfinished) all.delete(key);
    return all;
  }

  openDeferredCount(sessionId: string): number {
    return this.db
      .prepare(`SELECT COUNT(*) FROM deferred_ref WHERE session_id = ? AND resolved = 0 AND id > ?`)
      .pluck()
      .get(sessionId, this.finalSettledThrough(sessionId)) as number;
  }

  // --- reporting -------------------------------------------------------------

  fileCounts(sessionId: string): { parsed: number; skipped: number; failed: number; pending: number } {
    const counts = { parsed: 0, skipped: 0, failed: 0, pending: 0 };
    const rows = this.db.prepare(`SELECT status, COUNT(*) AS n FROM file_state WHERE session_id = ? GROUP BY status`).all(sessionId) as {
      status: string;
      n: number;
    }[];
    for (const row of rows) {
      if (row.status === 'completed') counts.parsed = row.n;
      else if (row.status === 'skipped') counts.skipped = row.n;
      else if (row.status === 'failed') counts.failed = row.n;
      else if (row.status === 'pending') counts.pending = row.n;
    }
    return counts;
  }

  filesWithStatus(sessionId: string, status: 'skipped' | 'failed'): SkippedFile[] {
    return this.db
      .prepare(`SELECT path, COALESCE(reason, '') AS reason FROM file_state WHERE session_id = ? AND status = ? ORDER BY path`)
      .all(sessionId, status) as SkippedFile[];
  }

  summary(session: SessionRow): SessionSummary {
    const files = this.fileCounts(session.id);
    const unitTotals = this.db
      .prepare(`SELECT COALESCE(SUM(nodes),0) AS nodes, COALESCE(SUM(edges),0) AS edges, COALESCE(SUM(refs_local),0) AS refsLocal FROM work_unit WHERE session_id = ?`)
      .get(session.id) as { nodes: number; edges: number; refsLocal: number };
    const finished = session.stage === 'completed';
    const counters: SessionCounters = {
      filesTotal: session.files_total,
      filesDone: files.parsed,
      filesFailed: files.failed,
      filesSkipped: files.skipped,
      nodes: finished ? session.nodes : unitTotals.nodes,
      edges: finished ? session.edges : unitTotals.edges,
      refsLocal: unitTotals.refsLocal,
      refsCrossUnit: session.refs_cross_unit,
      refsUnresolved: session.refs_unresolved,
      refsExternal: session.refs_external + this.unitExternal(session.id),
    };
    return {
      id: session.id,
      projectId: session.project_id,
      stage: this.effectiveStage(session),
      target: session.target,
      startedAt: session.started_at,
      updatedAt: session.updated_at,
      finishedAt: session.finished_at,
      error: session.error,
      resumes: session.resumes,
      counters,
    };
  }

  private unitExternal(sessionId: string): number {
    return this.db.prepare(`SELECT COALESCE(SUM(refs_external),0) FROM work_unit WHERE session_id = ?`).pluck().get(sessionId) as number;
  }
}

interface UnitRow {
  id: number;
  idx: number;
  path: string;
  status: UnitStatus;
  attempts: number;
  files_total: number;
  files_done: number;
  files_failed: number;
  nodes: number;
  edges: number;
  refs_local: number;
  refs_deferred: number;
  started_at: number | null;
  finished_at: number | null;
  duration_ms: number | null;
  error: string | null;
}

function unitSummary(row: UnitRow): WorkUnitSummary {
  return {
    id: row.id,
    index: row.idx,
    path: row.path,
    status: row.status,
    attempts: row.attempts,
    filesTotal: row.files_total,
    filesDone: row.files_done,
    filesFailed: row.files_failed,
    nodes: row.nodes,
    edges: row.edges,
    refsLocal: row.refs_local,
    refsDeferred: row.refs_deferred,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    error: row.error,
  };
}

interface SymbolRow {
  project_id: string;
  node_id: string;
  name: string;
  qualified_name: string;
  file_path: string;
  label: string;
  kind: string;
  language: string;
}

function symbolFromRow(row: SymbolRow): SymbolRecord {
  return {
    nodeId: row.node_id,
    name: row.name,
    qualifiedName: row.qualified_name,
    filePath: row.file_path,
    label: row.label as SymbolRecord['label'],
    kind: row.kind as SymbolRecord['kind'],
    language: row.language as SymbolRecord['language'],
  };
}

/**
 * A deferred reference as stored: without the source node and file, which have columns of
 * their own (a third of the bytes, written by every worker and read back by the coordinator).
 */
function deferredPayload(ref: DeferredReference): string {
  const { sourceNodeId: _node, sourceFile: _file, ...rest } = ref;
  return JSON.stringify(rest);
}
