import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { PublishedSymbols } from '../../../src/engine/coordinator/published-symbols.js';
import { EARLY_BATCH, emptyHeldLinks, linkDeferredReferences, writeHeldLinks } from '../../../src/engine/coordinator/reference-linker.js';
import { SymbolNameCache } from '../../../src/engine/coordinator/symbol-name-cache.js';
import { ProgressiveLinker } from '../../../src/engine/coordinator/session-runner.js';
import { openSessionLog } from '../../../src/engine/session-log.js';
import type { GraphEdge } from '../../../src/shared/graph-model.js';
import type { DeferredReference, SymbolRecord } from '../../../src/shared/resolution.js';
import { EmbeddedGraphStore } from '../../../src/storage/embedded-store.js';
import { StateStore } from '../../../src/storage/state-store.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tempDir = useTempDir();

/** More than one batch of the linker (5,000 references). */
const REFS = 5001;

const symbol = (name: string, filePath: string, label: SymbolRecord['label'] = 'FUNCTION'): SymbolRecord => ({
  nodeId: `${filePath}#${name}`, name, qualifiedName: name, filePath, label, kind: label === 'FILE' ? 'file' : 'function', language: 'python',
});

function ref(i: number, overrides: Partial<DeferredReference> = {}): DeferredReference {
  return { sourceNodeId: `main.py#f${i}`, sourceFile: 'main.py', language: 'python', name: 'helper', edge: 'REFERENCES', kind: 'call', line: i + 1, candidates: [], fallbackToName: true, external: false, ...overrides };
}

async function setUp(refs: DeferredReference[], symbols: SymbolRecord[]): Promise<{ state: StateStore; target: EmbeddedGraphStore; sessionId: string }> {
  const state = new StateStore(join(tempDir(), 'state.sqlite'));
  state.upsertProject({ id: 'p', root: '/code', name: 'code', target: 'embedded' });
  const sessionId = state.createSession({ projectId: 'p', target: 'embedded', targetConfig: { kind: 'embedded' }, snapshot: null, options: {} });
  state.savePlan(sessionId, [{ index: 0, path: '.', files: [{ path: 'main.py', language: 'python', size: 1, mtimeMs: 1 }] }], []);
  const unit = state.units(sessionId)[0]!;
  const fileIds = state.pendingFiles(unit.id).map((file) => file.id);
  state.commitFileBatch({ sessionId, projectId: 'p', unitId: unit.id, fileIds, symbols, deferred: refs, nodes: 0, edges: 0, refsLocal: 0, refsExternal: 0, parseMs: 0, writeMs: 0 });
  const target = new EmbeddedGraphStore(join(tempDir(), 'graph.sqlite'));
  await target.open();
  return { state, target, sessionId };
}

async function edges(store: EmbeddedGraphStore): Promise<GraphEdge[]> {
  const all: GraphEdge[] = [];
  for await (const edge of store.readEdges('p')) all.push(edge);
  return all;
}

describe('linkDeferredReferences', () => {
  it('in the final pass, looks each name up once for all batches', async () => {
    const { state, target, sessionId } = await setUp(Array.from({ length: REFS }, (_, i) => ref(i)), [symbol('helper', 'lib.py')]);
    const lookups = vi.spyOn(state, 'symbolsByNames');
    const counts = await linkDeferredReferences({ state, target, sessionId, projectId: 'p', phase: 'final' });
    expect(counts).toMatchObject({ resolved: REFS, edges: REFS });
    expect(lookups).toHaveBeenCalledTimes(1);
    expect(await target.totals('p')).toEqual({ nodes: 0, edges: REFS });
    await target.close();
    state.close();
  });

  it('lets the event loop turn between batches, so a cancel arriving meanwhile stops the pass', async () => {
    const { state, target, sessionId } = await setUp(Array.from({ length: 3 * 5000 }, (_, i) => ref(i)), [symbol('helper', 'lib.py')]);
    let cancelled = false;
    let batches = 0;
    // A cancel comes in as an event (an IPC message, a signal): it can only land when the pass yields.
    setImmediate(() => (cancelled = true));
    const counts = await linkDeferredReferences({
      state, target, sessionId, projectId: 'p', phase: 'final', shouldStop: () => cancelled,
      guard: async (write) => {
        batches++;
        return write();
      },
    });
    expect(batches).toBe(1);
    expect(counts.resolved).toBe(5000);
    expect(state.openDeferredCount(sessionId)).toBe(2 * 5000);
    await target.close();
    state.close();
  });

  it('while units run, looks names up again for every batch: a file finished in between is seen', async () => {
    const fromB = { file: 'b.py', qualifiedName: 'helper', resolution: 'import' as const, confidence: 0.95 };
    const { state, target, sessionId } = await setUp(Array.from({ length: REFS }, (_, i) => ref(i, { candidates: [fromB] })), []);
    let batches = 0;
    const counts = await linkDeferredReferences({
      state, target, sessionId, projectId: 'p', phase: 'as-units-finish',
      // A worker completes b.py while the first batch is written.
      guard: async (write) => {
        if (batches++ === 0) state.replaceSymbols('p', [symbol('b.py', 'b.py', 'FILE'), symbol('helper', 'b.py')]);
        return write();
      },
    });
    expect(batches).toBe(Math.ceil(REFS / EARLY_BATCH));
    expect(counts.resolved).toBe(REFS - EARLY_BATCH);
    expect(state.openDeferredCount(sessionId)).toBe(EARLY_BATCH);
    await target.close();
    state.close();
  });
});

