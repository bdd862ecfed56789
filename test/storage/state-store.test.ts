import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { DeferredReference, SymbolRecord } from '../../src/shared/resolution.js';
import type { FileRecord } from '../../src/shared/session.js';
import { StateStore } from '../../src/storage/state-store.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

const file = (path: string): FileRecord => ({ path, language: 'python', size: 10, mtimeMs: 1 });

function plannedStore(): { store: StateStore; sessionId: string } {
  const store = new StateStore(join(tempDir(), 'state.sqlite'));
  store.upsertProject({ id: 'p', root: '/code', name: 'code', target: 'embedded' });
  const sessionId = store.createSession({ projectId: 'p', target: 'embedded', targetConfig: { kind: 'embedded' }, snapshot: null, options: {} });
  store.savePlan(
    sessionId,
    [
      { index: 0, path: 'a', files: [file('a/1.py'), file('a/2.py')] },
      { index: 1, path: 'b', files: [file('b/1.py')] },
    ],
    [{ path: 'big.py', reason: 'larger than 1 MiB' }],
  );
  return { store, sessionId };
}

const symbol = (name: string, filePath: string): SymbolRecord => ({ nodeId: `${filePath}#${name}`, name, qualifiedName: name, filePath, label: 'FUNCTION', kind: 'function', language: 'python' });

