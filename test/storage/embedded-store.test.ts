import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportJsonl } from '../../src/engine/export/jsonl-export.js';
import { mergeEdges, type GraphEdge, type GraphNode } from '../../src/shared/graph-model.js';
import { EmbeddedGraphStore } from '../../src/storage/embedded-store.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

function node(repoId: string, id: string, label: GraphNode['label'], name: string, file = 'a.py'): GraphNode {
  return { node_id: id, repoId, label, name, qualified_name: label === 'FILE' ? file : name, file_path: file, language: 'python', kind: label === 'FILE' ? 'file' : 'function', start_line: 1, end_line: 9 };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function exported(store: EmbeddedGraphStore, repoId: string): Promise<string> {
  let text = '';
  await exportJsonl(store, repoId, (line) => {
    text += line;
  });
  return text;
}

describe('EmbeddedGraphStore', () => {
  it('checkpoint copies the write-ahead log into the database file, and the data stays readable', async () => {
    const path = join(tempDir(), 'graph.sqlite');
    const store = new EmbeddedGraphStore(path, 500);
    await store.open();
    const defs = Array.from({ length: 2000 }, (_, i) => node('r1', `f${String(i).padStart(5, '0')}`, 'FUNCTION', `function_${i}`));
    await store.writeNodes(defs);
    const before = statSync(path).size;
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(before);
    store.checkpoint();
    expect(statSync(path).size).toBeGreaterThan(before);
    expect((await store.totals('r1')).nodes).toBe(2000);
    await store.close();
  });


  it('writes idempotently: replaying batches leaves identical contents', async () => {
    const store = new EmbeddedGraphStore(join(tempDir(), 'graph.sqlite'), 2);
    await store.open();
    const defs = [node('r1', 'f1', 'FUNCTION', 'f'), node('r1', 'f2', 'FUNCTION', 'g'), node('r1', 'c1', 'CLASS', 'C')];
    const edges: GraphEdge[] = [
      { type: 'REFERENCES', repoId: 'r1', source: 'f1', target: 'f2', kind: 'call', line: 3, resolution: 'local', confidence: 1 },
      { type: 'CONTAINS', repoId: 'r1', source: 'c1', target: 'f1' },
    ];
    const file = node('r1', 'file1', 'FILE', 'a.py');
    await store.writeNodes(defs);
    await store.writeEdges(edges);
    await store.commitFiles([file], [{ type: 'CONTAINS', repoId: 'r1', source: 'file1', target: 'c1' }]);
    const first = await exported(store, 'r1');
    await store.writeNodes(defs);
    await store.writeEdges(edges);
    await store.commitFiles([file], [{ type: 'CONTAINS', repoId: 'r1', source: 'file1', target: 'c1' }]);
    expect(await exported(store, 'r1')).toBe(first);
    const stats = await store.stats('r1');
    expect(stats.nodesByLabel).toEqual({ CLASS: 1, FILE: 1, FUNCTION: 2 });
    expect(stats.edgesByType).toEqual({ CONTAINS: 2, REFERENCES: 1 });
    expect(stats.topReferenced[0]).toMatchObject({ node_id: 'f2', references: 1 });
    await store.close();
  });

  it('merges arrivals of one edge as the resolvers do, so the division into batches and units changes nothing', async () => {
    const base = { type: 'REFERENCES' as const, repoId: 'r', source: 'a', target: 'b', kind: 'call' as const };
    // The most confident reference is not the first one in the file (Go: a call at line 599 by
    // import, the same call at line 584 found in another unit by name).
    const arrivals: GraphEdge[] = [
      { ...base, line: 599, resolution: 'import', confidence: 0.95 },
      { ...base, line: 584, resolution: 'ambiguous', confidence: 0.35 },
      { ...base, line: 610, resolution: 'local', confidence: 0.9 },
    ];
    const orders = [[0, 1, 2], [2, 1, 0], [1, 2, 0]];
    for (const order of orders) {
      const merged = order.map((i) => arrivals[i]!).reduce((existing, edge) => mergeEdges(existing, edge));
      expect(merged).toEqual({ ...base, line: 584, resolution: 'import', confidence: 0.95 });
      // One arrival per write: what the store keeps is what a resolver would have merged.
      const store = new EmbeddedGraphStore(join(tempDir(), `graph-${order.join('')}.sqlite`));
      await store.open();
      await store.writeNodes([node('r', 'a', 'FUNCTION', 'a'), node('r', 'b', 'FUNCTION', 'b')]);
      for (const i of order) await store.writeEdges([arrivals[i]!]);
      expect(await collect(store.readEdges('r'))).toEqual([merged]);
      await store.close();
    }
    // Edges without a line or confidence (CONTAINS, IMPORTS) merge to themselves.
    const contains: GraphEdge = { type: 'CONTAINS', repoId: 'r', source: 'a', target: 'b' };
    expect(mergeEdges(contains, { ...contains })).toEqual(contains);
  });

  it('keeps the first line and the most confident resolution whatever the write order', async () => {
    const store = new EmbeddedGraphStore(join(tempDir(), 'graph.sqlite'));
    await store.open();
    await store.writeNodes([node('r', 'a', 'FUNCTION', 'a'), node('r', 'b', 'FUNCTION', 'b')]);
    const base = { type: 'REFERENCES' as const, repoId: 'r', source: 'a', target: 'b', kind: 'call' as const };
    await store.writeEdges([{ ...base, line: 9, resolution: 'unique-name', confidence: 0.5 }]);
    await store.writeEdges([{ ...base, line: 4, resolution: 'import', confidence: 0.95 }]);
    await store.writeEdges([{ ...base, line: 7, resolution: 'ambiguous', confidence: 0.2 }]);
    const [edge] = await collect(store.readEdges('r'));
    expect(edge).toEqual({ ...base, line: 4, resolution: 'import', confidence: 0.95 });
    await store.close();
  });

  it('merges arrivals of one edge within one write as it does across writes, however many rows a statement inserts', async () => {
    const targets = Array.from({ length: 40 }, (_, i) => node('r', `t${String(i).padStart(2, '0')}`, 'FUNCTION', `t${i}`));
    const base = { type: 'REFERENCES' as const, repoId: 'r', source: 'a', kind: 'call' as const };
    // 40 targets, each arriving three times: next to its first arrival (inside one statement
    // of many rows), 40 rows later (in another statement) and among the rows inserted one by one.
    const arrivals: GraphEdge[] = [
      ...targets.map((t, i) => ({ ...base, target: t.node_id, line: 50 + i, resolution: 'ambiguous' as const, confidence: 0.35 })),
      ...targets.map((t, i) => ({ ...base, target: t.node_id, line: 10 + i, resolution: 'unique-name' as const, confidence: 0.5 })),
      ...targets.map((t, i) => ({ ...base, target: t.node_id, line: 90 + i, resolution: 'import' as const, confidence: 0.95 })),
    ];
    const expected = targets.map((t, i) => ({ ...base, target: t.node_id, line: 10 + i, resolution: 'import', confidence: 0.95 }));
    for (const [name, writes] of [
      ['one write', [arrivals]],
      ['one per arrival', arrivals.map((edge) => [edge])],
      ['interleaved in one write', [targets.flatMap((_, i) => [arrivals[80 + i]!, arrivals[i]!, arrivals[40 + i]!])]],
    ] as const) {
      const store = new EmbeddedGraphStore(join(tempDir(), `graph-${name}.sqlite`), 1000);
      await store.open();
      await store.writeNodes([node('r', 'a', 'FUNCTION', 'a'), ...targets]);
      for (const write of writes) await store.writeEdges(write);
      expect(await collect(store.readEdges('r')), name).toEqual(expected);
      expect((await store.totals('r')).nodes, name).toBe(41);
      await store.close();
    }
  });

  it('isolates projects, deletes only one, and reports completed files and symbols', async () => {
    const store = new EmbeddedGraphStore(join(tempDir(), 'graph.sqlite'));
    await store.open();
    for (const repo of ['one', 'two']) {
      await store.writeNodes([node(repo, `${repo}-f`, 'FUNCTION', 'f')]);
      await store.commitFiles([node(repo, `${repo}-file`, 'FILE', 'a.py')], [{ type: 'CONTAINS', repoId: repo, source: `${repo}-file`, target: `${repo}-f` }]);
    }
    expect(await store.completedFilePaths('one')).toEqual(new Set(['a.py']));
    expect((await store.readSymbols('two')).map((s) => s.nodeId)).toEqual(['two-f', 'two-file']);
    await store.deleteProject('one');
    expect(await collect(store.readNodes('one'))).toEqual([]);
    expect(await collect(store.readEdges('one'))).toEqual([]);
    expect((await collect(store.readNodes('two'))).length).toBe(2);
    expect((await collect(store.readEdges('two'))).length).toBe(1);
    await store.close();
  });

  it("totals one project's nodes and edges as its stats add them up, also reopened from the file", async () => {
    const path = join(tempDir(), 'graph.sqlite');
    const store = new EmbeddedGraphStore(path);
    await store.open();
    for (const [repo, files] of [['one', 3], ['two', 1]] as const) {
      for (let f = 0; f < files; f++) {
        await store.writeNodes([node(repo, `${repo}-f${f}`, 'FUNCTION', 'f', `m${f}.py`), node(repo, `${repo}-c${f}`, 'CLASS', 'C', `m${f}.py`)]);
        await store.writeEdges([
          { type: 'CONTAINS', repoId: repo, source: `${repo}-c${f}`, target: `${repo}-f${f}` },
          { type: 'REFERENCES', repoId: repo, source: `${repo}-f${f}`, target: `${repo}-c0`, kind: 'call', line: 2, resolution: 'import', confidence: 0.9 },
        ]);
        await store.commitFiles([node(repo, `${repo}-file${f}`, 'FILE', `m${f}.py`, `m${f}.py`)], [{ type: 'CONTAINS', repoId: repo, source: `${repo}-file${f}`, target: `${repo}-c${f}` }]);
      }
    }
    expect(await store.totals('one')).toEqual({ nodes: 9, edges: 9 });
    expect(await store.totals('two')).toEqual({ nodes: 3, edges: 3 });
    expect(await store.totals('none')).toEqual({ nodes: 0, edges: 0 });
    await store.close();
    const reopened = new EmbeddedGraphStore(path);
    await reopened.open();
    const stats = await reopened.stats('one');
    const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(await reopened.totals('one')).toEqual({ nodes: sum(stats.nodesByLabel), edges: sum(stats.edgesByType) });
    await reopened.close();
  });

  it('exports APOC json lines with labels on both ends, sorted', async () => {
    const store = new EmbeddedGraphStore(join(tempDir(), 'graph.sqlite'));
    await store.open();
    await store.writeNodes([node('r', 'b', 'CLASS', 'B'), node('r', 'a', 'FUNCTION', 'a')]);
    await store.writeEdges([{ type: 'REFERENCES', repoId: 'r', source: 'a', target: 'b', kind: 'type', line: 2, resolution: 'local', confidence: 1 }]);
    const lines = (await exported(store, 'r')).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', 'a:REFERENCES:type:b']);
    expect(lines[0]).toEqual({
      type: 'node',
      id: 'a',
      labels: ['NODE', 'FUNCTION'],
      properties: { end_line: 9, file_path: 'a.py', kind: 'function', language: 'python', name: 'a', node_id: 'a', qualified_name: 'a', repoId: 'r', start_line: 1 },
    });
    expect(lines[2]).toEqual({
      type: 'relationship',
      id: 'a:REFERENCES:type:b',
      label: 'REFERENCES',
      start: { id: 'a', labels: ['NODE', 'FUNCTION'] },
      end: { id: 'b', labels: ['NODE', 'CLASS'] },
      properties: { confidence: 1, kind: 'type', line: 2, repoId: 'r', resolution: 'local' },
    });
    await store.close();
  });
});

describe('EmbeddedGraphStore.deleteFiles', () => {
  it("removes a file's nodes and every edge touching them, nothing else", async () => {
    const store = new EmbeddedGraphStore(join(tempDir(), 'graph.sqlite'));
    await store.open();
    await store.writeNodes([node('r', 'a1', 'FUNCTION', 'a1', 'a.py'), node('r', 'b1', 'FUNCTION', 'b1', 'b.py'), node('other', 'x1', 'FUNCTION', 'x1', 'a.py')]);
    await store.commitFiles([node('r', 'fa', 'FILE', 'a.py', 'a.py'), node('r', 'fb', 'FILE', 'b.py', 'b.py')], []);
    await store.writeEdges([
      { type: 'REFERENCES', repoId: 'r', source: 'b1', target: 'a1', kind: 'call', line: 1, resolution: 'import', confidence: 0.95 },
      { type: 'CONTAINS', repoId: 'r', source: 'fa', target: 'a1' },
      { type: 'CONTAINS', repoId: 'r', source: 'fb', target: 'b1' },
    ]);
    await store.deleteFiles('r', ['a.py']);
    expect((await collect(store.readNodes('r'))).map((n) => n.node_id)).toEqual(['b1', 'fb']);
    expect((await collect(store.readEdges('r'))).map((e) => `${e.source}->${e.target}`)).toEqual(['fb->b1']);
    expect((await collect(store.readNodes('other'))).length).toBe(1);
    await store.close();
  });
});