describe('a held pass', () => {
  it('stops holding at its limit, and the final pass links the rest: the same graph as the final pass alone', async () => {
    const refs = Array.from({ length: 1200 }, (_, i) => ref(i, i % 2 ? {} : { name: 'other' }));
    const symbols = [symbol('lib.py', 'lib.py', 'FILE'), symbol('helper', 'lib.py'), symbol('other', 'lib.py')];
    const { state, target, sessionId } = await setUp(refs, symbols);
    const held = emptyHeldLinks(300);
    const cache = new SymbolNameCache((names) => state.symbolsByNames('p', names));
    await linkDeferredReferences({ state, target, sessionId, projectId: 'p', phase: 'final', symbols: cache, hold: held });
    // Batches of 250 references, one edge each: it stopped after the batch that crossed 300.
    expect(held.edges).toHaveLength(500);
    expect(held.ids).toHaveLength(500);
    expect(await target.totals('p')).toEqual({ nodes: 0, edges: 0 });
    await writeHeldLinks({ state, target, sessionId, held });
    expect(state.openDeferredCount(sessionId)).toBe(700);
    const rest = await linkDeferredReferences({ state, target, sessionId, projectId: 'p', phase: 'final', symbols: cache });
    expect(rest.resolved).toBe(700);

    const plain = await setUp(refs, symbols);
    await linkDeferredReferences({ state: plain.state, target: plain.target, sessionId: plain.sessionId, projectId: 'p', phase: 'final' });
    expect(await edges(target)).toEqual(await edges(plain.target));
    expect(await edges(target)).toHaveLength(1200);
    for (const { state: s, target: t } of [{ state, target }, plain]) {
      await t.close();
      s.close();
    }
  });
});

describe('ProgressiveLinker', () => {
  it('links only once a worker slot is idle, then every finished unit, and stops with the last unit', async () => {
    const fromB = { file: 'b.py', qualifiedName: 'helper', resolution: 'import' as const, confidence: 0.95 };
    const { state, target, sessionId } = await setUp(Array.from({ length: 3 * EARLY_BATCH }, (_, i) => ref(i, { candidates: [fromB] })), [
      symbol('b.py', 'b.py', 'FILE'),
      symbol('helper', 'b.py'),
    ]);
    const unitId = state.units(sessionId)[0]!.id;
    const log = openSessionLog(tempDir(), sessionId);
    const linker = new ProgressiveLinker({ state, target, sessionId, projectId: 'p', log, cancelled: () => false });
    // Every worker still busy: the unit's references wait.
    linker.unitFinished(unitId, false);
    expect(await linker.drain()).toMatchObject({ resolved: 0 });
    expect(state.openDeferredCount(sessionId)).toBe(3 * EARLY_BATCH);
    // A slot idles: one pass over what finished so far, ended by the last unit after its first batch.
    linker.unitFinished(unitId + 1, true);
    // The last unit's end arrives as an event: it lands when the pass yields after a batch.
    setImmediate(() => linker.stop());
    const counts = await linker.drain();
    expect(counts.resolved).toBe(EARLY_BATCH);
    expect(state.openDeferredCount(sessionId)).toBe(2 * EARLY_BATCH);
    expect(await target.totals('p')).toEqual({ nodes: 0, edges: EARLY_BATCH });
    await target.close();
    state.close();
  });

  it('once every symbol is known, resolves all open references against the sent ones too, and writes them only when told', async () => {
    // `helper` is defined in lib.py (in the table) and in c.py, whose unit still writes: sent
    // only. A name-only reference must see both, as the final pass will.
    const refs = [...Array.from({ length: EARLY_BATCH + 1 }, (_, i) => ref(i)), ref(EARLY_BATCH + 1, { name: 'only_in_c' })];
    const stored = [symbol('lib.py', 'lib.py', 'FILE'), symbol('helper', 'lib.py')];
    const sent = [symbol('c.py', 'c.py', 'FILE'), symbol('helper', 'c.py'), symbol('only_in_c', 'c.py')];
    const { state, target, sessionId } = await setUp(refs, stored);
    const published = new PublishedSymbols();
    published.started(99);
    published.published(99, sent);
    expect(published.complete(1)).toBe(true);
    const linker = new ProgressiveLinker({ state, target, sessionId, projectId: 'p', log: openSessionLog(tempDir(), sessionId), cancelled: () => false });
    linker.everySymbolKnown(published);
    await linker.drain();
    const held = linker.held!;
    expect(held.links.ids).toHaveLength(refs.length);
    // Nothing written or settled yet: c.py's nodes may not exist.
    expect(await target.totals('p')).toEqual({ nodes: 0, edges: 0 });
    expect(state.openDeferredCount(sessionId)).toBe(refs.length);

    // c.py's unit completes; then the session writes what was held and runs the final pass.
    state.replaceSymbols('p', [...stored, ...sent]);
    await writeHeldLinks({ state, target, sessionId, held: held.links });
    expect(state.openDeferredCount(sessionId)).toBe(0);
    expect(await linkDeferredReferences({ state, target, sessionId, projectId: 'p', phase: 'final', symbols: held.symbols })).toMatchObject({ resolved: 0, ambiguous: 0 });

    // The same references with every symbol in the table, through the final pass alone.
    const plain = await setUp(refs, [...stored, ...sent]);
    const counts = await linkDeferredReferences({ state: plain.state, target: plain.target, sessionId: plain.sessionId, projectId: 'p', phase: 'final' });
    expect(held.links.counts).toEqual(counts);
    expect(counts.ambiguous + counts.resolved).toBe(refs.length);
    expect(await edges(target)).toEqual(await edges(plain.target));
    expect((await edges(target)).some((edge) => edge.target === 'c.py#only_in_c')).toBe(true);
    for (const { state: s, target: t } of [{ state, target }, plain]) {
      await t.close();
      s.close();
    }
  });
});
