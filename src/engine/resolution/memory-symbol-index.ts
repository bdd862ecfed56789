// A SymbolIndex over an array, for tests and for small projects resolved in memory.
import type { SymbolRecord } from '../../shared/resolution.js';
import type { SymbolIndex } from './cross-unit-resolver.js';

export function createMemorySymbolIndex(symbols: readonly SymbolRecord[]): SymbolIndex {
  const byName = new Map<string, SymbolRecord[]>();
  for (const symbol of symbols) {
    const list = byName.get(symbol.name);
    if (list) list.push(symbol);
    else byName.set(symbol.name, [symbol]);
  }
  return { byName: (name) => byName.get(name) ?? [] };
}
