// `repograph export --format jsonl|neo4j-admin`.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
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
    const projectId = await engine.resolveProjectId(folder, options.project);
    const target = await engine.openTargetFor(projectId);
    try {
      if (format === 'neo4j-admin') {
        const result = await exportNeo4jAdmin(target, projectId, options.out!);
        process.stderr.write(`Wrote ${result.nodes} nodes and ${result.relationships} relationships to ${options.out}\n`);
        return 0;
      }
      const stream = options.out ? createWriteStream(options.out) : process.stdout;
      const counts = await exportJsonl(target, projectId, async (line) => {
        if (!stream.write(line)) await once(stream, 'drain');
      });
      if (options.out) {
        (stream as ReturnType<typeof createWriteStream>).end();
        await once(stream, 'finish');
        process.stderr.write(`Wrote ${counts.nodes} nodes and ${counts.relationships} relationships to ${options.out}\n`);
      }
      return 0;
    } finally {
      await target.close();
    }
  } finally {
    await engine.close();
  }
}
