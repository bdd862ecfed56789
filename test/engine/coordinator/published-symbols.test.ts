import { describe, expect, it } from 'vitest';
import { PublishedSymbols } from '../../../src/engine/coordinator/published-symbols.js';
import type { SymbolRecord } from '../../../src/shared/resolution.js';

const symbol = (nodeId: string, name: string): SymbolRecord => ({ nodeId, name, qualifiedName: name, filePath: `${nodeId}.py`, label: 'FUNCTION', kind: 'function', language: 'python' });

describe('PublishedSymbols', () => {
  it('is complete only when no unit waits to start and every running unit has sent its symbols', () => {
    const published = new PublishedSymbols();
    published.started(1);
    published.started(2);
    expect(published.complete(3)).toBe(false); // a third unit has not started
    expect(published.complete(2)).toBe(false); // neither running unit has sent
    published.published(1, [symbol('a', 'f')]);
    expect(published.complete(2)).toBe(false);
    published.published(2, []);
    expect(published.complete(2)).toBe(true);
    published.ended(1, true);
    expect(published.complete(1)).toBe(true);
    // Symbols of a unit that is not running (a late message) are not taken.
    published.published(7, [symbol('z', 'f')]);
    expect(published.complete(1)).toBe(true);
  });

  it('is void for good once an attempt ends without completing: its retry may send other symbols', () => {
    const published = new PublishedSymbols();
    published.started(1);
    published.published(1, []);
    published.ended(1, false);
    published.started(1);
    published.published(1, []);
    expect(published.trustworthy).toBe(false);
    expect(published.complete(1)).toBe(false);
  });

  it('looks names up in the table and in what was sent: each symbol once, in node_id order', () => {
    const published = new PublishedSymbols();
    published.started(1);
    published.published(1, [symbol('m', 'f'), symbol('b', 'f'), symbol('x', 'g')]);
    const stored = new Map([['f', [symbol('a', 'f'), symbol('m', 'f')]]]);
    const asked: string[][] = [];
    const lookup = published.withStored((names) => {
      asked.push([...names]);
      return new Map([...stored].filter(([name]) => names.includes(name)));
    });
    const found = lookup(['f', 'g', 'h']);
    expect(asked).toEqual([['f', 'g', 'h']]);
    expect(found.get('f')!.map((s) => s.nodeId)).toEqual(['a', 'b', 'm']);
    expect(found.get('g')!.map((s) => s.nodeId)).toEqual(['x']);
    expect(found.get('h')).toBeUndefined();
  });

  it('does not ask the table while it can hold only what the running units sent, and asks it once a unit ends', () => {
    const published = new PublishedSymbols(true);
    published.started(1);
    published.started(2);
    published.published(1, [symbol('m', 'f'), symbol('b', 'f')]);
    published.published(2, [symbol('a', 'f'), symbol('x', 'g')]);
    const asked: string[][] = [];
    const stored = (names: readonly string[]): Map<string, SymbolRecord[]> => {
      asked.push([...names]);
      return new Map();
    };
    const found = published.withStored(stored)(['f', 'g', 'h']);
    expect(asked).toEqual([]);
    expect(found.get('f')!.map((s) => s.nodeId)).toEqual(['a', 'b', 'm']);
    expect(found.get('g')!.map((s) => s.nodeId)).toEqual(['x']);
    expect(found.get('h')).toBeUndefined();

    // Unit 1 is done: its symbols are in the table only now.
    published.ended(1, true);
    published.withStored(stored)(['f']);
    expect(asked).toEqual([['f']]);
  });

  it('asks the table when it held symbols before the run began (a resumed session)', () => {
    const published = new PublishedSymbols(false);
    published.started(1);
    published.published(1, [symbol('b', 'f')]);
    const asked: string[][] = [];
    const found = published.withStored((names) => {
      asked.push([...names]);
      return new Map([['f', [symbol('a', 'f')]]]);
    })(['f']);
    expect(asked).toEqual([['f']]);
    expect(found.get('f')!.map((s) => s.nodeId)).toEqual(['a', 'b']);
  });
});