describe('StateStore', () => {
  it('commits the whole plan before any work: units, pending files and skipped files', () => {
    const { store, sessionId } = plannedStore();
    const units = store.units(sessionId);
    expect(units.map((u) => [u.index, u.path, u.status, u.filesTotal, u.filesDone])).toEqual([
      [0, 'a', 'pending', 2, 0],
      [1, 'b', 'pending', 1, 0],
    ]);
    expect(store.pendingFiles(units[0]!.id).map((f) => f.path)).toEqual(['a/1.py', 'a/2.py']);
    expect(store.fileCounts(sessionId)).toEqual({ parsed: 0, skipped: 1, failed: 0, pending: 3 });
    expect(store.session(sessionId)!.stage).toBe('planned');
    expect(store.session(sessionId)!.files_total).toBe(3);
  });

  it('marks a batch of files completed together with its symbols and deferred references', () => {
    const { store, sessionId } = plannedStore();
    const unit = store.units(sessionId)[0]!;
    const [first] = store.pendingFiles(unit.id);
    const deferred: DeferredReference = {
      sourceNodeId: 'x', sourceFile: 'a/1.py', language: 'python', name: 'g', edge: 'REFERENCES', kind: 'call', line: 3, candidates: [], fallbackToName: true, external: false,
    };
    store.commitFileBatch({
      sessionId, projectId: 'p', unitId: unit.id, fileIds: [first!.id], symbols: [symbol('f', 'a/1.py')], deferred: [deferred],
      nodes: 2, edges: 1, refsLocal: 4, refsExternal: 1, parseMs: 1, writeMs: 1,
    });
    expect(store.pendingFiles(unit.id).map((f) => f.path)).toEqual(['a/2.py']);
    expect(store.completedFilePathsOfUnit(unit.id)).toEqual(['a/1.py']);
    expect(store.units(sessionId)[0]).toMatchObject({ filesDone: 1, nodes: 2, edges: 1, refsLocal: 4, refsDeferred: 1 });
    expect(store.openDeferred(sessionId, 0, 10).map((row) => row.ref)).toEqual([deferred]);
    expect(store.symbolsOfFiles('p', ['a/1.py']).map((s) => s.name)).toEqual(['f']);
  });

  it('settles every reference of one session up to an id, as the final pass goes, leaving the rest open', () => {
    const { store, sessionId } = plannedStore();
    const other = store.createSession({ projectId: 'p', target: 'embedded', targetConfig: { kind: 'embedded' }, snapshot: null, options: {} });
    store.savePlan(other, [{ index: 0, path: 'a', files: [file('a/1.py')] }], []);
    const ref = (sourceNodeId: string): DeferredReference => ({
      sourceNodeId, sourceFile: 'a/1.py', language: 'python', name: 'g', edge: 'REFERENCES', kind: 'call', line: 1, candidates: [], fallbackToName: true, external: false,
    });
    const commit = (session: string, names: string[]): void =>
      store.commitFileBatch({
        sessionId: session, projectId: 'p', unitId: store.units(session)[0]!.id, fileIds: [], symbols: [], deferred: names.map(ref),
        nodes: 0, edges: 0, refsLocal: 0, refsExternal: 0, parseMs: 0, writeMs: 0,
      });
    commit(sessionId, ['s1', 's2']);
    commit(other, ['o1']);
    commit(sessionId, ['s3', 's4']);
    const ids = store.openDeferred(sessionId, 0, 10).map((row) => row.id);
    expect(ids).toHaveLength(4);

    store.settleDeferredThrough(sessionId, ids[1]!);
    // Read from the start again (a resumed final pass): what is settled stays so.
    expect(store.openDeferred(sessionId, 0, 10).map((row) => row.ref.sourceNodeId)).toEqual(['s3', 's4']);
    expect(store.openDeferredCount(sessionId)).toBe(2);
    // It never moves back, and the other session's references are untouched.
    store.settleDeferredThrough(sessionId, ids[0]!);
    expect(store.openDeferredCount(sessionId)).toBe(2);
    expect(store.openDeferred(other, 0, 10).map((row) => row.ref.sourceNodeId)).toEqual(['o1']);
    store.settleDeferredThrough(sessionId, ids[3]!);
    expect(store.openDeferred(sessionId, 0, 10)).toEqual([]);
  });

  it('names the package folders with no file left to parse', () => {
    const { store, sessionId } = plannedStore();
    // Planned: a/1.py, a/2.py, b/1.py (pending) and big.py (skipped, at the root).
    expect(store.finishedPackages(sessionId)).toEqual(new Set(['./']));
    const [a, b] = store.units(sessionId);
    const [first, second] = store.pendingFiles(a!.id);
    const commit = (unitId: number, fileIds: number[]): void =>
      store.commitFileBatch({ sessionId, projectId: 'p', unitId, fileIds, symbols: [], deferred: [], nodes: 0, edges: 0, refsLocal: 0, refsExternal: 0, parseMs: 0, writeMs: 0 });
    commit(a!.id, [first!.id]);
    expect(store.finishedPackages(sessionId)).toEqual(new Set(['./']));
    // A failed file is finished too: its symbols will never come.
    store.markFileFailed(a!.id, second!.path, 'parse failed');
    expect(store.finishedPackages(sessionId)).toEqual(new Set(['./', 'a/']));
    commit(b!.id, store.pendingFiles(b!.id).map((file) => file.id));
    expect(store.finishedPackages(sessionId)).toEqual(new Set(['./', 'a/', 'b/']));
  });

  it('looks symbols up by many names in one batched query', () => {
    const { store } = plannedStore();
    store.replaceSymbols('p', [symbol('f', 'a.py'), symbol('f', 'b.py'), symbol('g', 'a.py')]);
    const byName = store.symbolsByNames('p', ['f', 'g', 'missing']);
    expect(byName.get('f')!.map((s) => s.filePath)).toEqual(['a.py', 'b.py']);
    expect(byName.get('g')!.length).toBe(1);
    expect(byName.has('missing')).toBe(false);
  });

  it('reads every chunk of a lookup by names from one snapshot, whatever another process commits meanwhile', () => {
    const { store } = plannedStore();
    const path = store.path;
    // 500 names a chunk: 'helper' is read in the first, 'b.py' in the second.
    const names = ['helper', ...Array.from({ length: 499 }, (_, i) => `other${i}`), 'b.py'];
    const worker = new StateStore(path);
    const prepare = store.db.prepare.bind(store.db);
    let lookups = 0;
    // A worker completes b.py (its FILE symbol and its definition 'helper') between the two chunks.
    vi.spyOn(store.db, 'prepare').mockImplementation((sql: string) => {
      if (sql.includes('FROM symbol INDEXED BY symbol_name') && ++lookups === 2) {
        worker.replaceSymbols('p', [{ ...symbol('b.py', 'b.py'), label: 'FILE', kind: 'file' }, symbol('helper', 'b.py')]);
      }
      return prepare(sql);
    });
    const byName = store.symbolsByNames('p', names);
    expect(lookups).toBe(2);
    // Either both or neither: b.py's FILE symbol without its definition made it look complete and empty.
    expect(byName.has('b.py')).toBe(byName.has('helper'));
    expect(store.symbolsByNames('p', names).get('b.py')).toHaveLength(1);
    worker.close();
  });

  it("skips a heartbeat while another process holds the write lock if the last one is recent, and waits for it if not", async () => {
    const { store, sessionId } = plannedStore();
    const beatAt = (): number | null => store.session(sessionId)!.heartbeat_at;
    // Another process (a worker committing a batch) holds the write lock for a while.
    const holdLock = async (ms: number): Promise<ChildProcess> => {
      const child = spawn(
        process.execPath,
        ['-e', `const db = new (require('better-sqlite3'))(process.argv[1]); db.exec('BEGIN IMMEDIATE'); console.log('locked'); setTimeout(() => db.exec('COMMIT'), ${ms});`, store.path],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      return child;
    };

    // No beat yet from this process: it waits for the lock, as any write does.
    let child = await holdLock(300);
    let started = performance.now();
    store.heartbeat(sessionId);
    expect(performance.now() - started).toBeGreaterThan(200);
    const first = beatAt();
    await once(child, 'exit');

    // A beat just recorded: the next one gives way at once and changes nothing.
    child = await holdLock(300);
    await new Promise((resolve) => setTimeout(resolve, 5));
    started = performance.now();
    store.heartbeat(sessionId);
    expect(performance.now() - started).toBeLessThan(100);
    expect(beatAt()).toBe(first);
    // Other writes still wait for the lock, as before.
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(60_000);
    await once(child, 'exit');
    store.heartbeat(sessionId);
    expect(beatAt()).toBeGreaterThan(first!);
  });

  it('shows a live session whose owner process is gone as interrupted', () => {
    const { store, sessionId } = plannedStore();
    store.setStage(sessionId, 'parsing');
    expect(store.effectiveStage(store.session(sessionId)!)).toBe('parsing');
    // A pid that certainly existed and is now gone: a child that already exited.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    store.db.prepare('UPDATE session SET owner_pid = ? WHERE id = ?').run(Number(gone), sessionId);
    expect(store.effectiveStage(store.session(sessionId)!)).toBe('interrupted');
    store.claimSession(sessionId, 'resume');
    expect(store.effectiveStage(store.session(sessionId)!)).toBe('parsing');
    expect(store.session(sessionId)!.resumes).toBe(1);
  });

  it("tells the coordinator which file a worker is on, the latest only, until the worker is done", () => {
    const { store: coordinator, sessionId } = plannedStore();
    const worker = new StateStore(coordinator.path);
    const unit = coordinator.units(sessionId)[0]!;
    expect(coordinator.currentFile(unit.id)).toBeNull();
    worker.noteCurrentFile(unit.id, 'a/a-much-longer-folder-name/first.py');
    expect(coordinator.currentFile(unit.id)).toBe('a/a-much-longer-folder-name/first.py');
    worker.noteCurrentFile(unit.id, 'a/2.py');
    expect(coordinator.currentFile(unit.id)).toBe('a/2.py');
    worker.noteCurrentFile(unit.id, null);
    expect(coordinator.currentFile(unit.id)).toBeNull();
    worker.close();
    coordinator.close();
  });

  it('requeues unfinished units on resume and keeps their attempts', () => {
    const { store, sessionId } = plannedStore();
    const [a, b] = store.units(sessionId);
    store.markUnitRunning(a!.id);
    store.setUnitStatus(b!.id, 'completed');
    store.requeueUnfinishedUnits(sessionId);
    expect(store.units(sessionId).map((u) => [u.status, u.attempts])).toEqual([
      ['pending', 1],
      ['completed', 0],
    ]);
  });
});
