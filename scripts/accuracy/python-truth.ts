// Ground truth for Python: scip-python (pyright) indexes the folder; every occurrence of a
// symbol defined in the repo is a reference to that definition.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DefinitionMap } from './definition-map.js';
import { readScipIndex, SCIP_DEFINITION_ROLE, type ScipDocument } from './scip-reader.js';
import type { GroundTruth, TruthReference } from './truth.js';

/** Runs scip-python once per folder; the index is cached in `cacheDir` until a file changes. */
export function scipIndexFor(root: string, cacheDir: string): ScipDocument[] {
  mkdirSync(cacheDir, { recursive: true });
  const output = path.join(cacheDir, `${path.basename(path.resolve(root))}-${hashOf(path.resolve(root))}.scip`);
  if (!existsSync(output) || statSync(output).mtimeMs < statSync(root).mtimeMs) {
    const environment = path.join(cacheDir, 'scip-environment.json');
    // An empty environment keeps scip-python from asking pip about installed packages.
    writeFileSync(environment, '[]\n');
    const cli = createRequire(import.meta.url).resolve('@sourcegraph/scip-python/index.js');
    process.stderr.write(`accuracy: indexing ${root} with scip-python (a few minutes on a large tree)\n`);
    execFileSync(process.execPath, [cli, 'index', '--cwd', root, '--project-name', 'accuracy', '--project-version', '0', '--environment', environment, '--output', output, '--quiet'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      maxBuffer: 1 << 26,
    });
  }
  return readScipIndex(readFileSync(output));
}

export function pythonTruth(root: string, documents: readonly ScipDocument[], definitions: DefinitionMap): GroundTruth {
  const lines = new Map<string, string[]>();
  const lineOf = (file: string, index: number): string => {
    let fileLines = lines.get(file);
    if (!fileLines) lines.set(file, (fileLines = readFileSync(path.join(root, file), 'utf8').split('\n')));
    return fileLines[index] ?? '';
  };
  const declared = new Map<string, { file: string; line: number; name: string }>();
  for (const document of documents) {
    for (const occurrence of document.occurrences) {
      if (!(occurrence.roles & SCIP_DEFINITION_ROLE) || occurrence.symbol.startsWith('local ') || declared.has(occurrence.symbol)) continue;
      const [line, start, third, fourth] = occurrence.range;
      const end = fourth ?? third!;
      declared.set(occurrence.symbol, { file: document.relativePath, line: line! + 1, name: lineOf(document.relativePath, line!).slice(start, end) });
    }
  }

  const references: TruthReference[] = [];
  const resolvedSites = new Set<string>();
  for (const document of documents) {
    const file = document.relativePath;
    if (!definitions.hasFile(file)) continue;
    for (const occurrence of document.occurrences) {
      if (occurrence.roles & SCIP_DEFINITION_ROLE || occurrence.symbol.startsWith('local ')) continue;
      const [startLine, start, third, fourth] = occurrence.range;
      const end = fourth ?? third!;
      const text = lineOf(file, startLine!);
      const name = text.slice(start, end);
      const line = startLine! + 1;
      resolvedSites.add(`${file}:${line}:${name}`);
      const declaration = declared.get(occurrence.symbol);
      if (!declaration || !definitions.hasFile(declaration.file)) continue;
      const target = definitions.targetAt(declaration.file, declaration.line, declaration.name);
      const source = definitions.sourceAt(file, line);
      if (!target || !source || target.node_id === source.node_id) continue;
      references.push({ sourceId: source.node_id, targetId: target.node_id, kind: kindAt(text, start!, end), file, line, name });
    }
  }
  return { references, resolvedSites };
}

function kindAt(text: string, start: number, end: number): string {
  const before = text.slice(0, start);
  if (/^\s*(from|import)\s/.test(text)) return 'import';
  if (/^\s*class\s+\w+\s*\(/.test(before)) return 'inherit';
  if (/^\s*\(/.test(text.slice(end))) return 'call';
  if (/(->|:)\s*[\w.[\], ]*$/.test(before)) return 'type';
  return 'other';
}

function hashOf(text: string): string {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return (hash >>> 0).toString(16);
}
