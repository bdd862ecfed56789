// `repograph export --format jsonl|neo4j-admin`.
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { exportJsonl } from '../../engine/export/jsonl-export.js';
import { exportNeo4jAdmin } from '../../engine/export/neo4j-admin-export.js';
import { RepographError } from '../../shared/errors.js';
import { createCliEngine } from '../cli-engine.js';
import type { CliOptions } from '../main.js';

export async function runExport(folder: string | undefined, options: CliOptions): Promise<number> {
  const format = options.format ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'neo4j-admin') throw new RepographError('INVALID_INPUT', `Unknown export format '${format}': use jsonl or neo4j-admin.`);
  if (format === 'neo4j-admin' && !options.out) throw new RepographError('INVALID_INPUT', 'export --format neo4j-admin needs --out DIR for its CSV files.');
  const engine = createCliEngine(options);
  try {
    const { projectId, target } = await engine.openProjectGraph(folder, options.project);
    try {
      if (format === 'neo4j-admin') {
        const result = await exportNeo4jAdmin(target, projectId, options.out!).catch((error: unknown) => {
          throw outputError(error, options.out!, 'folder');
        });
        process.stderr.write(`Wrote ${result.nodes} nodes and ${result.relationships} relationships to ${options.out}\n`);
        return 0;
      }
      // Opened before the first line, so a path that cannot be written fails at once, clearly.
      const stream = options.out ? openOutFile(options.out) : process.stdout;
      try {
        const counts = await exportJsonl(target, projectId, async (line) => {
          if (!stream.write(line)) await once(stream, 'drain');
        });
        if (options.out) {
          (stream as WriteStream).end();
          await once(stream, 'finish');
          process.stderr.write(`Wrote ${counts.nodes} nodes and ${counts.relationships} relationships to ${options.out}\n`);
        }
      } catch (error) {
        // `repograph export | head`: the reader has what it wanted; stopping is the answer, not an error.
        if (stream === process.stdout && (error as NodeJS.ErrnoException).code === 'EPIPE') return 0;
        throw options.out ? outputError(error, options.out, 'file') : error;
      }
      return 0;
    } finally {
      await target.close();
    }
  } finally {
    await engine.close();
  }
}

function openOutFile(path: string): WriteStream {
  try {
    return createWriteStream(path, { fd: openSync(path, 'w') });
  } catch (error) {
    throw outputError(error, path, 'file');
  }
}

/** A file system error on --out, as what happened to which path and what to do. */
function outputError(error: unknown, path: string, kind: 'file' | 'folder'): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const what = `Cannot write the export to ${path}`;
  switch (code) {
    case 'ENOENT':
      return new RepographError('INVALID_INPUT', `${what}: the folder ${dirname(path)} does not exist. Create it, or pick another --out.`, { cause: error });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new RepographError('INVALID_INPUT', `${what}: no permission to write there. Pick another --out.`, { cause: error });
    case 'EISDIR':
      return new RepographError('INVALID_INPUT', `${what}: it is a folder. Give --out a file name.`, { cause: error });
    case 'ENOTDIR':
    case 'EEXIST':
      return new RepographError('INVALID_INPUT', `${what}: ${kind === 'folder' ? 'a file is in the way of the folder' : 'part of the path is a file, not a folder'}. Pick another --out.`, { cause: error });
    case 'ENOSPC':
      return new RepographError('INVALID_INPUT', `${what}: the disk is full. Free some space, or pick another --out.`, { cause: error });
    default:
      return error;
  }
}
