import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExtractor, type Extractor, type FileExtraction } from '../../../src/workers/extraction/extractor.js';

let extractor: Extractor;
beforeAll(async () => {
  extractor = await loadExtractor();
});
afterAll(() => extractor.dispose());

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function liveHeap(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** A file of `bytes` whose code is one class with long names, the rest a comment. */
function javaSource(i: number, bytes: number): string {
  const code = `class GeneratedConfiguration${i} extends AbstractConfigurationBase {\n  void applyConfigurationDefaults() { registerConfigurationListener(); }\n}\n`;
  return code + `/* ${'x'.repeat(bytes - code.length - 6)} */\n`;
}

describe('extractions and their sources', () => {
  it('keep none of the source text alive once the source is dropped', () => {
    const files = 200;
    const bytes = 40 * 1024;
    const before = liveHeap();
    const kept: FileExtraction[] = [];
    for (let i = 0; i < files; i++) kept.push(extractor.extract({ path: `G${i}.java`, language: 'java' }, javaSource(i, bytes)));
    const grown = liveHeap() - before;
    // The names are longer than V8's shortest sliced string: taken as they are, each would keep
    // its file's 40 KiB alive (8 MiB in all).
    expect(kept[7]!.definitions.map((d) => d.qualifiedName)).toEqual(['GeneratedConfiguration7', 'GeneratedConfiguration7.applyConfigurationDefaults']);
    expect(kept[7]!.references.map((r) => r.name)).toEqual(expect.arrayContaining(['AbstractConfigurationBase', 'registerConfigurationListener']));
    expect(grown).toBeLessThan((files * bytes) / 8);
  });
});
