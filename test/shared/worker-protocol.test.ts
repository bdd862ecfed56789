import { describe, expect, it } from 'vitest';
import type { SymbolRecord } from '../../src/shared/resolution.js';
import { decodeSymbols, encodeSymbols, parseWorkerMessage, type SymbolsMessage } from '../../src/shared/worker-protocol.js';

const symbols: SymbolRecord[] = [
  { nodeId: 'a1', name: 'views.py', qualifiedName: 'app/views.py', filePath: 'app/views.py', label: 'FILE', kind: 'file', language: 'python' },
  { nodeId: 'b2', name: 'get', qualifiedName: 'ListView.get', filePath: 'app/views.py', label: 'FUNCTION', kind: 'method', language: 'python' },
  { nodeId: 'c3', name: '', qualifiedName: 'odd name with spaces, "quotes" and ünïcode', filePath: 'a b/c.py', label: 'CLASS', kind: 'class', language: 'python' },
];

describe('the symbols message', () => {
  it('carries every field of every symbol through validation, the empty list too', () => {
    expect(decodeSymbols(parseWorkerMessage(encodeSymbols(symbols)) as SymbolsMessage)).toEqual(symbols);
    expect(decodeSymbols(parseWorkerMessage(encodeSymbols([])) as SymbolsMessage)).toEqual([]);
  });

  it('rejects fields that do not hold one value per symbol, and values outside the graph model', () => {
    const message = encodeSymbols(symbols);
    expect(() => decodeSymbols({ ...message, count: 2 })).toThrow(/symbols\.nodeIds holds 3 values, not 2/);
    expect(() => decodeSymbols({ ...message, names: 'one' })).toThrow(/symbols\.names holds 1 values, not 3/);
    expect(() => decodeSymbols({ ...message, labels: message.labels.replace('CLASS', 'MODULE') })).toThrow(/label 'MODULE'/);
    expect(() => decodeSymbols({ ...message, languages: message.languages.replace('python', 'cobol') })).toThrow(/language 'cobol'/);
    expect(() => parseWorkerMessage({ ...message, count: -1 })).toThrow(/malformed worker message/);
  });
});
