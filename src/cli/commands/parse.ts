// `repograph parse` and `repograph resume`: run a session with live progress (or NDJSON events).
import type { Engine, RunningSession } from '../../engine/engine.js';
import type { EngineEvent } from '../../shared/events.js';
import type { TargetConfig } from '../../shared/session.js';
import { createCliEngine } from '../cli-engine.js';
import type { CliOptions } from '../main.js';
import { ProgressView } from '../progress-view.js';

export function neo4jTargetFromOptions(options: CliOptions): TargetConfig | undefined {
  if (!options.neo4j) return undefined;
  return {
    kind: 'neo4j',
    uri: options.neo4j,
    username: options.user ?? process.env.NEO4J_USERNAME ?? 'neo4j',
    database: options.database ?? process.env.NEO4J_DATABASE ?? 'neo4j',
    password: process.env.NEO4J_PASSWORD,
  };
}

export async function runParse(folder: string, options: CliOptions): Promise<number> {
  const engine = createCliEngine(options);
  return follow(engine, options, () =>
    engine.parse({
      root: folder,
      project: options.project,
      target: neo4jTargetFromOptions(options),
      fresh: options.fresh,
      abortOnFile: process.env.REPOGRAPH_TEST_ABORT_ON_FILE,
    }),
  );
}

export async function runResume(folder: string | undefined, options: CliOptions): Promise<number> {
  const engine = createCliEngine(options);
  return follow(engine, options, () =>
    engine.resume({
      root: folder,
      project: options.project,
      sessionId: options.session,
      target: neo4jTargetFromOptions(options),
      abortOnFile: process.env.REPOGRAPH_TEST_ABORT_ON_FILE,
    }),
  );
}

async function follow(engine: Engine, options: CliOptions, start: () => Promise<RunningSession>): Promise<number> {
  const view = options.json ? null : new ProgressView(process.stderr);
  const unsubscribe = engine.subscribe((event: EngineEvent) => {
    if (options.json) process.stdout.write(JSON.stringify(event) + '\n');
    else {
      view!.handle(event);
      // The progress view shows the stage; the reason for waiting deserves its own line.
      if (event.type === 'session.stage' && event.stage === 'waiting-for-target' && event.error) process.stderr.write(`\n${event.error}\n`);
    }
  });
  // First Ctrl-C: stop after the current batch. Second: leave now (the session stays resumable).
  // Listened for from the start: the scan begins while the session is still being set up.
  let session: RunningSession | null = null;
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\nCancelling after the current batch (Ctrl-C again to quit now; the session stays resumable)...\n');
      session?.cancel();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    session = await start();
  } catch (error) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    unsubscribe();
    await engine.close();
    throw error;
  }
  // A Ctrl-C while it was being set up cancels it now.
  if (interrupts > 0) session.cancel();
  const outcome = await session.done;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  view?.finish();
  unsubscribe();
  const row = engine.state.session(session.sessionId)!;
  const summary = engine.state.summary(row);
  if (options.json) {
    process.stdout.write(JSON.stringify({ type: 'summary', sessionId: session.sessionId, projectId: session.projectId, stage: outcome.stage, error: outcome.error, counters: summary.counters, durationMs: Date.now() - row.started_at }) + '\n');
    // Errors go to stderr in every mode: scripts read stdout, people read stderr.
    if (outcome.error) process.stderr.write(`repograph: ${outcome.error}\n`);
  } else {
    const c = summary.counters;
    process.stdout.write(
      `${outcome.stage}: ${c.filesDone} files parsed, ${c.filesSkipped} skipped, ${c.filesFailed} failed; ${c.nodes} nodes, ${c.edges} edges` +
        ` (project ${session.projectId}, session ${session.sessionId})\n`,
    );
    if (outcome.error) process.stderr.write(`repograph: ${outcome.error}\n`);
    if (outcome.stage === 'cancelled' || outcome.stage === 'interrupted') process.stderr.write(`Resume with: repograph resume --session ${session.sessionId}\n`);
  }
  await engine.close();
  if (outcome.stage === 'completed') return 0;
  return outcome.stage === 'cancelled' ? 130 : 1;
}
