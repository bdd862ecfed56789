import { describe, expect, it } from 'vitest';
import type { SymbolRecord } from '../../../src/shared/resolution.js';
import { SymbolNameCache } from '../../../src/engine/coordinator/symbol-name-cache.js';

function symbol(name: string, file: string): SymbolRecord {
  return { nodeId: `${file}#${name}`, name, qualifiedName: name, filePath: file, label: 'FUNCTION', kind: 'function', language: 'go' };
}

const TABLE = [symbol('String', 'a.go'), symbol('String', 'b.go'), symbol('New', 'a.go'), symbol('Error', 'c.go')];

/** A symbol table that records the names of every lookup it answers. */
function table(): { fetch: (names: readonly string[]) => Map<string, SymbolRecord[]>; asked: string[][] } {
  const asked: string[][] = [];
  const fetch = (names: readonly string[]): Map<string, SymbolRecord[]> => {
    asked.push([...names]);
    const byName = new Map<string, SymbolRecord[]>();
    for (const s of TABLE) if (names.includes(s.name)) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
    return byName;
  };
  return { fetch, asked };
}

describe('SymbolNameCache', () => {
  it('asks the table once per batch, and only for names no batch asked before, even names without symbols', () => {
    const { fetch, asked } = table();
    const cache = new SymbolNameCache(fetch);
    const first = cache.lookup(['String', 'missing']);
    expect(first.byName('String').map((s) => s.filePath)).toEqual(['a.go', 'b.go']);
    expect(first.byName('missing')).toEqual([]);
    const second = cache.lookup(['String', 'missing', 'New']);
    expect(second.byName('String')).toHaveLength(2);
    expect(second.byName('New')).toEqual([TABLE[2]]);
    cache.lookup(['New', 'String']);
    expect(asked).toEqual([['String', 'missing'], ['New']]);
  });

  it('starts again once it holds more records than its bound, and still answers every name of the batch', () => {
    const { fetch, asked } = table();
    const cache = new SymbolNameCache(fetch, 2);
    cache.lookup(['String', 'New']); // 3 records: over the bound
    const index = cache.lookup(['String', 'Error']);
    expect(index.byName('String')).toHaveLength(2);
    expect(index.byName('Error')).toEqual([TABLE[3]]);
    expect(asked).toEqual([['String', 'New'], ['String', 'Error']]);
  });
});
