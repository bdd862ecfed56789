// `repograph status` and `repograph stats`.
import { collectGraphStats } from '../../engine/graph-stats.js';
import { createCliEngine } from '../cli-engine.js';
import type { CliOptions } from '../main.js';

export async function runStatus(folder: string | undefined, options: CliOptions): Promise<number> {
  const engine = createCliEngine(options);
  try {
    const projects = folder ? [engine.state.project(await engine.resolveProjectId(folder, options.project))].filter((p) => p !== undefined) : engine.state.projects();
    const report = projects.map((project) => ({
      project,
      sessions: engine.state.sessionsOfProject(project.id).map((session) => {
        const summary = engine.state.summary(session);
        const units = engine.state.units(session.id).map((unit) => ({
          ...unit,
          filesPerSecond: unit.durationMs ? Math.round((unit.filesDone / unit.durationMs) * 1000 * 10) / 10 : null,
        }));
        const crashed = engine.state.crashedFiles(session.id);
        const resumeMetrics = {
          resumes: session.resumes,
          bootstraps: session.bootstraps,
          retriedUnits: units.filter((unit) => unit.attempts > 1).map((unit) => ({ index: unit.index, path: unit.path, attempts: unit.attempts })),
          isolatedFiles: crashed.filter((file) => file.status === 'failed').map((file) => ({ path: file.path, crashes: file.crashes, reason: file.reason })),
        };
        return { ...summary, bootstraps: session.bootstraps, snapshot: session.snapshot, resumeMetrics, units };
      }),
    }));
    if (options.json) {
      process.stdout.write(JSON.stringify({ dataDir: engine.layout.root, projects: report }, null, 2) + '\n');
      return 0;
    }
    if (report.length === 0) {
      process.stdout.write(folder ? `${folder} has not been parsed into ${engine.layout.root}.\n` : `No projects in ${engine.layout.root}.\n`);
    }
    for (const { project, sessions } of report) {
      process.stdout.write(`${project.name}  (${project.id})  ${project.root}\n`);
      for (const session of sessions) {
        const c = session.counters;
        process.stdout.write(
          `  session ${session.id}  ${session.stage}  ${c.filesDone}/${c.filesTotal} files  ${c.nodes} nodes  ${c.edges} edges  resumes ${session.resumes}` +
            `${session.bootstraps ? `  bootstraps ${session.bootstraps}` : ''}${session.resumeMetrics.retriedUnits.length ? `  retried units ${session.resumeMetrics.retriedUnits.length}` : ''}` +
            `${session.resumeMetrics.isolatedFiles.length ? `  isolated files ${session.resumeMetrics.isolatedFiles.length}` : ''}` +
            `${session.error ? `\n    error: ${session.error}` : ''}\n`,
        );
        for (const unit of session.units) {
          process.stdout.write(`    #${unit.index} ${unit.status.padEnd(9)} ${unit.filesDone}/${unit.filesTotal}  attempts ${unit.attempts}  ${unit.path}${unit.error ? `  (${unit.error})` : ''}\n`);
        }
      }
    }
    return 0;
  } finally {
    await engine.close();
  }
}

export async function runStats(folder: string | undefined, options: CliOptions): Promise<number> {
  const engine = createCliEngine(options);
  try {
    const { projectId, target } = await engine.openProjectGraph(folder, options.project);
    try {
      const stats = await collectGraphStats(engine.state, target, projectId);
      if (options.json) {
        process.stdout.write(JSON.stringify(stats, null, 2) + '\n');
        return 0;
      }
      const line = (title: string, record: Record<string, number>) =>
        `${title}: ${Object.entries(record).map(([key, value]) => `${key} ${value}`).join(', ') || 'none'}\n`;
      process.stdout.write(line('Nodes', stats.nodesByLabel));
      process.stdout.write(line('Edges', stats.edgesByType));
      process.stdout.write(line('References by resolution', stats.referencesByResolution));
      process.stdout.write(line('Languages (files)', stats.languages));
      process.stdout.write(`Files: ${stats.files.parsed} parsed, ${stats.files.skipped} skipped, ${stats.files.failed} failed\n`);
      for (const file of stats.failed) process.stdout.write(`  failed: ${file.path}: ${file.reason}\n`);
      const reasons = new Map<string, number>();
      for (const file of stats.skipped) reasons.set(file.reason, (reasons.get(file.reason) ?? 0) + 1);
      for (const [reason, count] of reasons) process.stdout.write(`  skipped (${reason}): ${count}\n`);
      process.stdout.write(`Unresolved references: ${stats.unresolvedReferences}; outside the repo: ${stats.externalReferences}\n`);
      process.stdout.write('Most referenced:\n');
      for (const top of stats.topReferenced) process.stdout.write(`  ${top.references}  ${top.qualified_name}  (${top.file_path})\n`);
      return 0;
    } finally {
      await target.close();
    }
  } finally {
    await engine.close();
  }
}
