import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Language, Parser } from 'web-tree-sitter';
import { initTreeSitter } from '../../../src/workers/extraction/tree-sitter-runtime.js';

const require = createRequire(import.meta.url);

describe('initTreeSitter', () => {
  it('installs the fast 32-bit accessors, and nodes read through them are right, also after WASM memory grows', async () => {
    // If a web-tree-sitter upgrade stops handing its runtime to Parser.init, this says so.
    expect(await initTreeSitter()).toBe('fast');
    expect(await initTreeSitter()).toBe('fast');
    const parser = new Parser();
    parser.setLanguage(await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm')));

    const small = parser.parse('class A:\n    def f(self):\n        return g(-1)\n')!;
    const method = small.rootNode.descendantsOfType('function_definition')[0]!;
    expect(method.startPosition).toEqual({ row: 1, column: 4 });
    expect(method.endPosition).toEqual({ row: 2, column: 20 });
    expect(method.childForFieldName('name')!.text).toBe('f');
    expect(small.rootNode.descendantsOfType('unary_operator')[0]!.text).toBe('-1');
    small.delete();

    // 3.7 MB of source grows the WASM heap from 32 MiB to ~170 MiB (its views are replaced).
    const functions = 60_000;
    const source = Array.from({ length: functions }, (_, i) => `def function_${i}(a, b):\n    return call_${i}(a, b) + ${i}\n`).join('\n');
    const large = parser.parse(source)!;
    const all = large.rootNode.descendantsOfType('function_definition');
    expect(all).toHaveLength(functions);
    const last = all[functions - 1]!;
    expect(last.childForFieldName('name')!.text).toBe(`function_${functions - 1}`);
    expect(last.startPosition).toEqual({ row: (functions - 1) * 3, column: 0 });
    expect(last.endIndex).toBe(source.length - 1);
    large.delete();
    parser.delete();
  });

  it("runs web-tree-sitter as patched (patches/): a Node's WASM handle is a named property, not an element", async () => {
    // An element ([0]) gives each Node a backing store of its own, which made Node
    // construction ~2.5x slower; `npm install` applies the patch (postinstall: patch-package).
    await initTreeSitter();
    const parser = new Parser();
    parser.setLanguage(await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm')));
    const tree = parser.parse('def f():\n    return g(1)\n')!;
    const call = tree.rootNode.descendantsOfType('call')[0]!;
    expect(Object.keys(call)).not.toContain('0');
    expect(typeof (call as unknown as { handle: unknown }).handle).toBe('number');
    // The handle goes back into WASM as before: methods that pass the node in still work.
    expect(call.parent!.type).toBe('return_statement');
    expect(call.childForFieldName('arguments')!.text).toBe('(1)');
    expect(call.nextSibling).toBeNull();
    tree.delete();
    parser.delete();
  });
});
